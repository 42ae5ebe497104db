// SPDX-License-Identifier: MIT
#include "core/durationparser.h"

#include <QtTest/QTest>

#include <chrono>
#include <limits>

using Demo::DurationParser;
using namespace std::chrono_literals;
using std::chrono::nanoseconds;

class tst_DurationParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesValid_data();
    void parsesValid();
    void rejectsInvalid_data();
    void rejectsInvalid();
    void checksRange_data();
    void checksRange();
    void formatsForPeople_data();
    void formatsForPeople();
    void formatForInputRoundTrips_data();
    void formatForInputRoundTrips();
};

void tst_DurationParser::parsesValid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("expectedNs");
    const auto row = [](const char *text, nanoseconds expected) {
        QTest::newRow(text) << QString::fromUtf8(text) << qint64(expected.count());
    };
    row("250ms", 250ms);
    row("1.5s", 1500ms);
    row("2m", 2min);
    row("1m30s", 90s);
    row("1h", 1h);
    row("250", 250ms); // a bare number is milliseconds
    row("1.5", 1500us);
    row("0", 0ns);
    row("0ms", 0ns);
    row("  1s  ", 1s);
    row("1h30m", 90min);
    row("1h0m1s", 3601s);
    row("2min", 2min);
    row("10us", 10us);
    row("10µs", 10us);
    row("7ns", 7ns);
    row(".5s", 500ms);
    row("5.s", 5s);
    row("0.001ms", 1us);
    row("1.123456789s", 1123456789ns);
    // Exactly, whatever the number of digits: 1e-10 h is 360 ns.
    row("1.0000000001h", 1h + 360ns);
    row("0.0000000001h", 360ns);
    row("1.5000000000000000000000s", 1500ms); // trailing zeros change nothing
    row("0.000000001s", 1ns);
    row("0.0000000025h", 9us);
    row("007s", 7s);
    row("9223372036854775807ns", nanoseconds::max());
    row("9223372036.854775807s", nanoseconds::max());
    row("2562047h", 2562047h);
}

void tst_DurationParser::parsesValid()
{
    QFETCH(QString, text);
    QFETCH(qint64, expectedNs);
    const DurationParser::Result result = DurationParser::parse(text);
    QVERIFY2(result.isValid(), qPrintable(result.error));
    QVERIFY(result.error.isEmpty());
    QCOMPARE(result.value->count(), expectedNs);
}

void tst_DurationParser::rejectsInvalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    const auto row = [](const char *name, const QString &text, const char *error) {
        QTest::newRow(name) << text << QString::fromUtf8(error);
    };
    row("empty", QString(), "empty");
    row("blank", QStringLiteral("   "), "empty");
    row("negative", QStringLiteral("-1s"), "negative");
    row("negative zero", QStringLiteral("-0"), "negative");
    row("plus sign", QStringLiteral("+5"), "not a duration");
    row("nan", QStringLiteral("nan"), "not a duration");
    row("NaN", QStringLiteral("NaN"), "not a duration");
    row("inf", QStringLiteral("inf"), "not a duration");
    row("infinity", QStringLiteral("infinity"), "not a duration");
    row("exponent", QStringLiteral("1e3"), "not a duration");
    row("hex", QStringLiteral("0x10"), "not a duration");
    row("letters", QStringLiteral("abc"), "not a duration");
    row("unknown unit", QStringLiteral("5x"), "not a duration");
    row("unit alone", QStringLiteral("s"), "not a duration");
    row("dot alone", QStringLiteral(".s"), "not a duration");
    row("two dots", QStringLiteral("1.2.3s"), "not a duration");
    row("bare after unit", QStringLiteral("1m30"), "not a duration");
    row("space inside", QStringLiteral("1 s"), "not a duration");
    row("minus inside", QStringLiteral("1s-1ms"), "not a duration");
    row("comma", QStringLiteral("1,5s"), "not a duration");
    row("capital unit", QStringLiteral("1S"), "not a duration");
    row("int64 + 1 ns", QStringLiteral("9223372036854775808ns"), "out of range");
    row("huge bare", QStringLiteral("99999999999999999999"), "out of range");
    row("many digits", QString(400, u'9') + u's', "out of range");
    row("hours overflow", QStringLiteral("2562048h"), "out of range");
    row("fraction overflow", QStringLiteral("9223372036.854775808s"), "out of range");
    row("sum overflow", QStringLiteral("2562047h48m"), "out of range");
    // A part of a nanosecond has no exact value: rejected, never cut (1e-14 h is 0.036 ns).
    row("0.036 ns", QStringLiteral("0.00000000000001h"), "finer than 1 ns");
    row("1 s and 0.1 ns", QStringLiteral("1.0000000001s"), "finer than 1 ns");
    row("0.1ns", QStringLiteral("0.1ns"), "finer than 1 ns");
    row("30 digits", QStringLiteral("1.000000000000000000000000000001s"), "finer than 1 ns");
}

