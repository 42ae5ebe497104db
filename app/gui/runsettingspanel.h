// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"
#include "core/workerrunner.h"

#include <QtWidgets/QGroupBox>

#include <chrono>
#include <optional>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;
class QRadioButton;
class QSettings;
class QSpinBox;
QT_END_NAMESPACE

namespace Demo {

class DurationSpinBox;

/*!
    \class Demo::RunSettingsPanel
    \brief The "Run settings" box: what the next run will be (workers, interval, loop, timeout),
    with the buttons that start and cancel it, and a line on input that is invalid or not
    applied yet. GUI thread only.
*/
class RunSettingsPanel : public QGroupBox
{
    Q_OBJECT

public:
    // The window's ranges and defaults where they differ from the command line's (Limits).
    static constexpr int DefaultWorkers = 4;
    static constexpr std::chrono::milliseconds MaxInterval = std::chrono::seconds(10);
    static constexpr std::chrono::milliseconds DefaultTimeout = std::chrono::seconds(5);

    explicit RunSettingsPanel(QWidget *parent = nullptr);

    // The run the controls describe, with the values applied last, in real time: its interval
    // and timeout are multiplied by the slow-motion factor (RunConfig::slowdown).
    RunConfig config() const;
    // Applies text still being edited, as Return would; returns false, and applies nothing,
    // if a field the run needs holds no valid duration.
    bool commit();
    // Why a field's text is not valid ("the interval \"abc\" is not a duration"); empty if
    // every field is valid.
    QString inputProblems() const;
    // The timeout switched on, and its applied value in real time (as config()'s).
    bool isTimeoutEnabled() const;
    std::chrono::nanoseconds timeout() const;
    // Slow motion: 1 at full speed, 10 at 0.1x.
    int slowdown() const;
    void setSlowdown(int slowdown);
    // The speeds offered, as slowdown factors: 1, 2, 4, 10.
    static QList<int> slowdowns();

    // What a run reads at start is fixed while it runs; the timeout can change at any time.
    void setRunActive(bool active);
    // Shows the problems, or what is typed and not applied yet; \a armed is the timeout armed
    // on the running run, if any.
    void showInputState(bool running, std::optional<std::chrono::nanoseconds> armed);
    // Puts \a buttons in a row under the settings.
    void addButtonRow(const QList<QPushButton *> &buttons);

    void loadSettings(const QSettings &settings);
    void saveSettings(QSettings &settings) const;
    // The command line's options over the settings; out-of-range ones are clamped, with a
    // warning on stderr.
    void applyOptions(const DemoOptions &options);
    // A whole run, as the tour sets one up: as applyOptions(), but no timeout switches the
    // timeout off, no ignoring worker clears that box, and the speed is 1×, at which the
    // tour's texts give their times.
    void applyRun(const DemoOptions &options);

Q_SIGNALS:
    // The timeout was switched on or off, or a new value applied.
    void timeoutChanged();
    // Something the window shows may have changed: the loop, the timeout style, a field's text.
    void edited();

private:
    void updateStyleEnabled();

    bool m_runActive = false;
    QSpinBox *m_workers;
    DurationSpinBox *m_interval;
    QComboBox *m_speed;
    QRadioButton *m_pollMode;
    QRadioButton *m_waitMode;
    QRadioButton *m_mixedMode;
    QCheckBox *m_ignoring;
    QCheckBox *m_timeoutEnabled;
    DurationSpinBox *m_timeout;
    QRadioButton *m_timerStyle;
    QRadioButton *m_deadlineStyle;
    QLabel *m_inputState;
    QFormLayout *m_form;
};

} // namespace Demo
