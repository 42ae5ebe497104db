// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QString>
#include <QtCore/QStringView>

#include <chrono>
#include <optional>

namespace Demo {

//! How a worker waits between two lines.
enum class WaitMode {
    //! The token's interruptible wait: a cancel is noticed at once.
    Wait,
    //! The article's loop verbatim: sleep the whole interval, then check the token.
    Poll,
    //! Both loops side by side: odd-numbered workers (1, 3, ...) poll, even-numbered ones wait.
    Mixed,
};

//! How a timeout cancels the token: the article's two ways.
enum class TimeoutStyle {
    //! A timer cancels the token at the deadline (push).
    Timer,
    //! The article's "timeout_time": the deadline is only noticed when a worker checks (pull).
    Deadline,
};

//! "wait", "poll" or "mixed", as on the command line.
QString toString(WaitMode mode);
//! "timer" or "deadline", as on the command line.
QString toString(TimeoutStyle style);
//! Parses "wait", "poll" or "mixed" (case-insensitive); empty otherwise.
std::optional<WaitMode> parseWaitMode(QStringView text);
//! Parses "timer" or "deadline" (case-insensitive); empty otherwise.
std::optional<TimeoutStyle> parseTimeoutStyle(QStringView text);

//! Accepted ranges and defaults, shared by the command line and the GUI.
namespace Limits {
inline constexpr int MinWorkers = 1;
inline constexpr int MaxWorkers = 256;
inline constexpr int DefaultWorkers = 1;
inline constexpr std::chrono::nanoseconds MinInterval = std::chrono::milliseconds(1);
inline constexpr std::chrono::nanoseconds MaxInterval = std::chrono::hours(1);
inline constexpr std::chrono::nanoseconds DefaultInterval = std::chrono::seconds(1);
inline constexpr std::chrono::nanoseconds MinTimeout = std::chrono::nanoseconds::zero();
inline constexpr std::chrono::nanoseconds MaxTimeout = std::chrono::hours(24);
inline constexpr WaitMode DefaultMode = WaitMode::Wait;
inline constexpr TimeoutStyle DefaultTimeoutStyle = TimeoutStyle::Timer;
} // namespace Limits

/*!
    \struct Demo::DemoOptions
    \brief The parsed command line. Each optional field is set only if its flag was given,
    and is then within its range (see Limits).
*/
struct DemoOptions
{
    std::optional<int> workers; //!< --workers N
    std::optional<std::chrono::nanoseconds> interval; //!< --interval D
    std::optional<std::chrono::nanoseconds> timeout; //!< --timeout D; zero cancels at once
    std::optional<WaitMode> mode; //!< --mode wait|poll|mixed
    std::optional<TimeoutStyle> timeoutStyle; //!< --timeout-style timer|deadline
    //! --ignoring-workers N: workers 1 to N never look at their token; 0 to workers
    std::optional<int> ignoringWorkers;
    //! --tour N: the window opens its tour at step N (1-based, at most MaxTourStep); with
    //! start, it tries that step instead of the run of the other flags
    std::optional<int> tourStep;
    static constexpr int MaxTourStep = 99;
    bool console = false; //!< --console: run in the terminal
    bool start = false; //!< --start: the GUI starts a run at once (the console always does)
    bool quiet = false; //!< --quiet: the console prints no "Hello World!" lines
};

} // namespace Demo
