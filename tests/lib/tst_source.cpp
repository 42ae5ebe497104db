// SPDX-License-Identifier: MIT
#include <Cancellation/source.h>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Cancellation;

class tst_Source : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void CancelOnce();
};

void tst_Source::CancelOnce()
{
    Source source;
    QSignalSpy spy(&source, &Source::canceled);
    QVERIFY(spy.isValid());
    QVERIFY(!source.isCanceled());
    QVERIFY(source.cancel());
    QVERIFY(!source.cancel());
    QVERIFY(source.isCanceled());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(source.reason().kind(), Reason::Kind::UserRequest);
}

QTEST_GUILESS_MAIN(tst_Source)
#include "tst_source.moc"
