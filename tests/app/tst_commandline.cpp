// SPDX-License-Identifier: MIT
#include "core/commandline.h"

#include <QtTest/QTest>

#include <chrono>

using Demo::CommandLine;
using Kind = Demo::CommandLine::Result::Kind;
using namespace std::chrono_literals;

namespace {

CommandLine::Result parse(const QStringList &flags)
{
    return CommandLine::parse(QStringList { QStringLiteral("cancellation-demo") } + flags);
}

QStringList split(const char *flags)
{
    return QString::fromUtf8(flags).split(u' ', Qt::SkipEmptyParts);
}

} // namespace

class tst_CommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsLeaveEverythingUnset();
    void parsesEveryFlag();
    void rejectsRepeatedFlags_data();
    void rejectsRepeatedFlags();
    void emptyValueWithEquals();
    void helpAndVersion_data();
    void helpAndVersion();
    void rejectsBadInput_data();
    void rejectsBadInput();
};

void tst_CommandLine::defaultsLeaveEverythingUnset()
{
    const CommandLine::Result result = parse({});
    QCOMPARE(result.kind, Kind::Run);
    QCOMPARE(result.exitCode, 0);
    QVERIFY(!result.options.workers);
    QVERIFY(!result.options.interval);
    QVERIFY(!result.options.timeout);
    QVERIFY(!result.options.mode);
    QVERIFY(!result.options.timeoutStyle);
    QVERIFY(!result.options.console);
    QVERIFY(!result.options.start);
    QVERIFY(!result.options.quiet);
    QVERIFY(!result.options.ignoringWorkers);
}

void tst_CommandLine::parsesEveryFlag()
{
    const CommandLine::Result result =
            parse(split("--console --workers 64 --interval 1m30s --timeout 0 --mode poll "
                        "--timeout-style deadline "
                        "--start --quiet"));
    QCOMPARE(result.kind, Kind::Run);
    const Demo::DemoOptions &options = result.options;
    QCOMPARE(options.workers, 64);
    QCOMPARE(options.interval, std::chrono::nanoseconds(90s));
    QCOMPARE(options.timeout, std::chrono::nanoseconds(0));
    QVERIFY(options.mode == Demo::WaitMode::Poll);
    QVERIFY(options.timeoutStyle == Demo::TimeoutStyle::Deadline);
    QVERIFY(options.console);
    QVERIFY(options.start);
    QVERIFY(options.quiet);

    const CommandLine::Result other =
            parse(split("--mode=WAIT --timeout-style=timer --interval=250"));
    QCOMPARE(other.kind, Kind::Run);
    QVERIFY(other.options.mode == Demo::WaitMode::Wait);
    QVERIFY(parse(split("--mode Mixed")).options.mode == Demo::WaitMode::Mixed);
    QCOMPARE(parse(split("--tour 3 --start")).options.tourStep, 3);
    QVERIFY(other.options.timeoutStyle == Demo::TimeoutStyle::Timer);
    QCOMPARE(other.options.interval, std::chrono::nanoseconds(250ms));

    QCOMPARE(parse(split("--workers 4 --ignoring-workers 4")).options.ignoringWorkers, 4);
    QCOMPARE(parse(split("--ignoring-workers 0")).options.ignoringWorkers, 0);
    QCOMPARE(parse(split("--ignoring-workers 1")).options.ignoringWorkers, 1);
}

void tst_CommandLine::rejectsRepeatedFlags_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("flag");
    QTest::newRow("same value") << split("--workers 2 --workers 2") << QStringLiteral("--workers");
    QTest::newRow("last valid") << split("--workers 0 --workers 3") << QStringLiteral("--workers");
    QTest::newRow("first valid") << split("--interval 1s --interval x")
                                 << QStringLiteral("--interval");
    QTest::newRow("with =") << split("--mode=poll --mode wait") << QStringLiteral("--mode");
    QTest::newRow("switch") << split("--console --quiet --quiet") << QStringLiteral("--quiet");
}

void tst_CommandLine::rejectsRepeatedFlags()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, flag);
    const CommandLine::Result result = parse(flags);
    QCOMPARE(result.kind, Kind::Error);
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.text,
             QStringLiteral("cancellation-demo: ") + flag
                     + QStringLiteral(" given more than once; give each flag once. Try --help."));
}

void tst_CommandLine::emptyValueWithEquals()
{
    const CommandLine::Result result = parse({ QStringLiteral("--workers=") });
    QCOMPARE(result.kind, Kind::Error);
    QVERIFY2(result.text.contains(QStringLiteral("(empty)")), qPrintable(result.text));
}

