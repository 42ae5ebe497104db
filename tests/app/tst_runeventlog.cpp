// SPDX-License-Identifier: MIT
// RunEventLog against scripted runs: the CSV is parsed back here, and every fact it states is
// computed again from the runner's counters and the tokens.
#include "core/runeventlog.h"

#include <Cancellation/source.h>

#include <QtCore/QBuffer>
#include <QtCore/QStringList>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <chrono>
#include <map>

using namespace Demo;
using namespace std::chrono_literals;
using Cancellation::Reason;
using std::chrono::nanoseconds;
using std::chrono::steady_clock;

namespace {

struct CsvRow
{
    double ms = 0;
    int worker = 0; // 0: the run's token
    QString event;
    QString lines;
    QString detail;
};

// A small RFC 4180 reader: quoted fields may hold commas and doubled quotes.
QList<CsvRow> parse(const QString &csv)
{
    QList<CsvRow> rows;
    const QStringList lines = csv.split(u'\n', Qt::SkipEmptyParts);
    for (qsizetype i = 1; i < lines.size(); ++i) { // after the header
        QStringList fields;
        QString current;
        bool quoted = false;
        const QString &line = lines[i];
        for (qsizetype j = 0; j < line.size(); ++j) {
            const QChar c = line[j];
            if (quoted && c == u'"' && j + 1 < line.size() && line[j + 1] == u'"') {
                current += u'"';
                ++j;
            } else if (c == u'"') {
                quoted = !quoted;
            } else if (c == u',' && !quoted) {
                fields << current;
                current.clear();
            } else {
                current += c;
            }
        }
        fields << current;
        if (fields.size() != 5)
            return {};
        rows.append({ fields[0].toDouble(), fields[1].toInt(), fields[2], fields[3], fields[4] });
    }
    return rows;
}

} // namespace

class tst_RunEventLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void csvStatesWhatTheRunnerAndTokensSay();
    void fieldsAreQuoted();
    void eventsBeyondTheLimitAreCounted();
    void writeErrorIsReported();
};

// Two workers in poll mode: worker 2 canceled alone, then the run. The CSV must list every line
// each worker printed, one stop each, and the three cancels, in time order; a stop latency read
// from it equals the snapshot's.
void tst_RunEventLog::csvStatesWhatTheRunnerAndTokensSay()
{
    WorkerRunner runner;
    runner.setRecordEvents(true);
    RunEventLog log;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    const auto startedAt = steady_clock::now();
    QVERIFY(runner.start(RunConfig { .workers = 2, .interval = 20ms, .mode = WaitMode::Poll }));
    log.reset(startedAt);
    QTRY_VERIFY(runner.workerStats(1).lines >= 2);
    QVERIFY(runner.cancelWorker(1));
    QTRY_VERIFY(runner.workerStats(0).lines >= 4);
    QVERIFY(runner.cancel());
    QVERIFY(finished.wait(10000));
    log.add(runner.takeEvents());
    const RunSnapshot run = RunSnapshot::take(runner, steady_clock::now());

    const QString csv = log.toCsv(run);
    QVERIFY(csv.startsWith(QLatin1String("time_ms,worker,event,lines,detail\n")));
    const QList<CsvRow> rows = parse(csv);
    QVERIFY(!rows.isEmpty());
    std::map<int, quint64> printed;
    std::map<int, int> stops;
    std::map<int, double> stoppedAt;
    std::map<int, double> canceledAt;
    std::map<int, QString> why;
    double previous = 0;
    for (const CsvRow &row : rows) {
        QVERIFY2(row.ms >= previous, qPrintable(row.event)); // in time order
        previous = row.ms;
        if (row.event == QLatin1String("printed")) {
            ++printed[row.worker];
            QCOMPARE(row.lines.toULongLong(), printed[row.worker]); // numbered in order
        } else if (row.event == QLatin1String("stopped")) {
            ++stops[row.worker];
            stoppedAt[row.worker] = row.ms;
        } else if (row.event == QLatin1String("canceled")) {
            QVERIFY(!canceledAt.count(row.worker)); // once per token
            canceledAt[row.worker] = row.ms;
            why[row.worker] = row.detail;
        }
    }
    for (int worker : { 1, 2 }) {
        QCOMPARE(printed[worker], runner.workerStats(worker - 1).lines);
        QCOMPARE(stops[worker], 1);
    }
    QCOMPARE(canceledAt.size(), std::size_t(3)); // the run's token and both workers'
    QCOMPARE(why[0], run.reason.toString());
    QCOMPARE(why[2], run.workers[1].reason.toString()); // canceled alone
    QCOMPARE(run.workers[0].reason.kind(), Reason::Kind::ParentCanceled);
    QVERIFY(canceledAt[2] < canceledAt[0]);
    QVERIFY(canceledAt[1] >= canceledAt[0]); // the run's cancel reached worker 1 after it
    // Worker 1's stop latency, from the run's cancel: the CSV's microseconds against the
    // snapshot's nanoseconds.
    const double latencyMs = stoppedAt[1] - canceledAt[0];
    const double expectedMs =
            std::chrono::duration<double, std::milli>(*run.workers[0].stopLatency).count();
    QVERIFY2(std::abs(latencyMs - expectedMs) <= 0.002,
             qPrintable(QStringLiteral("%1 vs %2").arg(latencyMs).arg(expectedMs)));
    QVERIFY(!csv.contains(QLatin1String("not kept")));
}

