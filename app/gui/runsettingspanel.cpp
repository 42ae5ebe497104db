// SPDX-License-Identifier: MIT
#include "runsettingspanel.h"

#include "durationspinbox.h"
#include "runtext.h"
#include "widgetnames.h"

#include "core/durationparser.h"

#include <QtCore/QSettings>
#include <QtWidgets/QButtonGroup>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QRadioButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QVBoxLayout>

#include <cstdio>

namespace Demo {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

namespace {

// Settings keys.
constexpr auto WorkersKey = "run/workers";
constexpr auto IntervalKey = "run/intervalNs";
constexpr auto ModeKey = "run/mode";
constexpr auto TimeoutEnabledKey = "run/timeoutEnabled";
constexpr auto TimeoutKey = "run/timeoutNs";
constexpr auto TimeoutStyleKey = "run/timeoutStyle";
constexpr auto SlowdownKey = "run/slowdown";

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

void warn(const QString &message)
{
    std::fprintf(stderr, "cancellation-demo: %s\n", qPrintable(message));
}

} // namespace

RunSettingsPanel::RunSettingsPanel(QWidget *parent)
    : QGroupBox(tr("Run settings"), parent),
      m_workers(new QSpinBox),
      m_interval(new DurationSpinBox),
      m_speed(new QComboBox),
      m_pollMode(new QRadioButton(tr("Sleep, then check"))),
      m_waitMode(new QRadioButton(tr("Wait on the token"))),
      m_mixedMode(new QRadioButton(tr("Both, side by side"))),
      m_ignoring(new QCheckBox(tr("Worker 1 ignores its token"))),
      m_timeoutEnabled(new QCheckBox(tr("Cancel after"))),
      m_timeout(new DurationSpinBox),
      m_timerStyle(new QRadioButton(tr("A timer fires"))),
      m_deadlineStyle(new QRadioButton(tr("A worker's check"))),
      m_inputState(new QLabel),
      m_form(new QFormLayout(this))
{
    m_workers->setRange(Limits::MinWorkers, Limits::MaxWorkers);
    m_workers->setValue(DefaultWorkers);
    setNames(m_workers, tr("Workers"),
             tr("How many worker threads to start, %1 to %2. Each runs on its own child token.")
                     .arg(Limits::MinWorkers)
                     .arg(Limits::MaxWorkers));

    m_interval->setDurationRange(Limits::MinInterval, MaxInterval);
    m_interval->setDuration(Limits::DefaultInterval);
    setNames(m_interval, tr("Interval"),
             tr("How often each worker prints, 1 ms to 10 s: for example 250ms, 1.5s, 2s"));

    for (const int slowdown : slowdowns())
        m_speed->addItem(RunText::speed(slowdown), slowdown);
    setNames(m_speed, tr("Speed"),
             tr("Slow motion: at 0.1× the workers really sleep ten times the interval and the "
                "timeout lasts ten times as long, so a check racing a cancel can be watched. "
                "Every figure shown is real time."));

    setNames(m_pollMode, tr("Sleep, then check"),
             tr("The article's loop: sleep for the interval, then check the token. "
                "A cancel is noticed up to one interval late."));
    setNames(m_waitMode, tr("Wait on the token"),
             tr("Wait on the token for the interval: a cancel wakes the worker at once."));
    setNames(m_mixedMode, tr("Both, side by side"),
             tr("Odd-numbered workers sleep, then check; even-numbered ones wait on the token. "
                "Canceled together, they show on one timeline which loop notices first."));
    auto *modeGroup = new QButtonGroup(this);
    modeGroup->addButton(m_pollMode);
    modeGroup->addButton(m_waitMode);
    modeGroup->addButton(m_mixedMode);
    (Limits::DefaultMode == WaitMode::Poll ? m_pollMode : m_waitMode)->setChecked(true);

    setNames(m_ignoring, tr("Worker 1 ignores its token"),
             tr("Worker 1 never looks at its token: it prints %1 lines and ends on its own, "
                "canceled or not. Cancellation is cooperative: code must be written with the "
                "token in mind.")
                     .arg(RunConfig::DefaultIgnoredLineLimit));

    setNames(m_timeoutEnabled, tr("Timeout enabled"),
             tr("Give the run's token a timeout. Switching it off during a run disarms it."));
    m_timeout->setDurationRange(Limits::MinTimeout, Limits::MaxTimeout);
    m_timeout->setDuration(DefaultTimeout);
    m_timeout->setEnabled(false);
    setNames(m_timeout, tr("Timeout"),
             tr("The timeout, 0 ms to 24 h: for example 500ms, 5s, 1m30s. Changing it during a "
                "run re-arms it from now, as .NET's CancelAfter does."));

    setNames(m_timerStyle, tr("Timer-driven timeout"),
             tr("A timer thread cancels the token at the deadline, even if no worker checks it."));
    setNames(m_deadlineStyle, tr("Deadline checked on poll"),
             tr("The article's timeout_time: the token is canceled by the first check at or "
                "after the deadline. Nothing fires on its own."));
    auto *styleGroup = new QButtonGroup(this);
    styleGroup->addButton(m_timerStyle);
    styleGroup->addButton(m_deadlineStyle);
    (Limits::DefaultTimeoutStyle == TimeoutStyle::Timer ? m_timerStyle : m_deadlineStyle)
            ->setChecked(true);

    m_inputState->setWordWrap(true);
    m_inputState->setVisible(false);
    setNames(m_inputState, tr("Input state"),
             tr("Input that is not valid, or typed and not applied yet"));

    m_form->addRow(tr("&Workers:"), m_workers);
    auto *intervalRow = new QHBoxLayout;
    intervalRow->addWidget(m_interval, 1);
    intervalRow->addWidget(m_speed);
    m_form->addRow(tr("&Interval:"), intervalRow);
    auto *modeColumn = new QVBoxLayout;
    modeColumn->addWidget(m_pollMode);
    modeColumn->addWidget(m_waitMode);
    modeColumn->addWidget(m_mixedMode);
    m_form->addRow(tr("Loop:"), modeColumn);
    m_form->addRow(QString(), m_ignoring);
    auto *timeoutRow = new QHBoxLayout;
    timeoutRow->addWidget(m_timeoutEnabled);
    timeoutRow->addWidget(m_timeout, 1);
    m_form->addRow(tr("&Timeout:"), timeoutRow);
    auto *styleColumn = new QVBoxLayout;
    styleColumn->addWidget(m_timerStyle);
    styleColumn->addWidget(m_deadlineStyle);
    m_form->addRow(tr("Noticed by:"), styleColumn);
    m_form->addRow(m_inputState);
    // The buddies make the &-mnemonics of the labels focus their fields.
    if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(timeoutRow)))
        label->setBuddy(m_timeout);
    if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(intervalRow)))
        label->setBuddy(m_interval);

    connect(m_timeoutEnabled, &QCheckBox::toggled, this, [this](bool enabled) {
        m_timeout->setEnabled(enabled);
        updateStyleEnabled();
        Q_EMIT timeoutChanged();
    });
    connect(m_timeout, &DurationSpinBox::durationChanged, this, &RunSettingsPanel::timeoutChanged);
    connect(m_interval, &DurationSpinBox::editStateChanged, this, &RunSettingsPanel::edited);
    connect(m_timeout, &DurationSpinBox::editStateChanged, this, &RunSettingsPanel::edited);
    connect(m_workers, &QSpinBox::valueChanged, this, &RunSettingsPanel::edited);
    connect(m_ignoring, &QCheckBox::toggled, this, &RunSettingsPanel::edited);
    connect(m_pollMode, &QRadioButton::toggled, this, &RunSettingsPanel::edited);
    connect(m_mixedMode, &QRadioButton::toggled, this, &RunSettingsPanel::edited);
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] {
        // A scaled timeout stays within what a run accepts.
        m_timeout->setDurationRange(Limits::MinTimeout, Limits::MaxTimeout / slowdown());
        Q_EMIT edited();
    });
    connect(m_deadlineStyle, &QRadioButton::toggled, this, &RunSettingsPanel::edited);
    updateStyleEnabled();
}

