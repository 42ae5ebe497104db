// SPDX-License-Identifier: MIT
#include "durationspinbox.h"

#include "core/durationparser.h"

#include <QtWidgets/QLineEdit>

#include <algorithm>
#include <iterator>
#include <limits>

namespace Demo {

using namespace std::chrono_literals;

namespace {

// clang-format off
constexpr qint64 Ladder[] = {
    1, 2, 5, 10, 20, 50, 100, 200, 250, 500, // ms
    1'000, 2'000, 5'000, 10'000, 15'000, 30'000, // s
    60'000, 120'000, 300'000, 600'000, 900'000, 1'800'000, // min
    3'600'000, 7'200'000, 10'800'000, 21'600'000, 43'200'000, 86'400'000, // h
};
// clang-format on

// Characters that can appear in a duration: digits, the decimal point, unit letters, spaces.
bool isDurationCharacter(QChar c)
{
    static const QString units = QStringLiteral("nusmhiµ");
    return c.isDigit() || c == QLatin1Char('.') || c.isSpace() || units.contains(c.toLower());
}

} // namespace

DurationSpinBox::DurationSpinBox(QWidget *parent) : QSpinBox(parent)
{
    setKeyboardTracking(false);
    setCorrectionMode(QAbstractSpinBox::CorrectToPreviousValue);
    setAccelerated(false);
}

std::chrono::milliseconds DurationSpinBox::duration() const
{
    return std::chrono::milliseconds(value());
}

void DurationSpinBox::setDuration(std::chrono::milliseconds duration)
{
    setValue(int(std::clamp<qint64>(duration.count(), minimum(), maximum())));
}

void DurationSpinBox::setDurationRange(std::chrono::milliseconds minimum,
                                       std::chrono::milliseconds maximum)
{
    // int holds 24 days of milliseconds; the GUI needs at most 24 hours.
    setRange(int(std::clamp<qint64>(minimum.count(), 0, std::numeric_limits<int>::max())),
             int(std::clamp<qint64>(maximum.count(), 0, std::numeric_limits<int>::max())));
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
    const qint64 stepped = steppedValue(value(), steps);
    setValue(int(std::clamp<qint64>(stepped, minimum(), maximum())));
    selectAll();
}

QValidator::State DurationSpinBox::validate(QString &input, int &) const
{
    if (!std::all_of(input.cbegin(), input.cend(), isDurationCharacter))
        return QValidator::Invalid;
    const auto result = DurationParser::parse(input, std::chrono::milliseconds(minimum()),
                                              std::chrono::milliseconds(maximum()));
    // Anything else may still become a duration as the user types on ("1m" -> "1m30s").
    return result.isValid() ? QValidator::Acceptable : QValidator::Intermediate;
}

void DurationSpinBox::fixup(QString &input) const
{
    const auto result = DurationParser::parse(input);
    if (!result.isValid())
        return; // not a duration: the spin box reverts to the previous value
    const auto msecs = std::chrono::round<std::chrono::milliseconds>(*result.value).count();
    input = textFromValue(int(std::clamp<qint64>(msecs, minimum(), maximum())));
}

int DurationSpinBox::valueFromText(const QString &text) const
{
    const auto result = DurationParser::parse(text);
    if (!result.isValid())
        return value();
    const auto msecs = std::chrono::round<std::chrono::milliseconds>(*result.value).count();
    return int(std::clamp<qint64>(msecs, minimum(), maximum()));
}

QString DurationSpinBox::textFromValue(int value) const
{
    return DurationParser::formatForInput(std::chrono::milliseconds(value));
}

QSize DurationSpinBox::minimumSizeHint() const
{
    QSize size = QSpinBox::minimumSizeHint();
    const int textWidth = fontMetrics().horizontalAdvance(QStringLiteral("23h59m59.999s"));
    size.setWidth(qMax(size.width(), textWidth + 40));
    return size;
}

} // namespace Demo
