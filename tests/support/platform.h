// SPDX-License-Identifier: MIT
#pragma once

// What the tests and benchmarks need from the operating system beyond Qt and the
// standard library, in one place (platform.cpp), so that every test source builds on
// Linux, macOS and Windows. Each helper says what it does where it cannot do its job;
// a constant tells the tests that need it, which QSKIP there with the reason.

#include <QtCore/QElapsedTimer>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QTemporaryDir>
#include <QtCore/QtGlobal>

#include <array>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>

namespace TestPlatform {

// --- Threads of this process

//! Whether threadState() can tell: Linux, from /proc.
#if defined(Q_OS_LINUX)
inline constexpr bool HasThreadState = true;
#else
inline constexpr bool HasThreadState = false;
#endif

//! The calling thread's id as threadState() takes it: the kernel's (gettid()) on Linux,
//! 0 elsewhere.
qint64 currentThreadId();

//! The scheduler state of thread \a tid of this process, from /proc (Linux): 'S' while it
//! sleeps in the kernel, for example blocked in a futex wait; '?' if it cannot be read, and
//! always where HasThreadState is false. Lets a test or benchmark act once a thread is really
//! blocked, not merely on its way to the wait.
char threadState(qint64 tid);

//! CPU time used by the calling thread: clock_gettime(CLOCK_THREAD_CPUTIME_ID) on Unix,
//! GetThreadTimes() on Windows (in steps of the scheduler tick, about 15.6 ms); zero elsewhere.
std::chrono::nanoseconds threadCpuTime();

// --- Memory and CPU of this process

//! Bytes of heap in use: glibc's mallinfo2(), macOS's malloc zones; nullopt elsewhere.
//! (The sanitizers' allocators do not report through either.)
std::optional<std::size_t> heapBytesInUse();

//! Resident memory in KiB (Linux: VmRSS in /proc/self/status); 0 where unknown.
qint64 residentKiB();

//! Peak resident memory in KiB (Linux: VmHWM; other Unix: getrusage()'s ru_maxrss;
//! Windows: the peak working set); -1 where unknown.
qint64 peakResidentKiB();

//! Minor page faults of this process so far (getrusage() on Unix); 0 elsewhere.
long minorPageFaults();

//! User plus system CPU seconds of this process and, on Unix, of the children it waited for
//! (getrusage()); Windows counts this process only.
double processCpuSeconds();

//! CPU seconds the whole machine spent neither idle nor waiting for I/O since boot (Linux:
//! /proc/stat); 0 elsewhere.
double machineBusySeconds();

//! The 1, 5 and 15-minute load averages (getloadavg() on Unix); zeros elsewhere.
std::array<double, 3> loadAverage();

//! The CPU's model name (Linux: /proc/cpuinfo; macOS: sysctl); empty where unknown.
QString cpuModel();

//! This process's nice value (Unix); 0 elsewhere.
int niceValue();

// --- Signals

//! Whether raiseSignal() reaches this process's signal handlers as Ctrl+C in a terminal
//! would: POSIX signals (Unix). On Windows, raise() bypasses the console control handlers
//! that Cancellation::SignalCanceler installs, and SIGINT's default action ends the process.
#if defined(Q_OS_UNIX)
inline constexpr bool CanRaiseSignals = true;
#else
inline constexpr bool CanRaiseSignals = false;
#endif

//! raise(\a signalNumber); false where CanRaiseSignals is false (nothing is raised there).
bool raiseSignal(int signalNumber);

//! Whether sendSignal() can signal another process: kill() (Unix).
inline constexpr bool CanSignalProcesses = CanRaiseSignals;

//! Sends \a signalNumber to process \a pid; false if it could not (and always where
//! CanSignalProcesses is false).
bool sendSignal(qint64 pid, int signalNumber);

//! SIGPIPE where there is one (Unix), 0 elsewhere.
#if defined(SIGPIPE)
inline constexpr int BrokenPipeSignal = SIGPIPE;
#else
inline constexpr int BrokenPipeSignal = 0;
#endif

//! Replaces the handler of \a signalNumber for its lifetime with a plain handler, and puts back
//! the previous disposition (flags and mask included) when destroyed (sigaction(), Unix). Where
//! CanRaiseSignals is false it does nothing and isValid() is false.
class ScopedSignalHandler
{
public:
    using Handler = void (*)(int);
    ScopedSignalHandler(int signalNumber, Handler handler);
    ~ScopedSignalHandler();
    ScopedSignalHandler(const ScopedSignalHandler &) = delete;
    ScopedSignalHandler &operator=(const ScopedSignalHandler &) = delete;

