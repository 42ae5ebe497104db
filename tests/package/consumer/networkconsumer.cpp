// SPDX-License-Identifier: MIT
// A consumer of the component Network: a request to a loopback server that never answers,
// aborted by its timeout.
#include <Cancellation/network.h>
#include <Cancellation/source.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QTcpServer>

#include <chrono>

using namespace std::chrono_literals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTcpServer silent;
    if (!silent.listen(QHostAddress::LocalHost))
        return 1;
    Cancellation::Source source;
    QNetworkAccessManager manager;
    QNetworkReply *reply = manager.get(
            QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(silent.serverPort()))));
    const Cancellation::Token aborter = Cancellation::abortOnCancel(reply, source.token(), 50ms);
    QObject::connect(reply, &QNetworkReply::finished, &app, &QCoreApplication::quit);
    app.exec();
    const bool ok = reply->error() == QNetworkReply::OperationCanceledError
            && aborter.reason().kind() == Cancellation::Reason::Kind::Timeout;
    QTextStream(stdout) << "networkconsumer: " << aborter.reason().toString() << '\n';
    return ok ? 0 : 1;
}