RunConfig RunSettingsPanel::config() const
{
    RunConfig config;
    config.workers = m_workers->value();
    config.slowdown = slowdown();
    config.interval = m_interval->duration() * config.slowdown;
    config.mode = m_pollMode->isChecked() ? WaitMode::Poll
            : m_mixedMode->isChecked()    ? WaitMode::Mixed
                                          : WaitMode::Wait;
    if (m_timeoutEnabled->isChecked())
        config.timeout = timeout();
    config.timeoutStyle =
            m_deadlineStyle->isChecked() ? TimeoutStyle::Deadline : TimeoutStyle::Timer;
    config.ignoringWorkers = m_ignoring->isChecked() ? 1 : 0;
    return config;
}

bool RunSettingsPanel::commit()
{
    m_workers->interpretText();
    const bool intervalValid = m_interval->commit();
    const bool timeoutValid = !m_timeoutEnabled->isChecked() || m_timeout->commit();
    return intervalValid && timeoutValid;
}

QString RunSettingsPanel::inputProblems() const
{
    QStringList problems;
    const auto check = [&](const DurationSpinBox *box, const QString &name) {
        if (box->isEnabled() && !box->problem().isEmpty())
            problems << tr("%1 \"%2\" is %3").arg(name, box->text(), box->problem());
    };
    check(m_interval, tr("the interval"));
    check(m_timeout, tr("the timeout"));
    return problems.join(QLatin1String("; "));
}

