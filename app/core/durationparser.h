// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QString>
#include <QtCore/QStringView>

#include <chrono>
#include <optional>

namespace Demo {

/*!
    \class Demo::DurationParser
    \brief Parses and formats the durations of the command line and the GUI.

    Accepted text: one or more \c{<number><unit>} parts, such as \c 250ms,
    \c 1.5s, \c 2m, \c 1m30s or \c 1h. Units: \c ns, \c us (or \c µs), \c ms,
    \c s, \c m (or \c min), \c h. A bare number, without a unit, means
    milliseconds. Numbers are decimal, with an optional fraction; no sign, no
    exponent, no NaN or infinity. Surrounding white space is ignored.

    Parsing is exact and never overflows: a value too large for
    std::chrono::nanoseconds is reported as out of range, and one with a part
    of a nanosecond (\c{1.0000000001s}) as "finer than 1 ns"; fractions may
    have any number of digits (\c{1.0000000001h} is 1 h 360 ns). All
    functions are reentrant.
*/
class DurationParser
{
public:
    struct Result
    {
        //! The parsed duration, or empty on error.
        std::optional<std::chrono::nanoseconds> value;
        //! Why parsing failed, in a few words ("not a duration", "negative",
        //! "out of range", "finer than 1 ns", ...); empty on success.
        QString error;

        bool isValid() const noexcept { return value.has_value(); }
    };

    //! Parses \a text with no range check beyond what nanoseconds can hold.
    static Result parse(QStringView text);

    //! Parses \a text and checks that the result lies in [\a min, \a max].
    static Result parse(QStringView text, std::chrono::nanoseconds min,
                        std::chrono::nanoseconds max);

    /*!
        Formats \a duration for people, with about three significant digits:
        "0 ms", "400 ns", "0.2 ms", "250 ms", "1.5 s", "1 min 30 s", "1 h".
        Negative durations get a leading '-'.
    */
    static QString format(std::chrono::nanoseconds duration);

    /*!
        Formats \a duration in the syntax parse() accepts, exactly when
        possible: "250ms", "1.5s", "1m30s", "1h", "0ms". parse(formatForInput(d))
        returns d for any non-negative d.
    */
    static QString formatForInput(std::chrono::nanoseconds duration);
};

} // namespace Demo
