// SPDX-License-Identifier: MIT
#include "explanationpanel.h"

#include "livelabel.h"
#include "runtext.h"

#include "core/durationparser.h"

#include <QtCore/QLocale>
#include <QtWidgets/QLabel>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

namespace Demo {

namespace {

QString are(int count)
{
    return count == 1 ? ExplanationPanel::tr("is") : ExplanationPanel::tr("are");
}

// "0.3 s": the age of a cancel, to a tenth of a second.
QString seconds(std::chrono::nanoseconds duration)
{
    return ExplanationPanel::tr("%1 s").arg(
            QLocale::c().toString(std::chrono::duration<double>(duration).count(), 'f', 1));
}

} // namespace

ExplanationPanel::ExplanationPanel(QWidget *parent)
    : QWidget(parent), m_toggle(new QToolButton), m_text(new QLabel)
{
    m_toggle->setText(tr("What is happening?"));
    m_toggle->setCheckable(true);
    m_toggle->setChecked(true);
    m_toggle->setArrowType(Qt::DownArrow);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setAutoRaise(true);
    m_toggle->setAccessibleName(tr("What is happening?"));
    m_toggle->setToolTip(tr("Show or hide a plain-words explanation of the run's state"));
    reserveLines(m_text, 4);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setAccessibleName(tr("What is happening"));
    m_text->setToolTip(tr("The run's state in a sentence or two, updated live"));
    connect(m_toggle, &QToolButton::toggled, this, &ExplanationPanel::setExpanded);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_toggle);
    layout->addWidget(m_text);
    setAccessibleName(tr("Explanation panel"));
    setToolTip(m_text->toolTip());
    setSnapshot(RunSnapshot());
}

void ExplanationPanel::setSnapshot(const RunSnapshot &snapshot)
{
    const QString text = explain(snapshot);
    if (m_text->text() != text)
        m_text->setText(text);
}

QString ExplanationPanel::text() const
{
    return m_text->text();
}

bool ExplanationPanel::isExpanded() const
{
    return m_toggle->isChecked();
}

void ExplanationPanel::setExpanded(bool expanded)
{
    m_toggle->setChecked(expanded);
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_text->setVisible(expanded);
}

QString ExplanationPanel::explain(const RunSnapshot &s)
{
    // In a Mixed run, the workers yet to notice a cancel are the polling ones.
    const bool poll = s.config.mode != WaitMode::Wait;
    const int count = int(s.workers.size());
    if (!s.hasRun)
        return tr("Nothing is running. Start gives each worker a child of one token; canceling "
                  "that token stops them all.");

    const std::optional<std::chrono::nanoseconds> sinceCancel = s.sinceCancel();
    if (s.running && !sinceCancel) {
        const QString interval = DurationParser::format(s.config.interval);
        QString text;
        switch (s.config.mode) {
        case WaitMode::Poll:
            text = tr("Running %1 in poll mode: each sleeps %2, prints, then checks its token.")
                           .arg(RunText::workers(count), interval);
            break;
        case WaitMode::Wait:
            text = tr("Running %1 in wait mode: each waits on its token for %2, then prints.")
                           .arg(RunText::workers(count), interval);
            break;
        case WaitMode::Mixed:
            text = tr("Running %1 side by side: the odd-numbered ones sleep %2, print, then "
                      "check their token; the even-numbered ones wait on it for %2.")
                           .arg(RunText::workers(count), interval);
            break;
        }
        if (s.canceledAlone > 0)
            text += QLatin1Char(' ')
                    + tr("%1 canceled alone; the others keep running.")
                              .arg(RunText::workers(s.canceledAlone));
        if (s.paused)
            text += QLatin1Char(' ')
                    + tr("Paused: each holds before its next step. The tokens do not pause.");
        return text;
    }

    const QString what = s.timedOut() ? tr("Timed out") : tr("Canceled");
    if (s.running) {
        const QString ago = what + QLatin1Char(' ') + tr("%1 ago").arg(seconds(*sinceCancel));
        if (s.yetToNotice > 0 && s.paused)
            return tr("%1, and the run is paused: %2 %3 yet to notice it. Each holds before its "
                      "next step; resume (F8) or step (F10) to let them check.")
                    .arg(ago, RunText::workers(s.yetToNotice), are(s.yetToNotice));
        if (s.yetToNotice > 0 && poll && s.pausedSinceCancel > std::chrono::nanoseconds::zero())
            return tr("%1; %2 %3 still to notice it at their next check, up to %4 after the "
                      "cancel plus the %5 the run was paused.")
                    .arg(ago, RunText::workers(s.yetToNotice), are(s.yetToNotice),
                         DurationParser::format(s.config.interval), seconds(s.pausedSinceCancel));
        if (s.yetToNotice > 0 && poll)
            return tr("%1; %2 %3 still to notice it at their next check, up to %4 after the "
                      "cancel.")
                    .arg(ago, RunText::workers(s.yetToNotice), are(s.yetToNotice),
                         DurationParser::format(s.config.interval));
        if (s.yetToNotice > 0)
            return tr("%1; %2 %3 waking up: waiting on the token ends at once.")
                    .arg(ago, RunText::workers(s.yetToNotice), are(s.yetToNotice));
        if (s.ignoringAlive > 0)
            return tr("%1; %2 %3 ignoring the token and will print until done: cancellation "
                      "is cooperative.")
                    .arg(ago, RunText::workers(s.ignoringAlive), are(s.ignoringAlive));
        return tr("%1; %2 %3 leaving the loop.").arg(ago, RunText::workers(s.alive), are(s.alive));
    }

    if (s.stoppedByRun > 0 && s.slowestStop) {
        const QString who = s.stoppedByRun == count
                ? RunText::everyWorker(count)
                : tr("%1 of %2").arg(s.stoppedByRun).arg(RunText::workers(count));
        const QString from = s.timedOut() ? tr("the deadline") : tr("the cancel");
        QString why;
        switch (s.config.mode) {
        case WaitMode::Poll:
            why = tr("In poll mode each notices at its next check, up to one interval late.");
            break;
        case WaitMode::Wait:
            why = tr("Waiting on the token wakes them at once.");
            break;
        case WaitMode::Mixed:
            why = tr("The waiting ones woke at once; the polling ones noticed at their next "
                     "check, up to one interval late.");
            break;
        }
        const QString within = DurationParser::format(*s.slowestStop);
        QString text = s.slowestStopPaused > std::chrono::nanoseconds::zero()
                ? tr("%1. %2 stopped within %3 of %4, %5 of it paused. %6")
                          .arg(what, who, within, from, DurationParser::format(s.slowestStopPaused),
                               why)
                : tr("%1. %2 stopped within %3 of %4. %5").arg(what, who, within, from, why);
        if (s.canceledAlone > 0)
            text += QLatin1Char(' ')
                    + tr("%1 had been canceled alone.").arg(RunText::workers(s.canceledAlone));
        if (s.ignoredCancellation > 0)
            text += QLatin1Char(' ')
                    + tr("%1 ignored the cancel and ran to its end.")
                              .arg(RunText::workers(s.ignoredCancellation));
        return text;
    }
    if (s.canceledAlone == count)
        return tr("%1 stopped, each canceled alone.").arg(RunText::everyWorker(count));
    return tr("Every worker ended on its own or was canceled alone: the run's token stopped "
              "none of them.");
}

} // namespace Demo
