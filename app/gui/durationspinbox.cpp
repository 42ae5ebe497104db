// SPDX-License-Identifier: MIT
#include "durationspinbox.h"

#include "core/durationparser.h"

#include <QtGui/QPalette>
#include <QtWidgets/QLineEdit>

#include <algorithm>
#include <iterator>

namespace Demo {

using std::chrono::milliseconds;

namespace {

// clang-format off
constexpr qint64 Ladder[] = {
    1, 2, 5, 10, 20, 50, 100, 200, 250, 500, // ms
    1'000, 2'000, 5'000, 10'000, 15'000, 30'000, // s
    60'000, 120'000, 300'000, 600'000, 900'000, 1'800'000, // min
    3'600'000, 7'200'000, 10'800'000, 21'600'000, 43'200'000, 86'400'000, // h
};
// clang-format on

} // namespace

DurationSpinBox::DurationSpinBox(QWidget *parent) : QAbstractSpinBox(parent)
{
    setAccelerated(false);
    lineEdit()->setText(DurationParser::formatForInput(m_duration));
    connect(lineEdit(), &QLineEdit::textChanged, this, &DurationSpinBox::onTextChanged);
    connect(this, &QAbstractSpinBox::editingFinished, this, &DurationSpinBox::commit);
}

DurationSpinBox::Duration DurationSpinBox::duration() const
{
    return m_duration;
}

void DurationSpinBox::setDuration(Duration duration)
{
    const Duration clamped = std::clamp(duration, m_minimum, m_maximum);
    const bool changed = clamped != m_duration;
    m_duration = clamped;
    lineEdit()->setText(DurationParser::formatForInput(clamped)); // valid: clears any problem
    onTextChanged();
    if (changed)
        Q_EMIT durationChanged(m_duration);
}

void DurationSpinBox::setDurationRange(Duration minimum, Duration maximum)
{
    m_minimum = minimum;
    m_maximum = std::max(minimum, maximum);
    setDuration(m_duration);
}

DurationSpinBox::Duration DurationSpinBox::minimumDuration() const
{
    return m_minimum;
}

DurationSpinBox::Duration DurationSpinBox::maximumDuration() const
{
    return m_maximum;
}

bool DurationSpinBox::commit()
{
    const DurationParser::Result parsed = DurationParser::parse(text(), m_minimum, m_maximum);
    if (!parsed.isValid())
        return false;
    if (*parsed.value != m_duration) {
        m_duration = *parsed.value;
        Q_EMIT durationChanged(m_duration);
    }
    onTextChanged();
    return true;
}

QString DurationSpinBox::problem() const
{
    return m_problem;
}

bool DurationSpinBox::isPending() const
{
    return m_pending;
}

void DurationSpinBox::onTextChanged()
{
    const QString typed = text().trimmed();
    const DurationParser::Result parsed = DurationParser::parse(typed, m_minimum, m_maximum);
    QString problem;
    if (typed.isEmpty())
        problem = tr("empty");
    else if (!parsed.isValid() && DurationParser::parse(typed).isValid())
        problem =
                tr("out of range: %1 to %2")
                        .arg(DurationParser::format(m_minimum), DurationParser::format(m_maximum));
    else if (!parsed.isValid())
        problem = parsed.error;
    const bool pending = parsed.isValid() && *parsed.value != m_duration;
    if (problem != m_problem || pending != m_pending) {
        m_problem = problem;
        m_pending = pending;
        showState();
    }
    Q_EMIT editStateChanged();
}

void DurationSpinBox::showState()
{
    // Invalid text keeps its place, tinted: the user sees what they typed and that it is wrong.
    QPalette palette = QAbstractSpinBox::palette();
    if (!m_problem.isEmpty()) {
        const QColor base = palette.color(QPalette::Base);
        const QColor red(0xe5, 0x39, 0x35);
        const auto mix = [](int from, int to) { return (from * 3 + to) / 4; };
        palette.setColor(QPalette::Base,
                         QColor(mix(base.red(), red.red()), mix(base.green(), red.green()),
                                mix(base.blue(), red.blue())));
    }
    lineEdit()->setPalette(palette);
    QFont font = lineEdit()->font();
    font.setItalic(m_pending);
    lineEdit()->setFont(font);
}

qint64 DurationSpinBox::steppedValue(qint64 msecs, int steps)
{
    const auto *begin = std::begin(Ladder);
    const auto *end = std::end(Ladder);
    qint64 value = msecs;
    for (; steps > 0; --steps) {
        const auto *next = std::upper_bound(begin, end, value);
        value = next == end ? value : *next;
    }
    for (; steps < 0; ++steps) {
        const auto *previous = std::lower_bound(begin, end, value);
        value = previous == begin ? 0 : *(previous - 1);
    }
    return value;
}

void DurationSpinBox::stepBy(int steps)
{
    // From the value shown if it is valid, else from the one applied.
    const DurationParser::Result parsed = DurationParser::parse(text(), m_minimum, m_maximum);
    const Duration from = parsed.isValid() ? *parsed.value : m_duration;
    const qint64 msecs = std::chrono::duration_cast<milliseconds>(from).count();
    setDuration(milliseconds(steppedValue(msecs, steps)));
    selectAll();
}

QValidator::State DurationSpinBox::validate(QString &, int &) const
{
    return QValidator::Acceptable;
}

QAbstractSpinBox::StepEnabled DurationSpinBox::stepEnabled() const
{
    if (isReadOnly())
        return StepNone;
    StepEnabled enabled = StepNone;
    if (m_duration < m_maximum)
        enabled |= StepUpEnabled;
    if (m_duration > m_minimum)
        enabled |= StepDownEnabled;
    return enabled;
}

QSize DurationSpinBox::sizeHint() const
{
    QSize size = QAbstractSpinBox::sizeHint();
    const int textWidth = fontMetrics().horizontalAdvance(QStringLiteral("23h59m59.999s"));
    size.setWidth(std::max(size.width(), textWidth + 40));
    return size;
}

QSize DurationSpinBox::minimumSizeHint() const
{
    QSize size = QAbstractSpinBox::minimumSizeHint();
    const int textWidth = fontMetrics().horizontalAdvance(QStringLiteral("1m30.5s"));
    size.setWidth(std::max(size.width(), textWidth + 40));
    return size;
}

} // namespace Demo
