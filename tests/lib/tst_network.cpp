// SPDX-License-Identifier: MIT
#include <Cancellation/network.h>
#include <Cancellation/source.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QPointer>
#include <QtCore/QThread>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include "httpserver.h"

#include <atomic>
#include <latch>
#include <memory>
#include <thread>

using namespace Cancellation;
using namespace std::chrono_literals;

class tst_Network : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void replyFinishesWhenNotCanceled();
    void cancelAbortsAReplyInFlight();
    void timeoutAbortsAServerThatNeverAnswers();
    void canceledTokenAbortsAtOnce();
    void finishedReplyIsLeftAlone();
    void replyFinishedBeforeTheCallIsNotTimedOut();
    void timeoutOfZeroOrLessHasPassed_data();
    void timeoutOfZeroOrLessHasPassed();
    void abortIsDeliveredOnTheRepliesThread();
    void replyDestroyedFirst_data();
    void replyDestroyedFirst();
    void cancelRacesReplyDestruction();

private:
    std::unique_ptr<HttpServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_manager;
};

void tst_Network::init()
{
    m_server = std::make_unique<HttpServer>();
    QVERIFY(m_server->isListening());
    m_manager = std::make_unique<QNetworkAccessManager>();
}

void tst_Network::cleanup()
{
    m_manager.reset();
    m_server.reset();
}

void tst_Network::replyFinishesWhenNotCanceled()
{
    Source source;
    QNetworkReply *reply = m_manager->get(QNetworkRequest(m_server->url(QStringLiteral("/hello"))));
    const Token aborts = abortOnCancel(reply, source.token(), 10s);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->readAll(), QByteArray("Hello World!\n"));
    QVERIFY(!aborts.isCanceled());
    QCOMPARE(aborts.registrationCount(), 1); // the abort, while the reply lives
    delete reply;
    QCOMPARE(aborts.registrationCount(), 0);
    QVERIFY(!source.isCanceled());
}

// A cancel from another thread, while the body arrives: the reply ends at once, aborted, with
// the bytes it had.
void tst_Network::cancelAbortsAReplyInFlight()
{
    Source source;
    std::unique_ptr<QNetworkReply> reply(
            m_manager->get(QNetworkRequest(m_server->url(QStringLiteral("/slow")))));
    const Token aborts = abortOnCancel(reply.get(), source.token());
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QTRY_VERIFY_WITH_TIMEOUT(reply->bytesAvailable() >= 32, 10000);
    std::thread([&source] {
        source.cancelWithMessage(QStringLiteral("user closed the page"));
    }).join();
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
    QVERIFY(reply->bytesAvailable() < 1048576);
    QVERIFY(aborts.isCanceled());
    QCOMPARE(aborts.reason().kind(), Reason::Kind::ParentCanceled);
    QCOMPARE(aborts.reason().parent().message(), QStringLiteral("user closed the page"));
}

