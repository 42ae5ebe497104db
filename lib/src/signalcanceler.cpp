// SPDX-License-Identifier: MIT
#include <Cancellation/signalcanceler.h>

#include <Cancellation/logging.h>
#include <Cancellation/source.h>

#include <QtCore/QPointer>
#include <QtCore/QSocketNotifier>

#include <atomic>
#include <iterator>
#include <thread>

#if defined(Q_OS_UNIX)
#  include <cerrno>
#  include <csignal>
#  include <fcntl.h>
#  include <sys/socket.h>
#  include <unistd.h>
#elif defined(Q_OS_WIN)
#  include <csignal>
#  include <qt_windows.h>
#endif

namespace Cancellation {

namespace {

#if defined(Q_OS_UNIX) || defined(Q_OS_WIN)
// Process-wide, because a signal handler has no context argument. Lock-free
// atomics are async-signal-safe.
std::atomic<bool> g_owned { false };
std::atomic<int> g_handlersRunning { 0 };

static_assert(std::atomic<int>::is_always_lock_free);
static_assert(std::atomic<bool>::is_always_lock_free);

// One SignalCanceler at a time handles the signals; true if this one may.
bool claimSignals()
{
    bool expected = false;
    if (g_owned.compare_exchange_strong(expected, true, std::memory_order_acq_rel))
        return true;
    qCWarning(lcCancellation(),
              "SignalCanceler: another SignalCanceler already handles SIGINT and SIGTERM; "
              "this one stays inactive");
    return false;
}
#endif

#if defined(Q_OS_UNIX)
std::atomic<int> g_writeFd { -1 };
constexpr int HandledSignals[] = { SIGINT, SIGTERM };

extern "C" void cancellationSignalHandler(int signalNumber)
{
    // Async-signal-safe only: atomics and write(). errno is preserved for the
    // code this handler interrupted.
    // Sequentially consistent with the destructor's store of -1 and its load
    // of the count (a store-load pair on each side): either the destructor
    // sees this handler running, or this handler sees -1.
    g_handlersRunning.fetch_add(1, std::memory_order_seq_cst);
    const int savedErrno = errno;
    const int fd = g_writeFd.load(std::memory_order_seq_cst);
    if (fd >= 0) {
        const auto byte = static_cast<unsigned char>(signalNumber);
        // Non-blocking: if the socket buffer is full, this signal is dropped
        // rather than blocking inside the handler.
        [[maybe_unused]] const ssize_t written = ::write(fd, &byte, 1);
    }
    errno = savedErrno;
    g_handlersRunning.fetch_sub(1, std::memory_order_acq_rel);
}

bool setNonBlockingCloseOnExec(int fd)
{
    const int flags = ::fcntl(fd, F_GETFL);
    const int fdFlags = ::fcntl(fd, F_GETFD);
    return flags != -1 && fdFlags != -1 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != -1
            && ::fcntl(fd, F_SETFD, fdFlags | FD_CLOEXEC) != -1;
}
#elif defined(Q_OS_WIN)
// The signal number a console control event is reported as, or 0 for the events left to the
// next handler: CTRL_LOGOFF_EVENT and CTRL_SHUTDOWN_EVENT.
int signalForEvent(DWORD event)
{
    switch (event) {
    case CTRL_C_EVENT:
        return SIGINT;
    case CTRL_BREAK_EVENT:
        return SIGBREAK;
    case CTRL_CLOSE_EVENT:
        return SIGTERM;
    default:
        return 0;
    }
}
#endif

} // namespace

struct SignalCanceler::Private
{
    QPointer<Source> target;
    QSocketNotifier *notifier = nullptr;
    bool active = false;
#if defined(Q_OS_UNIX)
    int fds[2] = { -1, -1 }; // [0] read by the notifier, [1] written by the handler
    struct sigaction previous[std::size(HandledSignals)] = {};
    bool installed[std::size(HandledSignals)] = {};
#elif defined(Q_OS_WIN)
    // The owning SignalCanceler while it is active; read by the handler. A member, so that
    // the handler may post to handleSignal(), which is private.
    static inline std::atomic<SignalCanceler *> instance { nullptr };
    static BOOL WINAPI consoleCtrlHandler(DWORD event);
#endif
};

#if defined(Q_OS_WIN)
static_assert(std::atomic<SignalCanceler *>::is_always_lock_free);

// Windows runs this on a thread of its own, created for each event. It may lock and allocate,
// but the SignalCanceler may be destroyed on its own thread meanwhile: the handler posts to it
// only between the increment and the decrement of g_handlersRunning, which the destructor
// waits out (the same handshake as the Unix handler's). Canceling happens on the
// SignalCanceler's thread, as on Unix: target() is a QPointer that only that thread may read.
BOOL WINAPI SignalCanceler::Private::consoleCtrlHandler(DWORD event)
{
    const int signalNumber = signalForEvent(event);
    if (signalNumber == 0)
        return FALSE;
    // Sequentially consistent with the destructor's store of nullptr and its load of the
    // count: either the destructor sees this handler running, or this handler sees nullptr.
    g_handlersRunning.fetch_add(1, std::memory_order_seq_cst);
    SignalCanceler *const canceler = instance.load(std::memory_order_seq_cst);
    if (canceler) {
        // Queued to the canceler's thread; dropped with the event if the canceler is
        // destroyed before its event loop gets to it.
        QMetaObject::invokeMethod(
                canceler, [canceler, signalNumber] { canceler->handleSignal(signalNumber); },
                Qt::QueuedConnection);
    }
    g_handlersRunning.fetch_sub(1, std::memory_order_acq_rel);
    if (!canceler)
        return FALSE; // destroyed meanwhile: as if it had not been installed
    if (event == CTRL_CLOSE_EVENT) {
        // Windows ends the process as soon as this returns, and about 5 s after the event
        // if it has not returned by then. Block, so that the program gets those seconds to
        // cancel, let its workers stop and leave main(); exiting ends this thread too.
        for (;;)
            Sleep(INFINITE);
    }
    return TRUE; // handled: Ctrl+C and Ctrl+Break do not end the process
}
#endif

SignalCanceler::SignalCanceler(QObject *parent) : SignalCanceler(nullptr, parent) { }

SignalCanceler::SignalCanceler(Source *target, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    d->target = target;
#if defined(Q_OS_UNIX)
    if (!claimSignals())
        return;
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, d->fds) != 0) {
        qCWarning(lcCancellation(), "SignalCanceler: socketpair() failed: %s",
                  qPrintable(qt_error_string(errno)));
        d->fds[0] = d->fds[1] = -1;
        g_owned.store(false, std::memory_order_release);
        return;
    }
    if (!setNonBlockingCloseOnExec(d->fds[0]) || !setNonBlockingCloseOnExec(d->fds[1])) {
        qCWarning(lcCancellation(), "SignalCanceler: fcntl() failed: %s",
                  qPrintable(qt_error_string(errno)));
        ::close(d->fds[0]);
        ::close(d->fds[1]);
        d->fds[0] = d->fds[1] = -1;
        g_owned.store(false, std::memory_order_release);
        return;
    }
    g_writeFd.store(d->fds[1], std::memory_order_release);

    d->notifier = new QSocketNotifier(static_cast<qintptr>(d->fds[0]), QSocketNotifier::Read, this);
    connect(d->notifier, &QSocketNotifier::activated, this, [this] {
        const QPointer<SignalCanceler> guard(this); // a slot of signalReceived() may delete us
        unsigned char bytes[64];
        for (;;) {
            const ssize_t n = ::read(d->fds[0], bytes, sizeof bytes);
            if (n <= 0)
                return; // EAGAIN: drained
            for (ssize_t i = 0; i < n; ++i) {
                handleSignal(bytes[i]);
                if (!guard)
                    return;
            }
        }
    });

    struct sigaction action = {};
    action.sa_handler = cancellationSignalHandler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (std::size_t i = 0; i < std::size(HandledSignals); ++i) {
        if (::sigaction(HandledSignals[i], &action, &d->previous[i]) == 0)
            d->installed[i] = true;
        else
            qCWarning(lcCancellation(), "SignalCanceler: sigaction(%d) failed: %s",
                      HandledSignals[i], qPrintable(qt_error_string(errno)));
    }
    d->active = true;
