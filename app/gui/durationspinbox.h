// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QSpinBox>

#include <chrono>

namespace Demo {

// A spin box for durations in whole milliseconds that reads and writes the command line's
// syntax ("250ms", "1.5s", "1m30s"; a bare number is milliseconds), through DurationParser.
// Text that can never become a duration is refused as it is typed; text outside the range is
// clamped, and unfinished text reverts, when editing ends. The arrows step along 1-2-5.
// Keyboard tracking is off: valueChanged() is emitted when editing ends, not per keystroke.
class DurationSpinBox : public QSpinBox
{
    Q_OBJECT

public:
    explicit DurationSpinBox(QWidget *parent = nullptr);

    std::chrono::milliseconds duration() const;
    void setDuration(std::chrono::milliseconds duration);
    void setDurationRange(std::chrono::milliseconds minimum, std::chrono::milliseconds maximum);

    // The next value up (steps > 0) or down along 1, 2, 5, 10 ... ms, 1, 2, 5, 10, 15, 30 s,
    // 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12, 24 h; clamped to the range.
    static qint64 steppedValue(qint64 msecs, int steps);

    void stepBy(int steps) override;
    QValidator::State validate(QString &input, int &pos) const override;
    void fixup(QString &input) const override;
    QSize minimumSizeHint() const override;

protected:
    int valueFromText(const QString &text) const override;
    QString textFromValue(int value) const override;
};

} // namespace Demo
