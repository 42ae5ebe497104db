// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Demo {

/*!
    \class Demo::CommandLine
    \brief Parses cancellation-demo's command line with QCommandLineParser.

    parse() needs no QCoreApplication, so main() can parse before it decides
    between console and GUI. It never exits the process and never prints;
    report() prints the outcome.
*/
class CommandLine
{
public:
    struct Result
    {
        enum class Kind {
            Run, //!< options holds the parsed flags
            Help, //!< text is the --help text, for stdout; exit code 0
            Version, //!< text is the --version line, for stdout; exit code 0
            //! text is one line for stderr naming the flag and its range; exit code 2. Values are
            //! shown with control characters escaped and cut to 40 characters.
            Error,
        };
        Kind kind = Kind::Run;
        DemoOptions options;
        QString text; //!< without a trailing newline
        int exitCode = 0; //!< 0, or 2 for Kind::Error
    };

    //! The exit status for bad command lines.
    static constexpr int UsageErrorExitCode = 2;
    //! The exit status when stdout cannot be written (closed, full, a reader gone), as coreutils.
    static constexpr int WriteErrorExitCode = 1;

    //! Parses \a arguments; the first one is the program name, as in QCoreApplication::arguments().
    static Result parse(const QStringList &arguments);

    /*!
        Prints a Help, Version or Error result to stdout or stderr; returns its exit code, or
        WriteErrorExitCode if stdout could not be written (the error is then named on stderr).
    */
    static int report(const Result &result);
};

} // namespace Demo
