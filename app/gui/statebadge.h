// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QLabel>

namespace Cancellation {
class Reason;
}

namespace Demo {

// The run token's state in large type on a coloured pill, readable in light and dark palettes.
class StateBadge : public QLabel
{
    Q_OBJECT

public:
    enum class State { Idle, Running, CanceledByUser, TimedOut, CanceledBySignal };
    Q_ENUM(State)

    explicit StateBadge(QWidget *parent = nullptr);

    State state() const;
    void setState(State state);

    // The state a canceled token's reason stands for; Running for a Reason of kind None.
    static State stateOf(const Cancellation::Reason &reason);
    // "idle", "running", "canceled by user", "timed out", "canceled by SIGINT" (the signal's name).
    static QString stateText(State state, int signalNumber);
    void setSignalNumber(int signalNumber);

private:
    void updateLook();

    State m_state = State::Idle;
    int m_signalNumber = 0;
};

} // namespace Demo
