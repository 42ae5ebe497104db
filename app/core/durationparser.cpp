// SPDX-License-Identifier: MIT
#include "durationparser.h"

#include <QtCore/QStringBuilder>
#include <QtCore/QStringList>

#include <array>
#include <cstdint>
#include <limits>

namespace Demo {

namespace {

using std::chrono::nanoseconds;

struct Unit
{
    QStringView name;
    std::int64_t ns;
};

// Longest names first, so "ms" is not read as "m" followed by "s".
constexpr std::int64_t NsPerMs = 1'000'000;
const std::array<Unit, 9> Units = { {
        { u"min", 60'000 * NsPerMs },
        { u"ns", 1 },
        { u"us", 1'000 },
        { u"µs", 1'000 },
        { u"ms", NsPerMs },
        { u"s", 1'000 * NsPerMs },
        { u"m", 60'000 * NsPerMs },
        { u"h", 3'600'000 * NsPerMs },
        { u"", NsPerMs }, // a bare number: milliseconds
} };

constexpr std::int64_t MaxNs = std::numeric_limits<std::int64_t>::max();

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

DurationParser::Result failure(const QString &error)
{
    return DurationParser::Result { std::nullopt, error };
}

QString trimmedZeros(QString number)
{
    if (number.contains(u'.')) {
        while (number.endsWith(u'0'))
            number.chop(1);
        if (number.endsWith(u'.'))
            number.chop(1);
    }
    return number;
}

// value / unit with about three significant digits, trailing zeros removed.
QString scaled(std::int64_t ns, std::int64_t unit)
{
    const double value = static_cast<double>(ns) / static_cast<double>(unit);
    const int decimals = value < 1 ? 3 : value < 10 ? 2 : value < 100 ? 1 : 0;
    return trimmedZeros(QString::number(value, 'f', decimals));
}

// ns as an exact decimal number of unit (for formatForInput).
QString exactDecimal(std::int64_t ns, std::int64_t unit)
{
    QString text = QString::number(ns / unit);
    std::int64_t rest = ns % unit;
    if (rest == 0)
        return text;
    QString fraction;
    for (std::int64_t digit = unit / 10; digit > 0 && rest > 0; digit /= 10) {
        fraction += QChar(u'0' + static_cast<char16_t>(rest / digit));
        rest %= digit;
    }
    return text % u'.' % fraction;
}

} // namespace

DurationParser::Result DurationParser::parse(QStringView text)
{
    const QStringView input = text.trimmed();
    if (input.isEmpty())
        return failure(QStringLiteral("empty"));
    if (input.startsWith(u'-'))
        return failure(QStringLiteral("negative"));

    std::int64_t total = 0;
    qsizetype pos = 0;
    int parts = 0;
    while (pos < input.size()) {
        // <digits>[.<digits>]
        std::int64_t whole = 0;
        qsizetype fractionStart = 0;
        qsizetype fractionEnd = 0;
        bool anyDigit = false;
        bool wholeTooLarge = false;
        while (pos < input.size() && isDigit(input[pos])) {
            const int digit = input[pos].unicode() - u'0';
            if (whole > (MaxNs - digit) / 10)
                wholeTooLarge = true;
            else
                whole = whole * 10 + digit;
            anyDigit = true;
            ++pos;
        }
        if (pos < input.size() && input[pos] == u'.') {
            fractionStart = ++pos;
            while (pos < input.size() && isDigit(input[pos])) {
                anyDigit = true;
                ++pos;
            }
            fractionEnd = pos;
        }
        if (!anyDigit)
            return failure(QStringLiteral("not a duration"));

        const Unit *unit = nullptr;
        for (const Unit &candidate : Units) {
            if (input.sliced(pos).startsWith(candidate.name)) {
                unit = &candidate;
                break;
            }
        }
        Q_ASSERT(unit); // the empty name matches anything
        if (unit->name.isEmpty()) {
            // A bare number must be the whole text.
            if (pos < input.size() || parts > 0)
                return failure(QStringLiteral("not a duration"));
        }
        pos += unit->name.size();
        ++parts;

        if (wholeTooLarge || whole > MaxNs / unit->ns)
            return failure(QStringLiteral("out of range"));
        std::int64_t partNs = whole * unit->ns;
        // 0.d1d2...dk * unit, exactly, from the last digit: c = (d * unit + c) / 10. Each step
        // stays below 10 units, and a remainder anywhere means a part of a nanosecond, which
        // has no exact value: rejected rather than cut.
        std::int64_t fractionNs = 0;
        for (qsizetype i = fractionEnd - 1; i >= fractionStart; --i) {
            const std::int64_t step = (input[i].unicode() - u'0') * unit->ns + fractionNs;
            if (step % 10 != 0)
                return failure(QStringLiteral("finer than 1 ns"));
            fractionNs = step / 10;
        }
        if (partNs > MaxNs - fractionNs)
            return failure(QStringLiteral("out of range"));
        partNs += fractionNs;
        if (total > MaxNs - partNs)
            return failure(QStringLiteral("out of range"));
        total += partNs;
    }
    return Result { nanoseconds(total), QString() };
}

DurationParser::Result DurationParser::parse(QStringView text, nanoseconds min, nanoseconds max)
{
    Result result = parse(text);
    if (result.value && (*result.value < min || *result.value > max))
        return failure(QStringLiteral("out of range"));
    return result;
}

QString DurationParser::format(nanoseconds duration)
{
    std::int64_t ns = duration.count();
    if (ns < 0) {
        if (ns == std::numeric_limits<std::int64_t>::min())
            ++ns;
        return u'-' + format(nanoseconds(-ns));
    }
    constexpr std::int64_t Second = 1000 * NsPerMs;
    constexpr std::int64_t Minute = 60 * Second;
    constexpr std::int64_t Hour = 60 * Minute;
    if (ns == 0)
        return QStringLiteral("0 ms");
    if (ns < 1'000)
        return QString::number(ns) + QStringLiteral(" ns");
    if (ns < Second) {
        const QString ms = scaled(ns, NsPerMs);
        return ms == u"1000" ? QStringLiteral("1 s") : ms + QStringLiteral(" ms");
    }
    if (ns < Minute) {
        const QString s = scaled(ns, Second);
        return s == u"60" ? QStringLiteral("1 min") : s + QStringLiteral(" s");
    }
    // Whole minutes and hours, then seconds rounded to 0.1 s; rounded without adding first,
    // which would overflow near the maximum.
    constexpr std::int64_t Tenth = Second / 10;
    const std::int64_t tenths = ns / Tenth + (ns % Tenth >= Tenth / 2 ? 1 : 0);
    const std::int64_t hours = tenths / (Hour / (Second / 10));
    const std::int64_t minutes = tenths / 600 % 60;
    const std::int64_t secondTenths = tenths % 600;
    QStringList parts;
    if (hours > 0)
        parts << QString::number(hours) + QStringLiteral(" h");
    if (minutes > 0)
        parts << QString::number(minutes) + QStringLiteral(" min");
    if (secondTenths > 0)
        parts << trimmedZeros(QString::number(static_cast<double>(secondTenths) / 10.0, 'f', 1))
                        + QStringLiteral(" s");
    return parts.join(u' ');
}

QString DurationParser::formatForInput(nanoseconds duration)
{
    std::int64_t ns = duration.count();
    if (ns <= 0)
        return QStringLiteral("0ms");
    constexpr std::int64_t Second = 1000 * NsPerMs;
    constexpr std::int64_t Minute = 60 * Second;
    constexpr std::int64_t Hour = 60 * Minute;
    if (ns < Second)
        return exactDecimal(ns, NsPerMs) + QStringLiteral("ms");
    if (ns < Minute)
        return exactDecimal(ns, Second) + u's';
    QString text;
    if (ns >= Hour) {
        text += QString::number(ns / Hour) + u'h';
        ns %= Hour;
    }
    if (ns >= Minute) {
        text += QString::number(ns / Minute) + u'm';
        ns %= Minute;
    }
    if (ns > 0)
        text += exactDecimal(ns, Second) + u's';
    return text;
}

} // namespace Demo
