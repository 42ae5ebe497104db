// SPDX-License-Identifier: MIT
#include "core/librarycalls.h"
#include "core/workerrunner.h"

#include <QtTest/QTest>

using namespace Demo;
using namespace std::chrono_literals;

class tst_LibraryCalls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void durationLiteral_data();
    void durationLiteral();
    void start();
    void cancels();
    void timeouts();
};

void tst_LibraryCalls::durationLiteral_data()
{
    QTest::addColumn<qint64>("nanoseconds");
    QTest::addColumn<QString>("literal");
    QTest::newRow("hours") << qint64(7'200'000'000'000) << QStringLiteral("2h");
    QTest::newRow("minutes") << qint64(120'000'000'000) << QStringLiteral("2min");
    QTest::newRow("90 s is not 1.5 min") << qint64(90'000'000'000) << QStringLiteral("90s");
    QTest::newRow("seconds") << qint64(10'000'000'000) << QStringLiteral("10s");
    QTest::newRow("1.5 s") << qint64(1'500'000'000) << QStringLiteral("1500ms");
    QTest::newRow("microseconds") << qint64(2'000) << QStringLiteral("2us");
    QTest::newRow("nanoseconds") << qint64(1'000'001) << QStringLiteral("1000001ns");
    QTest::newRow("zero") << qint64(0) << QStringLiteral("0ns");
}

// Each literal is one a reader could paste into code with std::chrono_literals.
void tst_LibraryCalls::durationLiteral()
{
    QFETCH(qint64, nanoseconds);
    QFETCH(QString, literal);
    QCOMPARE(LibraryCalls::durationLiteral(std::chrono::nanoseconds(nanoseconds)), literal);
}

void tst_LibraryCalls::start()
{
    RunConfig config;
    config.workers = 1;
    QCOMPARE(LibraryCalls::start(config),
             QStringLiteral("Source root; Source worker1(root.token())"));
    config.workers = 4;
    config.timeout = 5s;
    config.timeoutStyle = TimeoutStyle::Deadline;
    QCOMPARE(LibraryCalls::start(config),
             QStringLiteral("Source root; Source worker1(root.token()) ... worker4(root.token()); "
                            "root.cancelAfter(5s, Source::DeadlineCheck::PollOnly)"));
}

void tst_LibraryCalls::cancels()
{
    QCOMPARE(LibraryCalls::cancelAll(true),
             QStringLiteral("root.cancel() returned true: the run's token is canceled"));
    QCOMPARE(LibraryCalls::cancelAll(false),
             QStringLiteral("root.cancel() returned false: it was canceled already, and nothing "
                            "changed"));
    QCOMPARE(LibraryCalls::cancelAll(true, QStringLiteral("from the tree")),
             QStringLiteral("root.cancelWithMessage(\"from the tree\") returned true: the run's "
                            "token is canceled"));
    QCOMPARE(LibraryCalls::cancelWorker(0, true), QStringLiteral("worker1.cancel() returned true"));
    QCOMPARE(LibraryCalls::cancelWorker(255, false, QStringLiteral("x")),
             QStringLiteral("worker256.cancelWithMessage(\"x\") returned false"));
}

void tst_LibraryCalls::timeouts()
{
    QCOMPARE(LibraryCalls::setTimeout(250ms, TimeoutStyle::Timer),
             QStringLiteral("root.cancelAfter(250ms, Source::DeadlineCheck::Timer)"));
    QCOMPARE(LibraryCalls::setTimeout(std::nullopt, TimeoutStyle::Timer),
             QStringLiteral("root.cancelAfter(std::chrono::nanoseconds::max()): no timeout"));
}

QTEST_GUILESS_MAIN(tst_LibraryCalls)
#include "tst_librarycalls.moc"
