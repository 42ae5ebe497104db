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
#endif

namespace Cancellation {

namespace {

// Process-wide, because a signal handler has no context argument. Lock-free
// atomics are async-signal-safe.
std::atomic<bool> g_owned { false };
std::atomic<int> g_writeFd { -1 };
std::atomic<int> g_handlersRunning { 0 };

static_assert(std::atomic<int>::is_always_lock_free);
static_assert(std::atomic<bool>::is_always_lock_free);

#if defined(Q_OS_UNIX)
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
#endif
};

SignalCanceler::SignalCanceler(QObject *parent) : SignalCanceler(nullptr, parent) { }

SignalCanceler::SignalCanceler(Source *target, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    d->target = target;
#if defined(Q_OS_UNIX)
    bool expected = false;
    if (!g_owned.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) {
        qCWarning(lcCancellation(),
                  "SignalCanceler: another SignalCanceler already handles SIGINT and SIGTERM; "
                  "this one stays inactive");
        return;
    }
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
#else
    qCWarning(lcCancellation(), "SignalCanceler: POSIX signals are not supported on this platform");
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
