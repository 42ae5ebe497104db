// SPDX-License-Identifier: MIT
#include "platform.h"

#include <QtCore/QDir>
#include <QtCore/QFile>

#include <algorithm>
#include <cstdio>
#include <cstring>

#if defined(Q_OS_UNIX)
#  include <cerrno>
#  include <cstdlib>
#  include <fcntl.h>
#  include <signal.h>
#  include <sys/resource.h>
#  include <sys/stat.h>
#  include <sys/time.h>
#  include <sys/types.h>
#  include <time.h>
#  include <unistd.h>
#endif
#if defined(Q_OS_LINUX)
#  include <malloc.h>
#  include <sys/ioctl.h>
#endif
#if defined(Q_OS_DARWIN)
#  include <malloc/malloc.h>
#  include <sys/sysctl.h>
#endif
#if defined(Q_OS_WIN)
#  ifndef NOMINMAX
#    define NOMINMAX
#  endif
#  ifndef WIN32_LEAN_AND_MEAN
#    define WIN32_LEAN_AND_MEAN
#  endif
#  include <windows.h>
#  include <psapi.h>
#endif

namespace TestPlatform {

namespace {

#if defined(Q_OS_LINUX)
// The value after "field:" in /proc/<pid>/status, or an empty array.
QByteArray statusField(const QString &statusPath, const QByteArray &field)
{
    QFile status(statusPath);
    // /proc files report size 0, so read them whole rather than testing atEnd().
    if (!status.open(QIODevice::ReadOnly))
        return QByteArray();
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed();
    }
    return QByteArray();
}

// Whether the signal mask \a field of \a statusPath has \a signalNumber; nullopt if the
// process or thread has exited.
std::optional<bool> statusMask(const QString &statusPath, const QByteArray &field, int signalNumber)
{
    const QByteArray value = statusField(statusPath, field);
    if (value.isEmpty())
        return std::nullopt;
    return (value.toULongLong(nullptr, 16) >> (signalNumber - 1)) & 1;
}

bool statusMask(qint64 pid, const QByteArray &field, int signalNumber)
{
    return statusMask(QStringLiteral("/proc/%1/status").arg(pid), field, signalNumber)
            .value_or(false);
}

// The state letter after the command name in /proc/.../stat, or '?'.
char statState(const QByteArray &path)
{
    std::FILE *file = std::fopen(path.constData(), "r");
    if (!file)
        return '?';
    char buffer[512];
    const std::size_t size = std::fread(buffer, 1, sizeof buffer - 1, file);
    std::fclose(file);
    buffer[size] = '\0';
    const char *paren = std::strrchr(buffer, ')'); // the name may contain spaces and parentheses
    return paren && paren[1] == ' ' ? paren[2] : '?';
}
#endif

#if defined(Q_OS_UNIX)
double seconds(const timeval &time)
{
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
}
#endif

#if defined(Q_OS_WIN)
// A FILETIME duration (100 ns units) in nanoseconds.
std::chrono::nanoseconds fromFileTime(const FILETIME &time)
{
    const quint64 ticks = (quint64(time.dwHighDateTime) << 32) | time.dwLowDateTime;
    return std::chrono::nanoseconds(qint64(ticks) * 100);
}
#endif

} // namespace

// --- Threads of this process

qint64 currentThreadId()
{
#if defined(Q_OS_LINUX)
    return ::gettid();
#else
    return 0;
#endif
}

char threadState(qint64 tid)
{
#if defined(Q_OS_LINUX)
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%lld/stat", static_cast<long long>(tid));
    return statState(path);
#else
    Q_UNUSED(tid);
    return '?';
#endif
}

