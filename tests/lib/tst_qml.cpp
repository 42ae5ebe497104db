// SPDX-License-Identifier: MIT
// The QML module: CancellationSource's properties in bindings, its slots from JavaScript.
#include <Cancellation/source.h>

#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>
#include <QtTest/QTest>

#include <memory>

class tst_Qml : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bindingsFollowCancel();
    void timeoutFromQml();
    void countdownFromQml();

private:
    std::unique_ptr<QObject> create(QQmlEngine &engine);
};

static const char qmlSource[] = R"(
import QtQml
import Cancellation

QtObject {
    property CancellationSource source: CancellationSource { debugName: "qml" }
    property string status: source.canceled ? source.reasonText : "running"
    property int kind: source.reason.kind
    property int canceledSignals: 0
    property Connections watcher: Connections {
        target: source
        function onCanceled(reason) { canceledSignals += 1 }
    }
    function stop() { return source.cancel() }
    function stopAfter(ms) { return source.cancelAfterMSecs(ms) }

    // remainingTime() changes with time, so it is a function: a Timer shows
    // it, restarted whenever the deadline moves.
    property real secondsLeft: -1
    property int deadlineChanges: 0
    property Timer countdown: Timer {
        interval: 100; repeat: true; triggeredOnStart: true
        running: !source.canceled
        onTriggered: secondsLeft = source.remainingTime() / 1000
    }
    property Connections deadlineWatcher: Connections {
        target: source
        function onDeadlineChanged() { deadlineChanges += 1; countdown.restart() }
    }
}
)";

std::unique_ptr<QObject> tst_Qml::create(QQmlEngine &engine)
{
    engine.addImportPath(QStringLiteral(CANCELLATION_QML_IMPORT_DIR));
    QQmlComponent component(&engine);
    component.setData(QByteArray(qmlSource), QUrl(QStringLiteral("inline.qml")));
    std::unique_ptr<QObject> object(component.create());
    if (!object)
        qWarning().noquote() << component.errorString();
    return object;
}

void tst_Qml::bindingsFollowCancel()
{
    QQmlEngine engine;
    const std::unique_ptr<QObject> object = create(engine);
    QVERIFY(object);
    QCOMPARE(object->property("status").toString(), QStringLiteral("running"));

    QVariant first;
    QVERIFY(QMetaObject::invokeMethod(object.get(), "stop", Q_RETURN_ARG(QVariant, first)));
    QCOMPARE(first.toBool(), true);
    QCOMPARE(object->property("status").toString(), QStringLiteral("canceled by user"));
    QCOMPARE(object->property("kind").toInt(), int(Cancellation::Reason::Kind::UserRequest));
    QCOMPARE(object->property("canceledSignals").toInt(), 1);

    QVariant second;
    QVERIFY(QMetaObject::invokeMethod(object.get(), "stop", Q_RETURN_ARG(QVariant, second)));
    QCOMPARE(second.toBool(), false);
    QCOMPARE(object->property("canceledSignals").toInt(), 1);
}

void tst_Qml::timeoutFromQml()
{
    QQmlEngine engine;
    const std::unique_ptr<QObject> object = create(engine);
    QVERIFY(object);
    QVariant armed;
    QVERIFY(QMetaObject::invokeMethod(object.get(), "stopAfter", Q_RETURN_ARG(QVariant, armed),
                                      Q_ARG(QVariant, 20)));
    QCOMPARE(armed.toBool(), true);
    // The timer thread cancels; QML re-evaluates the binding on the object's own thread.
    QTRY_COMPARE(object->property("status").toString(), QStringLiteral("timed out"));
    QCOMPARE(object->property("canceledSignals").toInt(), 1);
}

void tst_Qml::countdownFromQml()
{
    QQmlEngine engine;
    const std::unique_ptr<QObject> object = create(engine);
    QVERIFY(object);
    QTRY_COMPARE(object->property("secondsLeft").toDouble(), -0.001); // -1 ms: no deadline
    QVariant armed;
    QVERIFY(QMetaObject::invokeMethod(object.get(), "stopAfter", Q_RETURN_ARG(QVariant, armed),
                                      Q_ARG(QVariant, 3'600'000)));
    QVERIFY(armed.toBool());
    QCOMPARE(object->property("deadlineChanges").toInt(), 1);
    // Restarted on deadlineChanged(), the Timer shows the new deadline at once.
    QTRY_VERIFY(object->property("secondsLeft").toDouble() > 3500);
    QVERIFY(object->property("secondsLeft").toDouble() <= 3600);
}

QTEST_GUILESS_MAIN(tst_Qml)
#include "tst_qml.moc"
