// SPDX-License-Identifier: MIT
// Static and global Sources and Tokens are safe at exit, whatever they were
// doing: each scenario runs in its own process (exithelper), which must exit
// normally, with nothing on stderr (a sanitizer report fails it too).
#include <QtCore/QProcess>
#include <QtTest/QTest>

class tst_Exit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void StaticObjectsAtExit_data();
    void StaticObjectsAtExit();
};

void tst_Exit::StaticObjectsAtExit_data()
{
    QTest::addColumn<QString>("scenario");
    for (const char *scenario :
         { "static-armed", "static-firing", "global-token", "child-of-static", "exit-in-callback" })
        QTest::newRow(scenario) << QString::fromLatin1(scenario);
}

void tst_Exit::StaticObjectsAtExit()
{
    QFETCH(QString, scenario);
    // Several runs: a timeout that fires during exit lands at a different moment each time.
    for (int run = 0; run < 20; ++run) {
        QProcess process;
        process.start(QStringLiteral(CANCELLATION_EXIT_HELPER), { scenario });
        QVERIFY2(process.waitForFinished(60'000), "the helper hung at exit");
        const QByteArray errors = process.readAllStandardError();
        QVERIFY2(errors.isEmpty(), errors.constData());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
    }
}

QTEST_GUILESS_MAIN(tst_Exit)
#include "tst_exit.moc"