bool RunSettingsPanel::isTimeoutEnabled() const
{
    return m_timeoutEnabled->isChecked();
}

nanoseconds RunSettingsPanel::timeout() const
{
    return m_timeout->duration() * slowdown();
}

int RunSettingsPanel::slowdown() const
{
    return m_speed->currentData().toInt();
}

void RunSettingsPanel::setSlowdown(int slowdown)
{
    const int index = m_speed->findData(slowdown);
    if (index < 0) {
        warn(tr("slow motion %1: the window offers 1, 2, 4 or 10; keeping %2")
                     .arg(slowdown)
                     .arg(this->slowdown()));
        return;
    }
    m_speed->setCurrentIndex(index);
}

QList<int> RunSettingsPanel::slowdowns()
{
    return { 1, 2, 4, 10 };
}

void RunSettingsPanel::setRunActive(bool active)
{
    for (QWidget *field : std::initializer_list<QWidget *> {
                 m_workers, m_interval, m_speed, m_pollMode, m_waitMode, m_mixedMode, m_ignoring })
        field->setEnabled(!active);
    m_runActive = active;
    updateStyleEnabled();
}

void RunSettingsPanel::updateStyleEnabled()
{
    // How a timeout is noticed means nothing without one.
    const bool enabled = !m_runActive && m_timeoutEnabled->isChecked();
    m_timerStyle->setEnabled(enabled);
    m_deadlineStyle->setEnabled(enabled);
}

void RunSettingsPanel::showInputState(bool running, std::optional<nanoseconds> armed)
{
    QString text = inputProblems();
    if (!text.isEmpty()) {
        text[0] = text[0].toUpper();
        text += QLatin1Char('.');
    } else if (m_timeout->isEnabled() && m_timeout->isPending()) {
        // Typed but not applied: say what is armed and what Return would arm.
        const QString typed = m_timeout->text().trimmed();
        const QString armedText = armed ? tr("%1 is armed").arg(DurationParser::format(*armed))
                                        : tr("no timeout is armed");
        text = running ? tr("Timeout %1 typed, not armed yet: press Return to arm it from now "
                            "(%2).")
                                 .arg(typed, armedText)
                       : tr("Timeout %1 typed: Return or Start applies it.").arg(typed);
    } else if (m_interval->isEnabled() && m_interval->isPending()) {
        text = tr("Interval %1 typed: Return or Start applies it.")
                       .arg(m_interval->text().trimmed());
    }
    m_inputState->setText(text);
    m_inputState->setVisible(!text.isEmpty());
}