// The timeout counts from the call and is never early; the caller's token stays live.
void tst_Network::timeoutAbortsAServerThatNeverAnswers()
{
    Source source;
    QElapsedTimer elapsed;
    elapsed.start();
    std::unique_ptr<QNetworkReply> reply(
            m_manager->get(QNetworkRequest(m_server->url(QStringLiteral("/never")))));
    const Token aborts = abortOnCancel(reply.get(), source.token(), 200ms);
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QVERIFY2(elapsed.elapsed() >= 200, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
    QCOMPARE(aborts.reason().kind(), Reason::Kind::Timeout);
    QVERIFY(!source.isCanceled());
}

void tst_Network::canceledTokenAbortsAtOnce()
{
    Source source;
    source.cancel();
    std::unique_ptr<QNetworkReply> reply(
            m_manager->get(QNetworkRequest(m_server->url(QStringLiteral("/never")))));
    const Token aborts = abortOnCancel(reply.get(), source.token());
    QVERIFY(aborts.isCanceled());
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
}

// A reply that has finished is neither aborted by a cancel nor timed out afterwards.
void tst_Network::finishedReplyIsLeftAlone()
{
    Source source;
    std::unique_ptr<QNetworkReply> reply(
            m_manager->get(QNetworkRequest(m_server->url(QStringLiteral("/hello")))));
    const Token aborts = abortOnCancel(reply.get(), source.token(), 100ms);
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    // Past the timeout it had, the token stays live: the timeout went with the transfer.
    QVERIFY(!QTest::qWaitFor([&aborts] { return aborts.isCanceled(); }, 300));
    QSignalSpy errors(reply.get(), &QNetworkReply::errorOccurred);
    source.cancel();
    QCoreApplication::processEvents();
    QCOMPARE(errors.count(), 0);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(finished.count(), 1);
}

// Defect: a reply that had finished before the call still had its timeout armed: the token read
// "timed out" after it.
void tst_Network::replyFinishedBeforeTheCallIsNotTimedOut()
{
    Source source;
    std::unique_ptr<QNetworkReply> reply(
            m_manager->get(QNetworkRequest(m_server->url(QStringLiteral("/hello")))));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    const Token aborts = abortOnCancel(reply.get(), source.token(), 100ms);
    QVERIFY(!QTest::qWaitFor([&aborts] { return aborts.isCanceled(); }, 300));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(finished.count(), 1);
}

// Defect: a negative timeout (a remaining time already past) set none, with only a warning from
// Source::cancelAfter(): the reply waited for ever. A timeout of zero or less has passed.
void tst_Network::timeoutOfZeroOrLessHasPassed_data()
{
    QTest::addColumn<std::chrono::nanoseconds>("timeout");
    QTest::newRow("zero") << std::chrono::nanoseconds(0);
    QTest::newRow("-5 ms") << std::chrono::nanoseconds(-5ms);
    QTest::newRow("min") << std::chrono::nanoseconds::min();
}

void tst_Network::timeoutOfZeroOrLessHasPassed()
{
    QFETCH(std::chrono::nanoseconds, timeout);
    Source source;
    std::unique_ptr<QNetworkReply> reply(
            m_manager->get(QNetworkRequest(m_server->url(QStringLiteral("/never")))));
    const Token aborts = abortOnCancel(reply.get(), source.token(), timeout);
    QVERIFY(aborts.isCanceled());
    QCOMPARE(aborts.reason().kind(), Reason::Kind::Timeout);
    QVERIFY(!reply->isFinished()); // through the event loop
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
    QVERIFY(!source.isCanceled());
}

// A reply on a worker thread, canceled from the test's thread: its error and finished signals,
// emitted by abort(), come on the worker thread.
void tst_Network::abortIsDeliveredOnTheRepliesThread()
{
    // The manager and the reply are made on the worker, inside its run(): what crosses threads
    // is the token, atomics and the thread's start, which ThreadSanitizer can follow (it cannot
    // see through Qt's own queue, built without it).
    Source source;
    const Token token = source.token();
    const QUrl url = m_server->url(QStringLiteral("/never"));
    std::atomic<bool> requested = false;
    std::atomic<QThread *> abortedOn = nullptr;
    const std::unique_ptr<QThread> worker(QThread::create([&] {
        QEventLoop loop;
        QNetworkAccessManager manager;
        std::unique_ptr<QNetworkReply> reply(manager.get(QNetworkRequest(url)));
        connect(reply.get(), &QNetworkReply::errorOccurred, &loop, [&] {
            abortedOn = QThread::currentThread();
            loop.quit();
        });
        std::ignore = abortOnCancel(reply.get(), token);
        requested = true;
        loop.exec();
    }));
    worker->start();
    QTRY_VERIFY(requested.load());
    source.cancel(); // from here, while the request is under way on the worker's event loop
    QVERIFY(worker->wait(10000));
    QCOMPARE(abortedOn.load(), worker.get());
}

void tst_Network::replyDestroyedFirst_data()
{
    QTest::addColumn<bool>("deleteLater");
    QTest::addColumn<bool>("cancelFirst");
    QTest::newRow("delete") << false << false;
    QTest::newRow("deleteLater, then cancel") << true << false;
    QTest::newRow("cancel, then deleteLater") << true << true;
}

// Whichever goes first, nothing is used after it is freed (ASan checks), and the link is gone
// with the reply.
void tst_Network::replyDestroyedFirst()
{
    QFETCH(bool, deleteLater);
    QFETCH(bool, cancelFirst);
    auto source = std::make_unique<Source>();
    const Token token = source->token();
    QPointer<QNetworkReply> reply =
            m_manager->get(QNetworkRequest(m_server->url(QStringLiteral("/never"))));
    const Token aborts = abortOnCancel(reply, token);
    QCOMPARE(aborts.registrationCount(), 1);
    if (cancelFirst)
        source->cancel();
    if (deleteLater)
        reply->deleteLater();
    else
        delete reply;
    if (!cancelFirst)
        source->cancel();
    QTRY_VERIFY(reply.isNull());
    QCOMPARE(aborts.registrationCount(), 0);
    QVERIFY(aborts.isCanceled()); // a token reads its parent's cancel, its Source gone or not
}

// A cancel on another thread races the reply's destruction, 10,000 times (under TSan and
// ASan in CI). data: replies are real QNetworkReplies that need no socket, so the rounds are
// quick.
void tst_Network::cancelRacesReplyDestruction()
{
    constexpr int Rounds = 10000;
    for (int round = 0; round < Rounds; ++round) {
        Source source;
        QPointer<QNetworkReply> reply = m_manager->get(
                QNetworkRequest(QUrl(QStringLiteral("data:text/plain,Hello%20World!"))));
        const Token aborts = abortOnCancel(reply, source.token());
        std::latch ready(2);
        std::thread canceler([&] {
            ready.arrive_and_wait();
            source.cancel();
        });
        ready.arrive_and_wait();
        if (round % 2 == 0) {
            QCoreApplication::processEvents(); // an abort may be delivered first
            delete reply;
        } else {
            reply->deleteLater();
        }
        canceler.join();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCoreApplication::processEvents();
        QVERIFY(reply.isNull());
        QCOMPARE(aborts.registrationCount(), 0);
    }
}

QTEST_GUILESS_MAIN(tst_Network)
#include "tst_network.moc"