// A reason's message may hold commas and quotes: the field is quoted and reads back whole.
void tst_RunEventLog::fieldsAreQuoted()
{
    WorkerRunner runner;
    QSignalSpy finished(&runner, &WorkerRunner::finished);
    QVERIFY(runner.start(RunConfig { .workers = 1, .interval = 5ms, .mode = WaitMode::Wait }));
    QVERIFY(runner.rootSource()->cancelWithMessage(QStringLiteral("stop, \"now\"")));
    QVERIFY(finished.wait(10000));
    RunEventLog log;
    log.reset(steady_clock::now());
    const RunSnapshot run = RunSnapshot::take(runner, steady_clock::now());
    const QString csv = log.toCsv(run);
    QVERIFY(csv.contains(QLatin1String("stop, \"\"now\"\"\"\n"))); // quotes doubled, field quoted
    const QList<CsvRow> rows = parse(csv);
    QVERIFY(!rows.isEmpty());
    bool found = false;
    for (const CsvRow &row : rows)
        found = found || (row.worker == 0 && row.detail == run.reason.toString());
    QVERIFY(found);
    QVERIFY(run.reason.toString().contains(QLatin1String("stop, \"now\"")));
}

void tst_RunEventLog::eventsBeyondTheLimitAreCounted()
{
    RunEventLog log;
    const auto start = steady_clock::now();
    log.reset(start);
    std::vector<WorkerEvent> events(RunEventLog::MaxEvents - 3,
                                    WorkerEvent { 0, WorkerEvent::Type::Sleeping, start, 0 });
    log.add(events);
    log.add(std::vector<WorkerEvent>(10, events.front()));
    QCOMPARE(log.events().size(), RunEventLog::MaxEvents);
    QCOMPARE(log.notKept(), quint64(7));
    const QString csv = log.toCsv(RunSnapshot(), 5);
    QVERIFY(csv.endsWith(QLatin1String(",,not kept,12,events of the run missing above\n")));
    log.reset(start);
    QVERIFY(log.events().empty());
    QCOMPARE(log.notKept(), quint64(0));
}

void tst_RunEventLog::writeErrorIsReported()
{
    RunEventLog log;
    log.reset(steady_clock::now());
    QBuffer closed; // never opened: every write fails
    QString error;
    QTest::ignoreMessage(QtWarningMsg, "QIODevice::write (QBuffer): device not open");
    QVERIFY(!log.writeCsv(&closed, RunSnapshot(), 0, &error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(tst_RunEventLog)
#include "tst_runeventlog.moc"