std::chrono::nanoseconds threadCpuTime()
{
#if defined(Q_OS_UNIX)
    timespec ts {};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return std::chrono::nanoseconds(0);
    return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
#elif defined(Q_OS_WIN)
    FILETIME creation {}, exit {}, kernel {}, user {};
    if (!GetThreadTimes(GetCurrentThread(), &creation, &exit, &kernel, &user))
        return std::chrono::nanoseconds(0);
    return fromFileTime(kernel) + fromFileTime(user);
#else
    return std::chrono::nanoseconds(0);
#endif
}

// --- Memory and CPU of this process

std::optional<std::size_t> heapBytesInUse()
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    return mallinfo2().uordblks;
#elif defined(Q_OS_DARWIN)
    malloc_statistics_t statistics {};
    malloc_zone_statistics(nullptr, &statistics); // nullptr: all zones
    return statistics.size_in_use;
#else
    return std::nullopt;
#endif
}

qint64 residentKiB()
{
#if defined(Q_OS_LINUX)
    return statusField(QStringLiteral("/proc/self/status"), "VmRSS:")
            .split(' ')
            .value(0)
            .toLongLong();
#else
    return 0;
#endif
}

qint64 peakResidentKiB()
{
#if defined(Q_OS_LINUX)
    const QByteArray value = statusField(QStringLiteral("/proc/self/status"), "VmHWM:");
    return value.isEmpty() ? -1 : value.split(' ').value(0).toLongLong();
#elif defined(Q_OS_UNIX)
    rusage usage {};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return -1;
#  if defined(Q_OS_DARWIN)
    return qint64(usage.ru_maxrss) / 1024; // bytes on macOS
#  else
    return qint64(usage.ru_maxrss); // KiB on the BSDs
#  endif
#elif defined(Q_OS_WIN)
    PROCESS_MEMORY_COUNTERS counters {};
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &counters, sizeof counters))
        return -1;
    return qint64(counters.PeakWorkingSetSize / 1024);
#else
    return -1;
#endif
}

long minorPageFaults()
{
#if defined(Q_OS_UNIX)
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
#else
    return 0;
#endif
}

double processCpuSeconds()
{
    double total = 0;
#if defined(Q_OS_UNIX)
    for (int who : { RUSAGE_SELF, RUSAGE_CHILDREN }) {
        rusage usage {};
        if (getrusage(who, &usage) == 0)
            total += seconds(usage.ru_utime) + seconds(usage.ru_stime);
    }
#elif defined(Q_OS_WIN)
    FILETIME creation {}, exit {}, kernel {}, user {};
    if (GetProcessTimes(GetCurrentProcess(), &creation, &exit, &kernel, &user))
        total = double((fromFileTime(kernel) + fromFileTime(user)).count()) / 1e9;
#endif
    return total;
}

double machineBusySeconds()
{
#if defined(Q_OS_LINUX)
    QFile stat(QStringLiteral("/proc/stat"));
    if (!stat.open(QIODevice::ReadOnly | QIODevice::Text))
        return 0;
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks;
    // guest time is already counted in user.
    const QList<QByteArray> fields = stat.readLine().simplified().split(' ');
    if (fields.size() < 9 || fields[0] != "cpu")
        return 0;
    double ticks = 0;
    for (int i : { 1, 2, 3, 6, 7, 8 })
        ticks += fields[i].toDouble();
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
#else
    return 0;
#endif
}

std::array<double, 3> loadAverage()
{
    std::array<double, 3> load { 0, 0, 0 };
#if defined(Q_OS_UNIX)
    if (getloadavg(load.data(), 3) != 3)
        load = { 0, 0, 0 };
#endif
    return load;
}

QString cpuModel()
{
#if defined(Q_OS_LINUX)
    QFile file(QStringLiteral("/proc/cpuinfo"));
    if (file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
        for (const QString &line : lines) {
            if (line.startsWith(QLatin1String("model name"))) {
                const qsizetype colon = line.indexOf(QLatin1Char(':'));
                if (colon >= 0)
                    return line.mid(colon + 1).trimmed();
            }
        }
    }
#elif defined(Q_OS_DARWIN)
    char name[256] = {};
    std::size_t size = sizeof name;
    if (sysctlbyname("machdep.cpu.brand_string", name, &size, nullptr, 0) == 0)
        return QString::fromUtf8(name).trimmed();
#endif
    return QString();
}

