// SPDX-License-Identifier: MIT
#include "statebadge.h"

#include "core/signalnames.h"

#include <Cancellation/reason.h>

#include <QtGui/QColor>

#include <csignal>

namespace Demo {

namespace {

QColor background(StateBadge::State state)
{
    switch (state) {
    case StateBadge::State::Idle:
        return QColor(0x75, 0x75, 0x75);
    case StateBadge::State::Running:
        return QColor(0x2e, 0x7d, 0x32);
    case StateBadge::State::CanceledByUser:
        return QColor(0xe6, 0x51, 0x00);
    case StateBadge::State::TimedOut:
        return QColor(0x6a, 0x1b, 0x9a);
    case StateBadge::State::CanceledBySignal:
        return QColor(0xc6, 0x28, 0x28);
    }
    return {};
}

} // namespace

StateBadge::StateBadge(QWidget *parent) : QLabel(parent)
{
    setAlignment(Qt::AlignCenter);
    setMargin(8);
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    setFont(big);
    setAccessibleName(tr("Token state"));
    setToolTip(tr("The state of the run's cancellation token"));
    updateLook();
}

StateBadge::State StateBadge::state() const
{
    return m_state;
}

void StateBadge::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    updateLook();
}

void StateBadge::setSignalNumber(int signalNumber)
{
    if (signalNumber == m_signalNumber)
        return;
    m_signalNumber = signalNumber;
    updateLook();
}

StateBadge::State StateBadge::stateOf(const Cancellation::Reason &reason)
{
    const Cancellation::Reason root = reason.root();
    switch (root.kind()) {
    case Cancellation::Reason::Kind::None:
        return State::Running;
    case Cancellation::Reason::Kind::Timeout:
        return State::TimedOut;
    case Cancellation::Reason::Kind::SystemSignal:
        return State::CanceledBySignal;
    case Cancellation::Reason::Kind::UserRequest:
    case Cancellation::Reason::Kind::ParentCanceled:
        break;
    }
    return State::CanceledByUser;
}

QString StateBadge::stateText(State state, int signalNumber)
{
    switch (state) {
    case State::Idle:
        return tr("idle");
    case State::Running:
        return tr("running");
    case State::CanceledByUser:
        return tr("canceled by user");
    case State::TimedOut:
        return tr("timed out");
    case State::CanceledBySignal:
        return tr("canceled by %1").arg(SignalNames::name(signalNumber));
    }
    return {};
}

void StateBadge::updateLook()
{
    const QString label = stateText(m_state, m_signalNumber);
    setText(label.toUpper());
    setAccessibleDescription(label);
    const QColor color = background(m_state);
    setStyleSheet(
            QStringLiteral("QLabel { background-color: %1; color: white; border-radius: 6px; }")
                    .arg(color.name()));
}

} // namespace Demo