#elif defined(Q_OS_WIN)
    if (!claimSignals())
        return;
    // Published before the handler is installed, so that its first event finds it.
    Private::instance.store(this, std::memory_order_seq_cst);
    if (!SetConsoleCtrlHandler(&Private::consoleCtrlHandler, TRUE)) {
        qCWarning(lcCancellation(), "SignalCanceler: SetConsoleCtrlHandler() failed: %s",
                  qPrintable(qt_error_string(int(GetLastError()))));
        Private::instance.store(nullptr, std::memory_order_seq_cst);
        g_owned.store(false, std::memory_order_release);
        return;
    }
    d->active = true;
#else
    qCWarning(lcCancellation(), "SignalCanceler: signals are not supported on this platform");
#endif
}

SignalCanceler::~SignalCanceler()
{
#if defined(Q_OS_UNIX)
    if (!d->active)
        return;
    for (std::size_t i = 0; i < std::size(HandledSignals); ++i) {
        if (d->installed[i])
            ::sigaction(HandledSignals[i], &d->previous[i], nullptr);
    }
    // A handler that started before the restore may still be about to write:
    // stop new writes, then wait for running handlers before closing the fd.
    g_writeFd.store(-1, std::memory_order_seq_cst);
    while (g_handlersRunning.load(std::memory_order_seq_cst) != 0)
        std::this_thread::yield();
    delete d->notifier;
    ::close(d->fds[0]);
    ::close(d->fds[1]);
    g_owned.store(false, std::memory_order_release);
#elif defined(Q_OS_WIN)
    if (!d->active)
        return;
    SetConsoleCtrlHandler(&Private::consoleCtrlHandler, FALSE);
    // A handler that started before the removal may still be about to post: stop new posts,
    // then wait for running handlers. Events already posted go with this QObject.
    Private::instance.store(nullptr, std::memory_order_seq_cst);
    while (g_handlersRunning.load(std::memory_order_seq_cst) != 0)
        std::this_thread::yield();
    g_owned.store(false, std::memory_order_release);
#endif
}

bool SignalCanceler::isActive() const noexcept
{
    return d->active;
}

Source *SignalCanceler::target() const
{
    return d->target.data();
}

void SignalCanceler::setTarget(Source *target)
{
    d->target = target;
}

void SignalCanceler::handleSignal(int signalNumber)
{
    if (Source *source = d->target.data())
        source->cancelWithReason(Reason::Kind::SystemSignal, QString(), signalNumber);
    Q_EMIT signalReceived(signalNumber, QPrivateSignal());
}

} // namespace Cancellation
