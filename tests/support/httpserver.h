// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtNetwork/QTcpServer>

/*
    A real HTTP/1.1 server on loopback, serving on the thread that creates it:
      /hello  answers "Hello World!" at once and closes;
      /slow   sends the headers of a 1 MiB body, then 16 bytes every 20 ms (about 20 minutes);
      /never  reads the request and never answers.
    For the tests of the Network component and of coroutines that await replies.
*/
class HttpServer : public QObject
{
public:
    HttpServer();

    //! Whether it listens; a test QVERIFYs this first.
    bool isListening() const;
    //! http://127.0.0.1:<port><path>
    QUrl url(const QString &path) const;

private:
    QTcpServer m_server;
};