    bool isValid() const { return m_saved != nullptr; }
    //! The plain handler now installed for \a signalNumber, or nullptr (none, or not plain).
    static Handler current(int signalNumber);

private:
    struct Saved;
    int m_signal;
    std::unique_ptr<Saved> m_saved;
};

// --- Other processes, from /proc (Linux)

//! Whether the helpers below can look into another process: Linux.
#if defined(Q_OS_LINUX)
inline constexpr bool HasProcessInfo = true;
#else
inline constexpr bool HasProcessInfo = false;
#endif

//! Whether a signal sent to process \a pid is still waiting for a thread to take it (ShdPnd).
bool signalPending(qint64 pid, int signalNumber);
//! Whether process \a pid has a handler for \a signalNumber (SigCgt).
bool signalCaught(qint64 pid, int signalNumber);
//! How many threads of process \a pid have a name starting with \a prefix; -1 once it has
//! exited.
int threadsNamed(qint64 pid, const QByteArray &prefix);
//! The ids of the threads of process \a pid that do not block \a signalNumber (SigBlk), in
//! ascending order: those the kernel may give a signal sent to the process. Empty once it has
//! exited, and where HasProcessInfo is false.
QList<qint64> threadsTaking(qint64 pid, int signalNumber);
//! What descriptor \a fd of process \a pid refers to (readlink of /proc/PID/fd/FD); empty if
//! unknown.
QString descriptorTarget(qint64 pid, int fd);
//! Whether process \a pid has exited: gone, or a zombie waiting to be reaped.
bool hasExited(qint64 pid);

// --- Child processes (QProcess::setChildProcessModifier(), Unix)

//! Whether the child modifiers below do anything: Unix.
inline constexpr bool HasChildModifiers = CanRaiseSignals;

//! Runs in the child before exec: sets SIGPIPE to be ignored (\a ignore) or to its default.
std::function<void()> sigpipeInChild(bool ignore);
//! Runs in the child before exec: closes the descriptors \a fds.
std::function<void()> closeInChild(const QList<int> &fds);
//! Runs in the child before exec: blocks SIGINT and SIGTERM, then sends itself
//! \a signalNumbers, which stay pending across exec until the program unblocks them.
std::function<void()> pendingSignalsInChild(const QList<int> &signalNumbers);

//! A device on which every write fails with ENOSPC (/dev/full, Linux); empty elsewhere.
QString fullDevice();

//! Whether Fifo works: Linux.
inline constexpr bool HasFifo = HasProcessInfo;

//! A FIFO that a test reads from, or not: a child's stdout when the test must decide when (and
//! whether) its output is read. Linux only (mkfifo(), a one-page pipe with F_SETPIPE_SZ,
//! FIONREAD); elsewhere isValid() is false.
class Fifo
{
public:
    Fifo();
    ~Fifo();
    Fifo(const Fifo &) = delete;
    Fifo &operator=(const Fifo &) = delete;

    bool isValid() const { return m_fd >= 0 && m_capacity > 0; }
    QString path() const { return m_path; }
    int capacity() const { return m_capacity; }
    //! Bytes written and not read yet; -1 if unknown.
    int queued() const;
    /*!
        Whether the writer is stuck: half full or more, and no byte added for 50 ms, while
        workers print every millisecond. (A write of up to 4 KiB to a pipe is all or nothing,
        so a stuck pipe may stop short of full.) Call it repeatedly, as QTRY_VERIFY does.
    */
    bool stalled();
    //! As `head` does once it has its lines: the writer's next write fails with EPIPE.
    void closeReader();
    //! Reads what is there, without waiting.
    QByteArray readAvailable();

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_fd = -1;
    int m_capacity = -1;
    int m_lastQueued = -1;
    QElapsedTimer m_sinceChange;
};

} // namespace TestPlatform