void tst_CommandLine::helpAndVersion_data()
{
    QTest::addColumn<QString>("flag");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("contains");
    QTest::newRow("--help") << QStringLiteral("--help") << Kind::Help
                            << QStringLiteral("--timeout-style");
    QTest::newRow("--help ignoring")
            << QStringLiteral("--help") << Kind::Help << QStringLiteral("--ignoring-workers <N>");
    QTest::newRow("-h") << QStringLiteral("-h") << Kind::Help
                        << QStringLiteral("Usage: cancellation-demo");
    QTest::newRow("--help-all") << QStringLiteral("--help-all") << Kind::Help
                                << QStringLiteral("--workers");
    QTest::newRow("--version") << QStringLiteral("--version") << Kind::Version
                               << QStringLiteral("cancellation-demo 0.");
    QTest::newRow("-v") << QStringLiteral("-v") << Kind::Version
                        << QStringLiteral("cancellation-demo 0.");
}

void tst_CommandLine::helpAndVersion()
{
    QFETCH(QString, flag);
    QFETCH(Kind, kind);
    QFETCH(QString, contains);
    const CommandLine::Result result = parse({ flag });
    QCOMPARE(result.kind, kind);
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.text.contains(contains), qPrintable(result.text));
}

void tst_CommandLine::rejectsBadInput_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("contains");
    const auto row = [](const char *name, const QStringList &flags, const char *contains) {
        QTest::newRow(name) << flags << QString::fromUtf8(contains);
    };
    row("workers 0", split("--workers 0"),
        "--workers (out of range); expected a whole number from 1 to 256");
    row("workers 257", split("--workers 257"), "--workers (out of range)");
    row("workers -1", split("--workers -1"), "--workers (negative)");
    row("workers 1.5", split("--workers 1.5"), "--workers (not a whole number)");
    row("workers abc", split("--workers abc"), "--workers (not a whole number)");
    row("workers overflow", split("--workers 99999999999999999999"), "--workers (out of range)");
    row("workers missing", split("--workers"),
        "Missing value after '--workers'; expected a whole number from 1 to 256");
    row("interval 0", split("--interval 0"),
        "--interval (out of range); expected a duration from 1 ms to 1 h");
    row("interval nan", split("--interval nan"), "--interval (not a duration)");
    row("interval -5ms", split("--interval -5ms"), "--interval (negative)");
    row("interval missing", split("--interval"),
        "Missing value after '--interval'; expected a duration");
    row("timeout 25h", split("--timeout 25h"),
        "--timeout (out of range); expected a duration from 0 ms to 24 h");
    row("timeout inf", split("--timeout inf"), "--timeout (not a duration)");
    row("mode bad", split("--mode sleep"), "--mode (unknown mode); expected wait, poll or mixed");
    row("mode empty", { QStringLiteral("--mode=") }, "--mode (unknown mode)");
    row("tour 0", split("--tour 0"), "--tour (out of range); expected a step of the tour, from 1");
    row("tour in the console", split("--console --tour 2"), "--tour is the window's");
    row("style bad", split("--timeout-style push"),
        "--timeout-style (unknown style); expected timer or deadline");
    row("ignoring more than workers", split("--workers 2 --ignoring-workers 3"),
        "--ignoring-workers (more than the 2 workers); expected a whole number from 0 to 2");
    row("ignoring more than default workers", split("--ignoring-workers 2"),
        "--ignoring-workers (more than the 1 worker); expected a whole number from 0 to 1");
    row("ignoring -1", split("--workers 2 --ignoring-workers -1"), "--ignoring-workers (negative)");
    row("ignoring abc", split("--ignoring-workers abc"), "--ignoring-workers (not a whole number)");
    row("ignoring missing", split("--ignoring-workers"),
        "Missing value after '--ignoring-workers'; expected a whole number from 0 to the number");
    row("unknown", split("--frobnicate"), "Unknown option 'frobnicate'");
    row("positional", split("fast"), "unexpected argument 'fast'");
    // One line, whatever the input: control characters escaped, long values cut.
    row("newline", { QStringLiteral("--interval"), QStringLiteral("1\ns") }, "'1\\ns'");
    row("escape", { QStringLiteral("--workers"), QStringLiteral("\x1b[2J") }, "'\\x1b[2J'");
    row("line separator", { QStringLiteral("--mode"), QStringLiteral("a\u2028b") }, "'a\\u2028b'");
    row("long value", { QStringLiteral("--workers"), QString(300, u'7') },
        "'7777777777777777777777777777777777777777...' for --workers (out of range)");
    row("long positional", { QString(300, u'p') },
        "unexpected argument 'pppppppppppppppppppppppppppppppppppppppp...'");
    row("positional newline", { QStringLiteral("a\nb") }, "unexpected argument 'a\\nb'");
    row("unknown newline", { QStringLiteral("--a\nb") }, "Unknown option 'a\\nb'. Try --help.");
}

void tst_CommandLine::rejectsBadInput()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, contains);
    const CommandLine::Result result = parse(flags);
    QCOMPARE(result.kind, Kind::Error);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.text.startsWith(QStringLiteral("cancellation-demo: ")),
             qPrintable(result.text));
    QVERIFY2(result.text.contains(contains), qPrintable(result.text));
    QVERIFY2(!result.text.contains(u'\n'), qPrintable(result.text));
    QVERIFY2(!result.text.contains(QChar(0x2028)), qPrintable(result.text));
    QVERIFY2(result.text.size() <= 250, qPrintable(result.text));
}

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