int niceValue()
{
#if defined(Q_OS_UNIX)
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, 0);
    return errno == 0 ? nice : 0;
#else
    return 0;
#endif
}

// --- Signals

bool raiseSignal(int signalNumber)
{
#if defined(Q_OS_UNIX)
    return std::raise(signalNumber) == 0;
#else
    Q_UNUSED(signalNumber);
    return false;
#endif
}

bool sendSignal(qint64 pid, int signalNumber)
{
#if defined(Q_OS_UNIX)
    return pid > 0 && ::kill(static_cast<pid_t>(pid), signalNumber) == 0;
#else
    Q_UNUSED(pid);
    Q_UNUSED(signalNumber);
    return false;
#endif
}

struct ScopedSignalHandler::Saved
{
#if defined(Q_OS_UNIX)
    struct sigaction action = {};
#endif
};

ScopedSignalHandler::ScopedSignalHandler(int signalNumber, Handler handler) : m_signal(signalNumber)
{
#if defined(Q_OS_UNIX)
    auto saved = std::make_unique<Saved>();
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    if (sigaction(m_signal, &action, &saved->action) == 0)
        m_saved = std::move(saved);
#else
    Q_UNUSED(handler);
#endif
}

ScopedSignalHandler::~ScopedSignalHandler()
{
#if defined(Q_OS_UNIX)
    if (m_saved)
        sigaction(m_signal, &m_saved->action, nullptr);
#endif
}

ScopedSignalHandler::Handler ScopedSignalHandler::current(int signalNumber)
{
#if defined(Q_OS_UNIX)
    struct sigaction action = {};
    if (sigaction(signalNumber, nullptr, &action) != 0 || (action.sa_flags & SA_SIGINFO))
        return nullptr;
    return action.sa_handler;
#else
    Q_UNUSED(signalNumber);
    return nullptr;
#endif
}

// --- Other processes, from /proc (Linux)

bool signalPending(qint64 pid, int signalNumber)
{
#if defined(Q_OS_LINUX)
    return statusMask(pid, "ShdPnd:", signalNumber);
#else
    Q_UNUSED(pid);
    Q_UNUSED(signalNumber);
    return false;
#endif
}

bool signalCaught(qint64 pid, int signalNumber)
{
#if defined(Q_OS_LINUX)
    return statusMask(pid, "SigCgt:", signalNumber);
#else
    Q_UNUSED(pid);
    Q_UNUSED(signalNumber);
    return false;
#endif
}

int threadsNamed(qint64 pid, const QByteArray &prefix)
{
#if defined(Q_OS_LINUX)
    const QString task = QStringLiteral("/proc/%1/task").arg(pid);
    const QStringList threads = QDir(task).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    if (threads.isEmpty())
        return -1;
    int n = 0;
    for (const QString &thread : threads) {
        QFile comm(task + u'/' + thread + QStringLiteral("/comm"));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith(prefix))
            ++n;
    }
    return n;
#else
    Q_UNUSED(pid);
    Q_UNUSED(prefix);
    return -1;
#endif
}

QList<qint64> threadsTaking(qint64 pid, int signalNumber)
{
    QList<qint64> taking;
#if defined(Q_OS_LINUX)
    const QString task = QStringLiteral("/proc/%1/task").arg(pid);
    for (const QString &thread : QDir(task).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        // nullopt: the thread ended meanwhile.
        const std::optional<bool> blocked = statusMask(
                task + u'/' + thread + QStringLiteral("/status"), "SigBlk:", signalNumber);
        if (blocked && !*blocked)
            taking.append(thread.toLongLong());
    }
    std::sort(taking.begin(), taking.end());
#else
    Q_UNUSED(pid);
    Q_UNUSED(signalNumber);
#endif
    return taking;
}

