// SPDX-License-Identifier: MIT
// A QML application that links CancellationToken::Qml and imports Cancellation
// with no import path: the module must be found wherever it was installed.
#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>

#ifdef CONSUME_STATIC_QML_PLUGIN
#  include <QtQml/QQmlExtensionPlugin>
Q_IMPORT_QML_PLUGIN(CancellationPlugin)
#endif

#include <memory>

int main(int argc, char *argv[])
{
    qunsetenv("QML_IMPORT_PATH");
    QCoreApplication app(argc, argv);
    QQmlEngine engine;
    QQmlComponent component(&engine);
    component.setData(R"(
import QtQml
import Cancellation
QtObject {
    property CancellationSource source: CancellationSource { debugName: "consumer" }
    function stop() { return source.cancel() }
    property string text: source.reasonText
}
)",
                      QUrl(QStringLiteral("consumer.qml")));
    const std::unique_ptr<QObject> object(component.create());
    QTextStream out(stdout);
    if (!object) {
        out << "qmlconsumer: " << component.errorString() << '\n';
        return 1;
    }
    QVariant first;
    QMetaObject::invokeMethod(object.get(), "stop", Q_RETURN_ARG(QVariant, first));
    const QString text = object->property("text").toString();
    out << "qmlconsumer: " << text << '\n';
    return first.toBool() && text == QStringLiteral("canceled by user") ? 0 : 1;
}