void tst_DurationParser::rejectsInvalid()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const DurationParser::Result result = DurationParser::parse(text);
    QVERIFY2(!result.isValid(), qPrintable(QString::number(result.value.value_or(0ns).count())));
    QCOMPARE(result.error, error);
}

void tst_DurationParser::checksRange_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    // The interval's range, 1 ms to 1 h, inclusive.
    QTest::newRow("below") << QStringLiteral("999us") << false;
    QTest::newRow("zero") << QStringLiteral("0") << false;
    QTest::newRow("min") << QStringLiteral("1ms") << true;
    QTest::newRow("max") << QStringLiteral("1h") << true;
    QTest::newRow("above") << QStringLiteral("1h0.001ms") << false;
    QTest::newRow("overflow") << QStringLiteral("99999999999999999999h") << false;
}

void tst_DurationParser::checksRange()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    const DurationParser::Result result = DurationParser::parse(text, 1ms, 1h);
    QCOMPARE(result.isValid(), valid);
    if (!valid)
        QCOMPARE(result.error, QStringLiteral("out of range"));
}

void tst_DurationParser::formatsForPeople_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<QString>("text");
    const auto row = [](nanoseconds d, const char *text) {
        QTest::newRow(text) << qint64(d.count()) << QString::fromUtf8(text);
    };
    row(0ns, "0 ms");
    row(400ns, "400 ns");
    row(200us, "0.2 ms");
    row(13'400ns, "0.013 ms");
    row(1500us, "1.5 ms");
    row(250ms, "250 ms");
    row(999'999'999ns, "1 s");
    row(1s, "1 s");
    row(1500ms, "1.5 s");
    row(59'999ms, "1 min");
    row(90s, "1 min 30 s");
    row(2min, "2 min");
    row(1h, "1 h");
    row(1h + 5s, "1 h 5 s");
    row(24h, "24 h");
    row(-250ms, "-250 ms");
    row(2h - 40ms, "2 h"); // 59.96 s rounds up into the minutes and hours
    // Near the limits: rounding must not overflow (2^63 - 1 ns is 2562047 h 47 min 16.85 s).
    row(nanoseconds::max(), "2562047 h 47 min 16.9 s");
    row(nanoseconds::max() - 1ns, "2562047 h 47 min 16.9 s");
    row(nanoseconds::min(), "-2562047 h 47 min 16.9 s");
}

void tst_DurationParser::formatsForPeople()
{
    QFETCH(qint64, ns);
    QFETCH(QString, text);
    QCOMPARE(DurationParser::format(nanoseconds(ns)), text);
}

void tst_DurationParser::formatForInputRoundTrips_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<QString>("text");
    const auto row = [](nanoseconds d, const char *text) {
        QTest::newRow(text) << qint64(d.count()) << QString::fromUtf8(text);
    };
    row(0ns, "0ms");
    row(1ns, "0.000001ms");
    row(250ms, "250ms");
    row(1500ms, "1.5s");
    row(90s, "1m30s");
    row(2min, "2m");
    row(1h, "1h");
    row(1h + 1ms, "1h0.001s");
    row(24h, "24h");
    row(nanoseconds::max(), "2562047h47m16.854775807s");
}

void tst_DurationParser::formatForInputRoundTrips()
{
    QFETCH(qint64, ns);
    QFETCH(QString, text);
    QCOMPARE(DurationParser::formatForInput(nanoseconds(ns)), text);
    const DurationParser::Result parsed = DurationParser::parse(text);
    QVERIFY2(parsed.isValid(), qPrintable(parsed.error));
    QCOMPARE(parsed.value->count(), ns);
}

QTEST_GUILESS_MAIN(tst_DurationParser)
#include "tst_durationparser.moc"