QString descriptorTarget(qint64 pid, int fd)
{
#if defined(Q_OS_LINUX)
    const QByteArray link = QStringLiteral("/proc/%1/fd/%2").arg(pid).arg(fd).toLocal8Bit();
    char target[256];
    const ssize_t n = ::readlink(link.constData(), target, sizeof target);
    return n < 0 ? QString() : QString::fromLocal8Bit(target, n);
#else
    Q_UNUSED(pid);
    Q_UNUSED(fd);
    return QString();
#endif
}

bool hasExited(qint64 pid)
{
#if defined(Q_OS_LINUX)
    // A zombie ("Z") has exited; its parent has not reaped it yet.
    const char state = statState(QStringLiteral("/proc/%1/stat").arg(pid).toLocal8Bit());
    return state == '?' || state == 'Z';
#else
    Q_UNUSED(pid);
    return false;
#endif
}

// --- Child processes

std::function<void()> sigpipeInChild(bool ignore)
{
#if defined(Q_OS_UNIX)
    return [ignore] { ::signal(SIGPIPE, ignore ? SIG_IGN : SIG_DFL); };
#else
    Q_UNUSED(ignore);
    return {};
#endif
}

std::function<void()> closeInChild(const QList<int> &fds)
{
#if defined(Q_OS_UNIX)
    return [fds] {
        for (int fd : fds)
            ::close(fd);
    };
#else
    Q_UNUSED(fds);
    return {};
#endif
}

std::function<void()> pendingSignalsInChild(const QList<int> &signalNumbers)
{
#if defined(Q_OS_UNIX)
    return [signalNumbers] {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        ::sigprocmask(SIG_BLOCK, &set, nullptr);
        for (int signalNumber : signalNumbers)
            ::kill(::getpid(), signalNumber);
    };
#else
    Q_UNUSED(signalNumbers);
    return {};
#endif
}

QString fullDevice()
{
#if defined(Q_OS_LINUX)
    return QStringLiteral("/dev/full");
#else
    return QString();
#endif
}

// --- Fifo

Fifo::Fifo()
{
#if defined(Q_OS_LINUX)
    if (!m_dir.isValid())
        return;
    m_path = m_dir.filePath(QStringLiteral("stdout"));
    if (::mkfifo(QFile::encodeName(m_path).constData(), 0600) != 0)
        return;
    // Non-blocking, so that opening it needs no writer yet and reading never waits.
    m_fd = ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    // The smallest pipe (one page), so that a few hundred lines fill it.
    if (m_fd >= 0)
        m_capacity = ::fcntl(m_fd, F_SETPIPE_SZ, 4096);
#endif
}

Fifo::~Fifo()
{
    closeReader();
}

int Fifo::queued() const
{
#if defined(Q_OS_LINUX)
    int n = 0;
    return m_fd >= 0 && ::ioctl(m_fd, FIONREAD, &n) == 0 ? n : -1;
#else
    return -1;
#endif
}

bool Fifo::stalled()
{
    const int now = queued();
    if (now != m_lastQueued || !m_sinceChange.isValid()) {
        m_lastQueued = now;
        m_sinceChange.start();
        return false;
    }
    return now >= m_capacity / 2 && m_sinceChange.elapsed() >= 50;
}

void Fifo::closeReader()
{
#if defined(Q_OS_LINUX)
    if (m_fd >= 0)
        ::close(m_fd);
#endif
    m_fd = -1;
}

QByteArray Fifo::readAvailable()
{
    QByteArray all;
#if defined(Q_OS_LINUX)
    if (m_fd < 0)
        return all;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(m_fd, buffer, sizeof buffer)) > 0)
        all.append(buffer, n);
#endif
    return all;
}

} // namespace TestPlatform
