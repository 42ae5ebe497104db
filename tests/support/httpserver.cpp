// SPDX-License-Identifier: MIT
#include "httpserver.h"

#include <QtCore/QTimer>
#include <QtNetwork/QTcpSocket>

#include <chrono>
#include <memory>

using namespace std::chrono_literals;

namespace {

void serve(QTcpSocket *socket)
{
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    auto request = std::make_shared<QByteArray>();
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, request] {
        *request += socket->readAll();
        if (!request->contains("\r\n\r\n") || socket->property("answered").toBool())
            return;
        socket->setProperty("answered", true);
        const QByteArray path = request->split(' ').value(1);
        if (path == "/hello") {
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: close\r\n\r\n"
                          "Hello World!\n");
            socket->disconnectFromHost();
        } else if (path == "/slow") {
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n");
            auto *timer = new QTimer(socket);
            QObject::connect(timer, &QTimer::timeout, socket,
                             [socket] { socket->write(QByteArray(16, 'x')); });
            timer->start(20ms);
        }
        // /never: no answer.
    });
}

} // namespace

HttpServer::HttpServer()
{
    m_server.listen(QHostAddress::LocalHost);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection())
            serve(socket);
    });
}

bool HttpServer::isListening() const
{
    return m_server.isListening();
}

QUrl HttpServer::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
}
