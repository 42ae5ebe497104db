// SPDX-License-Identifier: MIT
#include <Cancellation/process.h>

#include <Cancellation/registration.h>

#include <QtCore/QProcess>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <algorithm>
#include <limits>
#include <utility>

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
                             std::chrono::milliseconds(std::numeric_limits<int>::max()))),
          // The run going on now is the link's run; a starting one announces itself.
          m_started(process->state() == QProcess::Running)
    {
        m_kill.setSingleShot(true);
        m_kill.setTimerType(Qt::PreciseTimer);
        connect(&m_kill, &QTimer::timeout, this, &ProcessTerminator::killWhenGraceHasPassed);
        // One run: it ends when the process finishes, fails to start, or starts again (in a
        // finished() slot connected before this link, which has yet to see that finish; the
        // state has gone to NotRunning before finished() all the same). Then the link is
        // gone, so a cancel cannot stop the next run, made under another token, not even one
        // queued here before.
        connect(m_process, &QProcess::stateChanged, this, [this](QProcess::ProcessState state) {
            if (state == QProcess::NotRunning && m_started)
                m_runOver = true;
        });
        connect(m_process, &QProcess::started, this, [this] {
            if (m_runOver) {
                end();
                return;
            }
            m_started = true;
            if (m_canceled)
                terminate();
        });
        connect(m_process, &QProcess::finished, this, [this] {
            if (m_started)
                end();
        });
        connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
            if (error == QProcess::FailedToStart)
                end();
        });
        m_terminate = token.onCanceled([this] {
            QMetaObject::invokeMethod(
                    this,
                    [this] {
                        if (m_ended)
                            return;
                        m_canceled = true;
                        if (m_process->state() == QProcess::Running)
                            terminate();
                        // Starting: the started() connection terminates it.
                    },
                    Qt::QueuedConnection);
        });
    }

private:
    void end()
    {
        m_ended = true;
        m_kill.stop();
        disconnect(m_process, nullptr, this, nullptr); // a restart at once finds no link
        m_terminate.unregister();
        deleteLater();
    }

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
    bool m_canceled = false; // this object's thread only, as the three below
    bool m_started;
    bool m_runOver = false;
    bool m_ended = false;
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
