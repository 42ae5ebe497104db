// SPDX-License-Identifier: MIT
#include "commandline.h"

#include "core/durationparser.h"
#include "core/workerrunner.h"

#include <QtCore/QCommandLineOption>
#include <QtCore/QCommandLineParser>
#include <QtCore/QStringBuilder>

#include <cerrno>
#include <cstdio>
#include <limits>

namespace Demo {

namespace {

const QString Program = QStringLiteral("cancellation-demo");

QString durationRange(std::chrono::nanoseconds min, std::chrono::nanoseconds max)
{
    return QStringLiteral("a duration from %1 to %2, such as 250ms, 1.5s, 2m, 1m30s or 1h "
                          "(a bare number is milliseconds)")
            .arg(DurationParser::format(min), DurationParser::format(max));
}

QString workersRange()
{
    return QStringLiteral("a whole number from %1 to %2")
            .arg(Limits::MinWorkers)
            .arg(Limits::MaxWorkers);
}

CommandLine::Result error(const QString &text)
{
    CommandLine::Result result;
    result.kind = CommandLine::Result::Kind::Error;
    result.text = Program % QStringLiteral(": ") % text;
    result.exitCode = CommandLine::UsageErrorExitCode;
    return result;
}

// Text from the command line as shown in a one-line message: control characters and line
// separators escaped in C style (a newline becomes a backslash and n), cut after maxShown
// characters with "...".
QString shown(const QString &value, qsizetype maxShown = 40)
{
    QString text;
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (text.size() >= maxShown) {
            text += QStringLiteral("...");
            break;
        }
        const QChar c = value.at(i);
        const char16_t u = c.unicode();
        if (u == u'\n')
            text += QStringLiteral("\\n");
        else if (u == u'\r')
            text += QStringLiteral("\\r");
        else if (u == u'\t')
            text += QStringLiteral("\\t");
        else if (u < 0x20 || u == 0x7f)
            text += QStringLiteral("\\x%1").arg(uint(u), 2, 16, QChar(u'0'));
        else if (c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line
                 || c.category() == QChar::Separator_Paragraph)
            text += QStringLiteral("\\u%1").arg(uint(u), 4, 16, QChar(u'0'));
        else if (c.isHighSurrogate() && i + 1 < value.size()) {
            text += c;
            text += value.at(++i); // never half a pair
        } else
            text += c;
    }
    return text;
}

CommandLine::Result badValue(const QString &flag, const QString &value, const QString &why,
                             const QString &expected)
{
    return error(QStringLiteral("invalid value '%1' for --%2 (%3); expected %4")
                         .arg(shown(value), flag, why, expected));
}

// Strict decimal: digits only, no sign, no white space inside, no fraction; min to max.
std::optional<int> parseCount(QStringView text, QString *why, int min = Limits::MinWorkers,
                              int max = Limits::MaxWorkers)
{
    const QStringView digits = text.trimmed();
    if (digits.isEmpty()) {
        *why = QStringLiteral("empty");
        return std::nullopt;
    }
    if (digits.startsWith(u'-')) {
        *why = QStringLiteral("negative");
        return std::nullopt;
    }
    qint64 value = 0;
    for (QChar c : digits) {
        if (c < u'0' || c > u'9') {
            *why = QStringLiteral("not a whole number");
            return std::nullopt;
        }
        value = value * 10 + (c.unicode() - u'0');
        if (value > std::numeric_limits<int>::max()) {
            *why = QStringLiteral("out of range");
            return std::nullopt;
        }
    }
    if (value < min || value > max) {
        *why = QStringLiteral("out of range");
        return std::nullopt;
    }
    return static_cast<int>(value);
}

} // namespace

