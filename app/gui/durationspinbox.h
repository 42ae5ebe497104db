// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QAbstractSpinBox>

#include <chrono>

namespace Demo {

/*
    A spin box for durations in the command line's syntax ("250ms", "1.5s", "1m30s"; a bare
    number is milliseconds), read and written by DurationParser: it accepts exactly what the
    command line accepts, within its range, to the nanosecond.

    Typed text is never reinterpreted. Text that is not a duration in range stays as typed,
    marked invalid, and problem() says why; the duration stays the last one applied. Valid text
    is applied when editing ends (Return, or the focus leaving) or by commit(); until then it is
    pending (isPending()). The arrows step along 1-2-5 and apply at once.
*/
class DurationSpinBox : public QAbstractSpinBox
{
    Q_OBJECT

public:
    using Duration = std::chrono::nanoseconds;

    explicit DurationSpinBox(QWidget *parent = nullptr);

    // The duration applied last.
    Duration duration() const;
    // Shows and applies \a duration, clamped to the range.
    void setDuration(Duration duration);
    void setDurationRange(Duration minimum, Duration maximum);
    Duration minimumDuration() const;
    Duration maximumDuration() const;

    // Applies the text if it is valid; returns false, changing nothing, if it is not.
    bool commit();
    // Why the text is not a duration in range ("not a duration", "longer than 10 s", ...);
    // empty when it is one.
    QString problem() const;
    // The text is a valid duration other than the one applied.
    bool isPending() const;

    // The next value up (steps > 0) or down along 1, 2, 5, 10 ... ms, 1, 2, 5, 10, 15, 30 s,
    // 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12, 24 h.
    static qint64 steppedValue(qint64 msecs, int steps);

    void stepBy(int steps) override;
    // Always Acceptable: no keystroke is refused, and nothing is corrected behind the user's
    // back; problem() judges the text instead.
    QValidator::State validate(QString &input, int &pos) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    // The applied duration changed: valid text was confirmed, or setDuration() or an arrow.
    void durationChanged(std::chrono::nanoseconds duration);
    // The text was edited: problem() and isPending() may have changed.
    void editStateChanged();

protected:
    StepEnabled stepEnabled() const override;

private:
    void onTextChanged();
    void showState();

    Duration m_duration {};
    Duration m_minimum {};
    Duration m_maximum = std::chrono::hours(24);
    QString m_problem;
    bool m_pending = false;
};

} // namespace Demo
