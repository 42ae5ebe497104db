// SPDX-License-Identifier: MIT
#include "runstatuspanel.h"

#include "livelabel.h"
#include "runtext.h"
#include "statebadge.h"
#include "widgetnames.h"

#include "core/durationparser.h"

#include <QtCore/QLocale>
#include <QtCore/QTime>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

namespace Demo {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

namespace {

QString formatDuration(nanoseconds duration)
{
    return DurationParser::format(duration);
}

} // namespace

RunStatusPanel::RunStatusPanel(QWidget *parent)
    : QGroupBox(tr("Run token"), parent),
      m_state(new StateBadge),
      m_reason(new QLabel),
      m_countdown(new QProgressBar),
      m_countdownText(new QLabel),
      m_summary(new QLabel),
      m_note(new QLabel),
      m_tree(new QLabel)
{
    m_state->setMinimumHeight(m_state->sizeHint().height() + 12);
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    setNames(m_reason, tr("Reason"), tr("Why the token was canceled, as Reason::toString() says"));
    m_countdown->setRange(0, 1000);
    m_countdown->setTextVisible(false);
    setNames(m_countdown, tr("Countdown"), tr("Time left until the timeout cancels the token"));
    m_countdownText->setMinimumWidth(
            fontMetrics().horizontalAdvance(QStringLiteral("0000 ms left of 00 min 00 s")));
    m_countdownText->setWordWrap(true); // "deadline reached; a worker's check noticed it …"
    setNames(m_countdownText, tr("Time left"), m_countdown->toolTip());
    m_summary->setWordWrap(true);
    setNames(m_summary, tr("Summary"), tr("Workers alive, lines per second and lines in total"));
    QFont noteFont = m_note->font();
    noteFont.setItalic(true);
    m_note->setFont(noteFont);
    reserveLines(m_note, 4);
    setNames(m_note, tr("Explanation"), tr("What is happening now"));
    reserveLines(m_tree, 2);
    setNames(m_tree, tr("Token tree"), tr("How the workers' tokens hang together"));

    auto *column = new QVBoxLayout(this);
    column->addWidget(m_state);
    column->addWidget(m_reason);
    auto *countdownRow = new QHBoxLayout;
    countdownRow->addWidget(new QLabel(tr("Timeout:")));
    countdownRow->addWidget(m_countdown, 1);
    countdownRow->addWidget(m_countdownText);
    column->addLayout(countdownRow);
    column->addWidget(m_summary);
    column->addWidget(m_tree);
    // Last: the lines it keeps free for a longer text are then the panel's bottom margin.
    column->addWidget(m_note);
    column->addStretch(1);
}

void RunStatusPanel::showRun(const RunSnapshot &run, const Context &context)
{
    showToken(run);
    showCountdown(run, context);
    showWorkers(run, context);
}

void RunStatusPanel::showToken(const RunSnapshot &run)
{
    const Cancellation::Reason &reason = run.reason;
    if (!run.hasRun) {
        m_state->setState(StateBadge::State::Idle);
        m_reason->setText(tr("No run yet."));
        return;
    }
    const bool canceled = run.isCanceled();
    m_state->setSignalNumber(reason.root().signalNumber());
    m_state->setState(
            canceled ? StateBadge::stateOf(reason)
                     : (run.running ? StateBadge::State::Running : StateBadge::State::Idle));
    const QString at = canceled ? RunText::wallClock(reason.canceledAt()) : QString();
    m_reason->setText(canceled              ? tr("Reason: %1, at %2").arg(reason.toString(), at)
                              : run.running ? tr("Not canceled yet: the workers keep printing.")
                                            : tr("Never canceled: every worker was canceled "
                                                 "alone or ended on its own."));
}

void RunStatusPanel::showCountdown(const RunSnapshot &run, const Context &context)
{
    const Cancellation::Reason &reason = run.reason;
    const bool hasDeadline = run.deadline.has_value();
    const nanoseconds remaining = hasDeadline
            ? std::max(nanoseconds::zero(), *run.deadline - run.takenAt)
            : nanoseconds::zero();
    // The bar is live only while it counts down.
    m_countdown->setEnabled(run.running && !reason.isCanceled() && context.armedTimeout
                            && hasDeadline);
    if (!run.running || reason.isCanceled()) {
        // Idle, or the run's token is settled: show the setting, or what happened.
        m_countdown->setValue(0);
        if (run.hasRun && run.timedOut()) {
            // How late the deadline was noticed: the point of the two timeout styles.
            if (!run.noticedLate)
                m_countdownText->setText(tr("deadline reached"));
            else if (run.config.timeoutStyle == TimeoutStyle::Deadline)
                m_countdownText->setText(tr("deadline reached; a worker's check noticed it %1 "
                                            "later")
                                                 .arg(formatDuration(*run.noticedLate)));
            else
                m_countdownText->setText(tr("deadline reached; the timer fired %1 later")
                                                 .arg(formatDuration(*run.noticedLate)));
        } else if (run.hasRun && reason.isCanceled()) {
            m_countdownText->setText(context.armedTimeout ? tr("canceled before the deadline")
                                                          : tr("off"));
        } else if (context.nextTimeout) {
            m_countdown->setValue(m_countdown->maximum());
            m_countdownText->setText(tr("%1 from start").arg(formatDuration(*context.nextTimeout)));
        } else {
            m_countdownText->setText(tr("off"));
        }
        return;
    }

    if (!context.armedTimeout || !hasDeadline) {
        m_countdown->setValue(0);
        m_countdownText->setText(tr("off"));
        return;
    }
    const qint64 totalMs =
            std::max<qint64>(1, std::chrono::ceil<milliseconds>(*context.armedTimeout).count());
    const qint64 remainingMs = std::chrono::ceil<milliseconds>(remaining).count();
    m_countdown->setValue(int(std::clamp<qint64>(remainingMs * m_countdown->maximum() / totalMs, 0,
                                                 m_countdown->maximum())));
    m_countdownText->setText(remainingMs > 0
                                     ? tr("%1 left of %2")
                                               .arg(formatDuration(milliseconds(remainingMs)),
                                                    formatDuration(*context.armedTimeout))
                                     : tr("deadline passed: the next check cancels"));
}

void RunStatusPanel::showWorkers(const RunSnapshot &run, const Context &context)
{
    const int workers = int(run.workers.size());
    if (!run.hasRun) {
        m_summary->setText(tr("Press Start (Ctrl+Return) to run %1.")
                                   .arg(RunText::workers(run.config.workers)));
    } else {
        const QLocale locale;
        const QString rate = context.linesPerSecond < 100
                ? locale.toString(context.linesPerSecond, 'f', 1)
                : locale.toString(qint64(context.linesPerSecond + 0.5));
        QString summary =
                tr("<b>%1</b> of %2 alive &nbsp;·&nbsp; <b>%3</b> lines/s "
                   "&nbsp;·&nbsp; <b>%4</b> lines in total")
                        .arg(run.alive)
                        .arg(RunText::workers(workers), rate, locale.toString(run.totalLines));
        if (run.config.slowdown > 1)
            summary += QStringLiteral(" &nbsp;·&nbsp; ")
                    + tr("slow motion <b>%1</b>").arg(RunText::speed(run.config.slowdown));
        m_summary->setText(summary);
    }

    const WaitMode mode = run.config.mode;
    const bool canceled = run.isCanceled();
    const QString ignoring = run.ignoringAlive == 0 ? QString()
                                                    : QLatin1Char(' ')
                    + tr("%1 ignores its token: nothing stops it before its last line.")
                              .arg(RunText::workers(run.ignoringAlive));
    QString note;
    if (run.paused) {
        note = tr("Paused: each worker holds before its next step, shown on its line of the "
                  "code. The tokens do not pause: a cancel or a timeout lands now, and the step "
                  "that checks notices it. Step (F10) moves every worker one step.");
    } else if (context.closing && run.running) {
        note = tr("Closing: waiting for %1 to stop. Close again to quit at once.")
                       .arg(RunText::workers(run.alive));
    } else if (run.running && canceled && run.yetToNotice > 0) {
        note = (mode != WaitMode::Wait
                        ? tr("Waiting for %1 to notice cancellation: each checks its token when "
                             "its sleep ends, up to %2 after the cancel.")
                                  .arg(RunText::workers(run.yetToNotice),
                                       formatDuration(run.config.interval))
                        : tr("Waiting for %1 to notice cancellation…")
                                  .arg(RunText::workers(run.yetToNotice)))
                + ignoring;
    } else if (run.running && canceled) {
        note = tr("Every worker that checks its token has stopped.") + ignoring;
    } else if (run.running) {
        switch (mode) {
        case WaitMode::Poll:
            note = tr("Each worker sleeps for the interval, prints, then checks its token (the "
                      "article's loop): after a cancel it prints one last line, up to one "
                      "interval late.");
            break;
        case WaitMode::Wait:
            note = tr("Each worker waits on its token for the interval: a cancel wakes it at "
                      "once.");
            break;
        case WaitMode::Mixed:
            note = tr("Odd-numbered workers sleep, then check (the article's loop); even-numbered "
                      "ones wait on the token. Cancel, and compare when each stops.");
            break;
        }
    } else if (run.hasRun) {
        note = stoppedText(run);
    } else {
        switch (mode) {
        case WaitMode::Poll:
            note = tr("Each worker will sleep for the interval, print \"Hello World!\", then "
                      "check its token, as in the article.");
            break;
        case WaitMode::Wait:
            note = tr("Each worker will wait on its token for the interval, then print "
                      "\"Hello World!\"; a cancel wakes it at once.");
            break;
        case WaitMode::Mixed:
            note = tr("Odd-numbered workers will sleep, then check their token, as in the "
                      "article; even-numbered ones will wait on it, and wake at once on a "
                      "cancel.");
            break;
        }
    }
    m_note->setText(note);

    if (!run.hasRun) {
        m_tree->setText(tr("Each worker gets a child of the run's token: canceling the run's token "
                           "cancels them all, canceling a child stops one worker."));
        return;
    }
    const QString alone = run.canceledAlone == 0
            ? QString()
            : tr("; %1 canceled alone")
                      .arg(run.canceledAlone == 1 ? tr("1 of them")
                                                  : tr("%1 of them").arg(run.canceledAlone));
    m_tree->setText(
            workers == 1
                    ? tr("Tokens: the run's token and its child token, the worker's%1.").arg(alone)
                    : tr("Tokens: the run's token and its %1 child tokens, one per "
                         "worker%2.")
                              .arg(workers)
                              .arg(alone));
}

QString RunStatusPanel::stoppedText(const RunSnapshot &run)
{
    const int workers = int(run.workers.size());
    const QString all = RunText::everyWorker(workers);
    QString text;
    if (run.stoppedByRun > 0 && run.slowestStop) {
        const QString who = run.stoppedByRun == workers
                ? all
                : tr("%1 of %2").arg(run.stoppedByRun).arg(RunText::workers(workers));
        const QString within = formatDuration(*run.slowestStop);
        text = run.timedOut() ? tr("%1 stopped within %2 of the deadline").arg(who, within)
                              : tr("%1 stopped within %2 of the cancel").arg(who, within);
        text += run.slowestStopPaused > std::chrono::nanoseconds::zero()
                ? tr(", %1 of it paused.").arg(formatDuration(run.slowestStopPaused))
                : tr(".");
    } else {
        text = tr("%1 stopped.").arg(all);
    }
    if (run.canceledAlone > 0)
        text += QLatin1Char(' ')
                + (run.canceledAlone == 1
                           ? tr("1 worker was canceled alone.")
                           : tr("%1 workers were canceled alone.").arg(run.canceledAlone));
    for (std::size_t i = 0; i < run.workers.size(); ++i) {
        const WorkerSnapshot &worker = run.workers[i];
        if (worker.ignoredCancellation() && worker.stopLatency)
            text += QLatin1Char(' ')
                    + tr("Worker %1 ignored its token and ran %2 more.")
                              .arg(i + 1)
                              .arg(formatDuration(*worker.stopLatency));
        else if (worker.ignoresToken && !worker.isAlive())
            text += QLatin1Char(' ')
                    + tr("Worker %1 ignores its token and ended on its own.").arg(i + 1);
    }
    return text;
}

} // namespace Demo