void RunSettingsPanel::addButtonRow(const QList<QPushButton *> &buttons)
{
    auto *row = new QHBoxLayout;
    for (QPushButton *button : buttons)
        row->addWidget(button);
    m_form->insertRow(m_form->rowCount() - 1, row); // above the input state line
}

void RunSettingsPanel::loadSettings(const QSettings &settings)
{
    m_workers->setValue(settings.value(key(WorkersKey), DefaultWorkers).toInt());
    m_interval->setDuration(nanoseconds(
            settings.value(key(IntervalKey), qint64(nanoseconds(1s).count())).toLongLong()));
    const QString mode = settings.value(key(ModeKey)).toString();
    if (mode == QLatin1String("poll"))
        m_pollMode->setChecked(true);
    else if (mode == QLatin1String("wait"))
        m_waitMode->setChecked(true);
    else if (mode == QLatin1String("mixed"))
        m_mixedMode->setChecked(true);
    if (const int index = m_speed->findData(settings.value(key(SlowdownKey), 1).toInt());
        index >= 0)
        m_speed->setCurrentIndex(index);
    m_timeoutEnabled->setChecked(settings.value(key(TimeoutEnabledKey), false).toBool());
    m_timeout->setDuration(
            nanoseconds(settings.value(key(TimeoutKey), qint64(nanoseconds(DefaultTimeout).count()))
                                .toLongLong()));
    const QString timeoutStyle = settings.value(key(TimeoutStyleKey)).toString();
    if (timeoutStyle == QLatin1String("timer"))
        m_timerStyle->setChecked(true);
    else if (timeoutStyle == QLatin1String("deadline"))
        m_deadlineStyle->setChecked(true);
}

void RunSettingsPanel::saveSettings(QSettings &settings) const
{
    settings.setValue(key(WorkersKey), m_workers->value());
    settings.setValue(key(IntervalKey), qint64(m_interval->duration().count()));
    settings.setValue(key(ModeKey), toString(config().mode));
    settings.setValue(key(SlowdownKey), slowdown());
    settings.setValue(key(TimeoutEnabledKey), m_timeoutEnabled->isChecked());
    settings.setValue(key(TimeoutKey), qint64(m_timeout->duration().count()));
    settings.setValue(key(TimeoutStyleKey),
                      m_deadlineStyle->isChecked() ? QStringLiteral("deadline")
                                                   : QStringLiteral("timer"));
}

void RunSettingsPanel::applyRun(const DemoOptions &options)
{
    applyOptions(options);
    m_timeoutEnabled->setChecked(options.timeout.has_value());
    m_ignoring->setChecked(options.ignoringWorkers.value_or(0) > 0);
    setSlowdown(1);
}

void RunSettingsPanel::applyOptions(const DemoOptions &options)
{
    if (options.workers)
        m_workers->setValue(*options.workers);
    if (options.interval) {
        if (*options.interval > MaxInterval)
            warn(tr("--interval %1 is longer than the window allows; using %2")
                         .arg(DurationParser::format(*options.interval),
                              DurationParser::format(MaxInterval)));
        m_interval->setDuration(*options.interval);
    }
    if (options.mode) {
        switch (*options.mode) {
        case WaitMode::Poll:
            m_pollMode->setChecked(true);
            break;
        case WaitMode::Wait:
            m_waitMode->setChecked(true);
            break;
        case WaitMode::Mixed:
            m_mixedMode->setChecked(true);
            break;
        }
    }
    if (options.timeout) {
        m_timeoutEnabled->setChecked(true);
        m_timeout->setDuration(*options.timeout);
    }
    if (options.timeoutStyle)
        (*options.timeoutStyle == TimeoutStyle::Timer ? m_timerStyle : m_deadlineStyle)
                ->setChecked(true);
    if (options.ignoringWorkers) {
        if (*options.ignoringWorkers > 1)
            warn(tr("--ignoring-workers %1: the window lets worker 1 alone ignore its token; "
                    "using 1")
                         .arg(*options.ignoringWorkers));
        m_ignoring->setChecked(*options.ignoringWorkers > 0);
    }
}

} // namespace Demo