CommandLine::Result CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Runs the cancellation-token article's program: workers print \"Hello World!\" until "
            "their token is canceled by Ctrl+C (SIGINT), SIGTERM, a timeout or the window."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption consoleOption(
            QStringLiteral("console"), QStringLiteral("Run in the terminal instead of a window."));
    const QCommandLineOption workersOption(
            QStringLiteral("workers"),
            QStringLiteral("Number of workers, %1 to %2 (default %3).")
                    .arg(Limits::MinWorkers)
                    .arg(Limits::MaxWorkers)
                    .arg(Limits::DefaultWorkers),
            QStringLiteral("N"));
    const QCommandLineOption intervalOption(
            QStringLiteral("interval"),
            QStringLiteral("Time between two lines of a worker, %1 to %2 (default %3).")
                    .arg(DurationParser::format(Limits::MinInterval),
                         DurationParser::format(Limits::MaxInterval),
                         DurationParser::format(Limits::DefaultInterval)),
            QStringLiteral("D"));
    const QCommandLineOption timeoutOption(
            QStringLiteral("timeout"),
            QStringLiteral("Cancel the token after D, %1 to %2; 0 cancels at once (default: none).")
                    .arg(DurationParser::format(Limits::MinTimeout),
                         DurationParser::format(Limits::MaxTimeout)),
            QStringLiteral("D"));
    const QCommandLineOption modeOption(
            QStringLiteral("mode"),
            QStringLiteral("wait: the token's interruptible wait, a cancel is noticed at once "
                           "(default). poll: the article's loop, sleep the whole interval, then "
                           "check. mixed: both side by side, odd-numbered workers poll, "
                           "even-numbered ones wait."),
            QStringLiteral("wait|poll|mixed"));
    const QCommandLineOption timeoutStyleOption(
            QStringLiteral("timeout-style"),
            QStringLiteral("timer: a timer cancels the token (default). deadline: the article's "
                           "timeout_time, checked only when a worker polls."),
            QStringLiteral("timer|deadline"));
    const QCommandLineOption ignoringOption(
            QStringLiteral("ignoring-workers"),
            QStringLiteral("Workers 1 to N ignore their token: each prints %1 lines and ends on "
                           "its own, canceled or not. 0 to the number of workers (default 0).")
                    .arg(RunConfig::DefaultIgnoredLineLimit),
            QStringLiteral("N"));
    const QCommandLineOption startOption(QStringLiteral("start"),
                                         QStringLiteral("GUI: start the workers at once."));
    const QCommandLineOption tourOption(
            QStringLiteral("tour"),
            QStringLiteral("GUI: open the tour \"Learn the pattern\" at step N; with --start, "
                           "try that step at once."),
            QStringLiteral("N"));
    const QCommandLineOption quietOption(
            QStringLiteral("quiet"),
            QStringLiteral("Console: don't print the \"Hello World!\" lines; the signal and Done "
                           "lines still appear."));
    parser.addOptions({ consoleOption, workersOption, intervalOption, timeoutOption, modeOption,
                        timeoutStyleOption, ignoringOption, startOption, tourOption, quietOption });

    if (!parser.parse(arguments)) {
        // "Unknown option 'x'." or "Missing value after '--workers'.": add the accepted range.
        QString text = parser.errorText();
        const std::pair<QString, QString> ranges[] = {
            { QStringLiteral("workers"), workersRange() },
            { QStringLiteral("interval"), durationRange(Limits::MinInterval, Limits::MaxInterval) },
            { QStringLiteral("timeout"), durationRange(Limits::MinTimeout, Limits::MaxTimeout) },
            { QStringLiteral("mode"), QStringLiteral("wait, poll or mixed") },
            { QStringLiteral("timeout-style"), QStringLiteral("timer or deadline") },
            { QStringLiteral("ignoring-workers"),
              QStringLiteral("a whole number from 0 to the "
                             "number of workers") },
        };
        for (const auto &[flag, expected] : ranges) {
            if (text.startsWith(QStringLiteral("Missing value"))
                && text.contains(QStringLiteral("'--") % flag % u'\'')) {
                text.chop(1); // the final '.'
                return error(text % QStringLiteral("; expected ") % expected);
            }
        }
        if (!parser.unknownOptionNames().isEmpty()) {
            // As given, so shown: one line, cut.
            return error(QStringLiteral("Unknown option '%1'. Try --help.")
                                 .arg(shown(parser.unknownOptionNames().constFirst())));
        }
        return error(shown(text, 120) % QStringLiteral(" Try --help."));
    }
    if (parser.isSet(helpOption) || parser.isSet(QStringLiteral("help-all"))) {
        Result result;
        result.kind = Result::Kind::Help;
        // QCommandLineParser names the program after argv[0], or "<executable_name>" when no
        // QCoreApplication exists yet: name it the same way in both cases.
        result.text = parser.helpText().trimmed();
        const qsizetype firstLineEnd = result.text.indexOf(u'\n');
        if (result.text.startsWith(QStringLiteral("Usage: ")) && firstLineEnd > 0)
            result.text.replace(0, firstLineEnd,
                                QStringLiteral("Usage: ") % Program % QStringLiteral(" [options]"));
        return result;
    }
    if (parser.isSet(versionOption)) {
        Result result;
        result.kind = Result::Kind::Version;
        result.text = Program % u' ' % QStringLiteral(CANCELLATION_DEMO_VERSION);
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        return error(
                QStringLiteral("unexpected argument '%1'; all options start with --. Try --help.")
                        .arg(shown(parser.positionalArguments().constFirst())));
    }
    // Each flag once: which of two values was meant is not ours to guess.
    const QStringList given = parser.optionNames();
    for (const QString &name : given) {
        if (given.count(name) > 1)
            return error(QStringLiteral("--%1 given more than once; give each flag once. Try "
                                        "--help.")
                                 .arg(shown(name)));
    }

    DemoOptions options;
    options.console = parser.isSet(consoleOption);
    options.start = parser.isSet(startOption);
    options.quiet = parser.isSet(quietOption);

    if (parser.isSet(workersOption)) {
        const QString value = parser.value(workersOption);
        QString why;
        options.workers = parseCount(value, &why);
        if (!options.workers)
            return badValue(QStringLiteral("workers"), value, why, workersRange());
    }
    const auto parseDuration =
            [&parser](const QCommandLineOption &option, const QString &flag,
                      std::chrono::nanoseconds min, std::chrono::nanoseconds max,
                      std::optional<std::chrono::nanoseconds> *out) -> std::optional<Result> {
        if (!parser.isSet(option))
            return std::nullopt;
        const QString value = parser.value(option);
        const DurationParser::Result parsed = DurationParser::parse(value, min, max);
        if (!parsed.isValid())
            return badValue(flag, value, parsed.error, durationRange(min, max));
        *out = parsed.value;
        return std::nullopt;
    };
    if (auto failed = parseDuration(intervalOption, QStringLiteral("interval"), Limits::MinInterval,
                                    Limits::MaxInterval, &options.interval))
        return *failed;
    if (auto failed = parseDuration(timeoutOption, QStringLiteral("timeout"), Limits::MinTimeout,
                                    Limits::MaxTimeout, &options.timeout))
        return *failed;
    if (parser.isSet(modeOption)) {
        const QString value = parser.value(modeOption);
        options.mode = parseWaitMode(value.trimmed());
        if (!options.mode)
            return badValue(QStringLiteral("mode"), value, QStringLiteral("unknown mode"),
                            QStringLiteral("wait, poll or mixed"));
    }
    if (parser.isSet(timeoutStyleOption)) {
        const QString value = parser.value(timeoutStyleOption);
        options.timeoutStyle = parseTimeoutStyle(value.trimmed());
        if (!options.timeoutStyle)
            return badValue(QStringLiteral("timeout-style"), value, QStringLiteral("unknown style"),
                            QStringLiteral("timer or deadline"));
    }
    if (parser.isSet(ignoringOption)) {
        const QString value = parser.value(ignoringOption);
        const int workers = options.workers.value_or(Limits::DefaultWorkers);
        const QString expected =
                QStringLiteral("a whole number from 0 to %1, the number of workers").arg(workers);
        QString why;
        options.ignoringWorkers = parseCount(value, &why, 0, Limits::MaxWorkers);
        if (!options.ignoringWorkers)
            return badValue(QStringLiteral("ignoring-workers"), value, why, expected);
        if (*options.ignoringWorkers > workers)
            return badValue(QStringLiteral("ignoring-workers"), value,
                            workers == 1 ? QStringLiteral("more than the 1 worker")
                                         : QStringLiteral("more than the %1 workers").arg(workers),
                            expected);
    }

    if (parser.isSet(tourOption)) {
        const QString value = parser.value(tourOption);
        const QString expected = QStringLiteral("a step of the tour, from 1");
        QString why;
        options.tourStep = parseCount(value, &why, 1, DemoOptions::MaxTourStep);
        if (!options.tourStep)
            return badValue(QStringLiteral("tour"), value, why, expected);
        if (options.console)
            return error(QStringLiteral("--tour is the window's; it cannot go with --console. "
                                        "Try --help."));
    }

    Result result;
    result.options = options;
    return result;
}

int CommandLine::report(const Result &result)
{
    if (result.kind == Result::Kind::Run)
        return result.exitCode;
    const QByteArray text = result.text.toLocal8Bit() + '\n';
    std::FILE *stream = result.kind == Result::Kind::Error ? stderr : stdout;
    const bool written =
            std::fwrite(text.constData(), 1, static_cast<std::size_t>(text.size()), stream)
                    == static_cast<std::size_t>(text.size())
            && std::fflush(stream) == 0;
    if (!written && stream == stdout) {
        // As coreutils: --help > /dev/full is an error, named on stderr.
        const int writeError = errno;
        const QByteArray message = QStringLiteral("%1: write error on stdout: %2\n")
                                           .arg(Program, qt_error_string(writeError))
                                           .toLocal8Bit();
        std::fwrite(message.constData(), 1, static_cast<std::size_t>(message.size()), stderr);
        std::fflush(stderr);
        return WriteErrorExitCode;
    }
    return result.exitCode;
}

} // namespace Demo
