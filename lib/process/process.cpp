// SPDX-License-Identifier: MIT
#include <Cancellation/process.h>

#include <Cancellation/registration.h>

#include <QtCore/QProcess>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <algorithm>
#include <limits>

namespace Cancellation {

namespace {

/*
    A child of the process: destroyed with it, on its thread. The callback may
    run on any thread; it only posts to this object, and this object's
    destruction first unregisters it (waiting for a callback that is posting)
    and then, in ~QObject, drops what it posted.
*/
class ProcessTerminator final : public QObject
{
public:
    ProcessTerminator(QProcess *process, const Token &token, std::chrono::milliseconds grace)
        : QObject(process),
          m_process(process),
          // QTimer takes an int of milliseconds: about 24 days at most.
          m_grace(std::clamp(grace, std::chrono::milliseconds(0),
                             std::chrono::milliseconds(std::numeric_limits<int>::max())))
    {
        m_kill.setSingleShot(true);
        m_kill.setTimerType(Qt::PreciseTimer);
        connect(&m_kill, &QTimer::timeout, this, &ProcessTerminator::killWhenGraceHasPassed);
        connect(m_process, &QProcess::started, this, [this] {
            m_started = true;
            if (m_canceled)
                terminate();
        });
        // One run: once the process it has seen start has finished, the link is gone, so a
        // later cancel cannot stop the QProcess's next run, made under another token.
        connect(m_process, &QProcess::finished, this, [this] {
            m_kill.stop();
            if (!m_started)
                return;
            disconnect(m_process, nullptr, this, nullptr); // a restart at once finds no link
            m_terminate.unregister();
            deleteLater();
        });
        m_terminate = token.onCanceled([this] {
            QMetaObject::invokeMethod(
                    this,
                    [this] {
                        m_canceled = true;
                        if (m_process->state() == QProcess::Running)
                            terminate();
                        // Starting: the started() connection terminates it.
                    },
                    Qt::QueuedConnection);
        });
    }

private:
    void terminate()
    {
        if (m_kill.isActive())
            return;
        if (m_grace <= std::chrono::milliseconds(0)) {
            m_process->kill();
            return;
        }
        m_process->terminate();
        m_terminatedAt = std::chrono::steady_clock::now();
        m_kill.start(m_grace);
    }

    // A timer may fire a little early; the kill never does.
    void killWhenGraceHasPassed()
    {
        const auto left = m_terminatedAt + m_grace - std::chrono::steady_clock::now();
        if (left > std::chrono::nanoseconds(0))
            m_kill.start(std::chrono::ceil<std::chrono::milliseconds>(left));
        else
            m_process->kill();
    }

    QProcess *const m_process;
    const std::chrono::milliseconds m_grace;
    std::chrono::steady_clock::time_point m_terminatedAt;
    QTimer m_kill { this }; // a child: it follows the process to another thread
    bool m_canceled = false; // this object's thread only, as m_started
    bool m_started = false;
    Registration m_terminate; // declared last: unregistered first
};

} // namespace

void terminateOnCancel(QProcess *process, const Token &token, std::chrono::milliseconds grace)
{
    Q_ASSERT_X(process, "Cancellation::terminateOnCancel", "process is null");
    Q_ASSERT_X(process->thread() == QThread::currentThread(), "Cancellation::terminateOnCancel",
               "call it on the process's thread");
    new ProcessTerminator(process, token, grace);
}

} // namespace Cancellation
