// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "durationspinbox.h"
#include "explanationpanel.h"
#include "logview.h"
#include "loopcodepanel.h"
#include "statebadge.h"
#include "timelinewidget.h"
#include "tokentreemodel.h"
#include "tokentreeview.h"
#include "workertablemodel.h"

#include "core/durationparser.h"

#include <Cancellation/reason.h>
#include <Cancellation/signalcanceler.h>
#include <Cancellation/source.h>

#include <QtCore/QLocale>
#include <QtCore/QSettings>
#include <QtCore/QTime>
#include <QtGui/QCloseEvent>
#include <QtGui/QFontDatabase>
#include <QtWidgets/QApplication>
#include <QtWidgets/QButtonGroup>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QRadioButton>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QStyle>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>
#include <csignal>
#include <cstdio>

namespace Demo {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

namespace {

// Settings keys.
constexpr auto WorkersKey = "run/workers";
constexpr auto IntervalKey = "run/intervalNs";
constexpr auto ModeKey = "run/mode";
constexpr auto TimeoutEnabledKey = "run/timeoutEnabled";
constexpr auto TimeoutKey = "run/timeoutNs";
constexpr auto TimeoutStyleKey = "run/timeoutStyle";
constexpr auto GeometryKey = "window/geometry";
constexpr auto SplitterKey = "window/splitter";

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

QString formatDuration(nanoseconds duration)
{
    return DurationParser::format(duration);
}

void warn(const QString &message)
{
    std::fprintf(stderr, "cancellation-demo: %s\n", qPrintable(message));
}

// The line sink: runs on the worker threads. One fwrite per line keeps lines whole, as stdio
// locks the stream per call.
void printLine(int, QStringView line)
{
    QByteArray utf8 = line.toUtf8();
    utf8.append('\n');
    std::fwrite(utf8.constData(), 1, std::size_t(utf8.size()), stdout);
}

void setNames(QWidget *widget, const QString &accessibleName, const QString &toolTip)
{
    widget->setAccessibleName(accessibleName);
    widget->setToolTip(toolTip);
}

QString modeText(WaitMode mode)
{
    return mode == WaitMode::Poll ? MainWindow::tr("sleep, then check")
                                  : MainWindow::tr("wait on the token");
}

QString workersText(int count)
{
    return count == 1 ? MainWindow::tr("1 worker") : MainWindow::tr("%1 workers").arg(count);
}

QString wallClockText(std::chrono::steady_clock::time_point time,
                      std::chrono::steady_clock::time_point steadyNow, const QTime &wallNow)
{
    const auto age = std::chrono::duration_cast<milliseconds>(steadyNow - time);
    return wallNow.addMSecs(-int(age.count())).toString(QStringLiteral("HH:mm:ss.zzz"));
}

} // namespace

MainWindow::MainWindow(const DemoOptions &options, QWidget *parent)
    : QMainWindow(parent),
      m_runner(new WorkerRunner(this)),
      m_model(new WorkerTableModel(this)),
      m_signalCanceler(new Cancellation::SignalCanceler(this)),
      m_quiet(options.quiet)
{
    setWindowTitle(tr("Cancellation token demo"));
    createActions();
    createWidgets();
    loadSettings();
    applyOptions(options);

    m_runner->setRecordEvents(true);
    if (!m_quiet)
        m_runner->setLineSink(printLine);
    connect(m_runner, &WorkerRunner::finished, this, &MainWindow::onFinished);
    connect(m_signalCanceler, &Cancellation::SignalCanceler::signalReceived, this,
            &MainWindow::onSignalReceived);

    m_refreshTimer.setInterval(RefreshPeriod);
    m_refreshTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_refreshTimer, &QTimer::timeout, this, &MainWindow::refresh);

    updateStatus();
    if (options.start)
        QTimer::singleShot(0, this, &MainWindow::start);
}

MainWindow::~MainWindow()
{
    // Normally closeEvent() has waited for the run. If the window is destroyed without being
    // closed, stop and join the workers now, while everything they report to still exists.
    m_refreshTimer.stop();
    // ~QWidget destroys the children after this: a field losing the focus, or the table's
    // selection going with its model, must not call back into a window already destroyed.
    const QList<QObject *> children = findChildren<QObject *>();
    for (const QObject *child : children)
        disconnect(child, nullptr, this, nullptr);
    delete m_runner;
}

WorkerRunner *MainWindow::runner() const
{
    return m_runner;
}

void MainWindow::createActions()
{
    m_startAction = new QAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Start"), this);
    m_startAction->setShortcuts(
            { QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter) });
    m_startAction->setToolTip(tr("Start the workers with these settings (Ctrl+Return)"));
    connect(m_startAction, &QAction::triggered, this, &MainWindow::start);

    m_cancelAllAction =
            new QAction(style()->standardIcon(QStyle::SP_MediaStop), tr("&Cancel all"), this);
    m_cancelAllAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAllAction->setToolTip(
            tr("Cancel the run's token: every worker's token is its child, so all stop (Esc)"));
    connect(m_cancelAllAction, &QAction::triggered, this, &MainWindow::cancelAll);

    m_cancelWorkerAction = new QAction(tr("Cancel selected &worker"), this);
    m_cancelWorkerAction->setShortcut(QKeySequence(Qt::Key_Delete));
    m_cancelWorkerAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_cancelWorkerAction->setToolTip(
            tr("Cancel only the selected worker's own token; the others keep running (Delete in "
               "the table)"));
    connect(m_cancelWorkerAction, &QAction::triggered, this, &MainWindow::cancelSelectedWorker);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setMenuRole(QAction::QuitRole);
    m_quitAction->setToolTip(tr("Cancel any run, wait for its workers, and quit (Ctrl+Q)"));
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    QMenu *runMenu = menuBar()->addMenu(tr("&Run"));
    runMenu->addAction(m_startAction);
    runMenu->addAction(m_cancelAllAction);
    runMenu->addAction(m_cancelWorkerAction);
    runMenu->addSeparator();
    runMenu->addAction(m_quitAction);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(tr("&About"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(
                this, tr("About the cancellation token demo"),
                tr("<p><b>cancellation-demo</b> %1</p>"
                   "<p>Workers print \"Hello World!\" until their cancellation token is "
                   "canceled: by you, by a timeout, or by Ctrl+C in the terminal. Each worker "
                   "runs on a child of the run's token.</p>")
                        .arg(QCoreApplication::applicationVersion()));
    });
    // The actions' shortcuts work everywhere in the window, menus or not.
    addActions({ m_startAction, m_cancelAllAction, m_quitAction });
}

void MainWindow::createWidgets()
{
    // Run settings.
    m_workers = new QSpinBox;
    m_workers->setRange(Limits::MinWorkers, Limits::MaxWorkers);
    m_workers->setValue(DefaultWorkers);
    setNames(m_workers, tr("Workers"),
             tr("How many worker threads to start, %1 to %2. Each runs on its own child token.")
                     .arg(Limits::MinWorkers)
                     .arg(Limits::MaxWorkers));

    m_interval = new DurationSpinBox;
    m_interval->setDurationRange(Limits::MinInterval, MaxInterval);
    m_interval->setDuration(Limits::DefaultInterval);
    setNames(m_interval, tr("Interval"),
             tr("How often each worker prints, 1 ms to 10 s: for example 250ms, 1.5s, 2s"));

    m_pollMode = new QRadioButton(tr("Sleep, then check (as in the article)"));
    setNames(m_pollMode, tr("Sleep, then check"),
             tr("The article's loop: sleep for the interval, then check the token. "
                "A cancel is noticed up to one interval late."));
    m_waitMode = new QRadioButton(tr("Wait on the token (wakes at once)"));
    setNames(m_waitMode, tr("Wait on the token"),
             tr("Wait on the token for the interval: a cancel wakes the worker at once."));
    auto *modeGroup = new QButtonGroup(this);
    modeGroup->addButton(m_pollMode);
    modeGroup->addButton(m_waitMode);
    (Limits::DefaultMode == WaitMode::Poll ? m_pollMode : m_waitMode)->setChecked(true);

    m_timeoutEnabled = new QCheckBox(tr("Cancel after"));
    setNames(m_timeoutEnabled, tr("Timeout enabled"),
             tr("Give the run's token a timeout. Switching it off during a run disarms it."));
    m_timeout = new DurationSpinBox;
    m_timeout->setDurationRange(Limits::MinTimeout, Limits::MaxTimeout);
    m_timeout->setDuration(DefaultTimeout);
    m_timeout->setEnabled(false);
    setNames(m_timeout, tr("Timeout"),
             tr("The timeout, 0 ms to 24 h: for example 500ms, 5s, 1m30s. Changing it during a "
                "run re-arms it from now, as .NET's CancelAfter does."));

    m_timerStyle = new QRadioButton(tr("A timer cancels at the deadline"));
    setNames(m_timerStyle, tr("Timer-driven timeout"),
             tr("A timer thread cancels the token at the deadline, even if no worker checks it."));
    m_deadlineStyle = new QRadioButton(tr("Deadline checked when a worker polls"));
    setNames(m_deadlineStyle, tr("Deadline checked on poll"),
             tr("The article's timeout_time: the token is canceled by the first check at or "
                "after the deadline. Nothing fires on its own."));
    auto *styleGroup = new QButtonGroup(this);
    styleGroup->addButton(m_timerStyle);
    styleGroup->addButton(m_deadlineStyle);
    (Limits::DefaultTimeoutStyle == TimeoutStyle::Timer ? m_timerStyle : m_deadlineStyle)
            ->setChecked(true);

    m_ignoring = new QCheckBox(tr("Worker 1 ignores its token"));
    setNames(m_ignoring, tr("Worker 1 ignores its token"),
             tr("Worker 1 never looks at its token: it prints %1 lines and ends on its own, "
                "canceled or not. Cancellation is cooperative: code must be written with the "
                "token in mind.")
                     .arg(RunConfig::DefaultIgnoredLineLimit));

    m_startButton = new QPushButton(m_startAction->icon(), tr("Start"));
    setNames(m_startButton, tr("Start"), m_startAction->toolTip());
    m_startButton->setDefault(true);
    connect(m_startButton, &QPushButton::clicked, m_startAction, &QAction::trigger);
    m_cancelAllButton = new QPushButton(m_cancelAllAction->icon(), tr("Cancel all"));
    setNames(m_cancelAllButton, tr("Cancel all"), m_cancelAllAction->toolTip());
    connect(m_cancelAllButton, &QPushButton::clicked, m_cancelAllAction, &QAction::trigger);
    m_cancelWorkerButton = new QPushButton(tr("Cancel selected worker"));
    setNames(m_cancelWorkerButton, tr("Cancel selected worker"), m_cancelWorkerAction->toolTip());
    connect(m_cancelWorkerButton, &QPushButton::clicked, m_cancelWorkerAction, &QAction::trigger);

    auto *settingsBox = new QGroupBox(tr("Run settings"));
    auto *form = new QFormLayout(settingsBox);
    form->addRow(tr("&Workers:"), m_workers);
    form->addRow(tr("&Interval:"), m_interval);
    auto *modeColumn = new QVBoxLayout;
    modeColumn->addWidget(m_pollMode);
    modeColumn->addWidget(m_waitMode);
    form->addRow(tr("Each worker:"), modeColumn);
    form->addRow(QString(), m_ignoring);
    auto *timeoutRow = new QHBoxLayout;
    timeoutRow->addWidget(m_timeoutEnabled);
    timeoutRow->addWidget(m_timeout, 1);
    form->addRow(tr("&Timeout:"), timeoutRow);
    auto *styleColumn = new QVBoxLayout;
    styleColumn->addWidget(m_timerStyle);
    styleColumn->addWidget(m_deadlineStyle);
    form->addRow(tr("Timeout style:"), styleColumn);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_startButton);
    buttonRow->addWidget(m_cancelAllButton);
    buttonRow->addWidget(m_cancelWorkerButton);
    form->addRow(buttonRow);
    m_inputState = new QLabel;
    m_inputState->setWordWrap(true);
    m_inputState->setVisible(false);
    setNames(m_inputState, tr("Input state"),
             tr("Input that is not valid, or typed and not applied yet"));
    form->addRow(m_inputState);
    // The buddies make the &-mnemonics of the labels focus their fields.
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(timeoutRow)))
        label->setBuddy(m_timeout);

    // The run's token.
    m_state = new StateBadge;
    m_state->setMinimumHeight(m_state->sizeHint().height() + 12);
    m_reason = new QLabel;
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    setNames(m_reason, tr("Reason"), tr("Why the token was canceled, as Reason::toString() says"));
    m_countdown = new QProgressBar;
    m_countdown->setRange(0, 1000);
    m_countdown->setTextVisible(false);
    setNames(m_countdown, tr("Countdown"), tr("Time left until the timeout cancels the token"));
    m_countdownText = new QLabel;
    m_countdownText->setMinimumWidth(
            fontMetrics().horizontalAdvance(QStringLiteral("0000 ms left of 00 min 00 s")));
    m_countdownText->setWordWrap(true); // "deadline reached; a worker's check noticed it …"
    setNames(m_countdownText, tr("Time left"), m_countdown->toolTip());
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    setNames(m_summary, tr("Summary"), tr("Workers alive, lines per second and lines in total"));
    m_note = new QLabel;
    m_note->setWordWrap(true);
    QFont noteFont = m_note->font();
    noteFont.setItalic(true);
    m_note->setFont(noteFont);
    setNames(m_note, tr("Explanation"), tr("What is happening now"));
    m_tree = new QLabel;
    m_tree->setWordWrap(true);
    setNames(m_tree, tr("Token tree"), tr("How the workers' tokens hang together"));

    auto *tokenBox = new QGroupBox(tr("Run token"));
    auto *tokenColumn = new QVBoxLayout(tokenBox);
    tokenColumn->addWidget(m_state);
    tokenColumn->addWidget(m_reason);
    auto *countdownRow = new QHBoxLayout;
    countdownRow->addWidget(new QLabel(tr("Timeout:")));
    countdownRow->addWidget(m_countdown, 1);
    countdownRow->addWidget(m_countdownText);
    tokenColumn->addLayout(countdownRow);
    tokenColumn->addWidget(m_summary);
    tokenColumn->addWidget(m_note);
    tokenColumn->addWidget(m_tree);
    tokenColumn->addStretch(1);

    // Workers and their output.
    m_table = new QTableView;
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_table->setColumnWidth(WorkerTableModel::NumberColumn, digit * 7);
    m_table->setColumnWidth(
            WorkerTableModel::StateColumn,
            fontMetrics().horizontalAdvance(WorkerTableModel::tr("%1, cancel not seen yet")
                                                    .arg(WorkerTableModel::stateText(
                                                            WorkerState::Sleeping, WaitMode::Wait)))
                    + 2 * digit + fontMetrics().height());
    m_table->setColumnWidth(WorkerTableModel::LinesColumn, digit * 8);
    m_table->setAlternatingRowColors(true);
    m_table->addAction(m_cancelWorkerAction);
    setNames(m_table, tr("Workers table"),
             tr("One row per worker. Select one and press Delete to cancel it alone."));
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onSelectionChanged);

    m_log = new LogView;
    m_log->setLineLimit(LogLineLimit);
    setNames(m_log, tr("Log"),
             tr("The workers' lines, newest last. It keeps the last %1 lines; the counters "
                "count them all. Scroll up to stop following.")
                     .arg(LogLineLimit));
    m_logTitle = new QLabel;
    m_logTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setNames(m_logTitle, tr("Log status"), tr("How many of the lines the log shows"));

    auto *workersBox = new QGroupBox(tr("Workers"));
    auto *workersColumn = new QVBoxLayout(workersBox);
    m_tokenModel = new TokenTreeModel(this);
    m_tokenModel->setSignalCanceler(m_signalCanceler);
    m_tokenTree = new TokenTreeView(m_tokenModel);
    setNames(m_tokenTree, tr("Token tree view"),
             tr("SIGINT, the run's token and each worker's child token, live. Right-click a "
                "token to cancel it and its subtree."));
    connect(m_tokenTree, &TokenTreeView::tokenCanceled, this, &MainWindow::onTreeTokenCanceled);
    auto *workerTabs = new QTabWidget;
    workerTabs->addTab(m_table, tr("Workers"));
    workerTabs->setTabToolTip(0, m_table->toolTip());
    workerTabs->addTab(m_tokenTree, tr("Token tree"));
    workerTabs->setTabToolTip(1, m_tokenTree->toolTip());
    setNames(workerTabs, tr("Workers and tokens"), tr("The workers, or their tokens as a tree"));
    workersColumn->addWidget(workerTabs);
    auto *logBox = new QGroupBox(tr("Output"));
    auto *logColumn = new QVBoxLayout(logBox);
    logColumn->addWidget(m_logTitle);
    logColumn->addWidget(m_log);

    m_timelineView = new TimelineWidget(&m_timeline);
    auto *timelineScroll = new QScrollArea;
    timelineScroll->setWidget(m_timelineView);
    timelineScroll->setWidgetResizable(true);
    timelineScroll->setFrameShape(QFrame::NoFrame);
    setNames(timelineScroll, tr("Timeline area"), m_timelineView->toolTip());
    m_tabs = new QTabWidget;
    m_tabs->addTab(timelineScroll, tr("Timeline"));
    m_tabs->setTabToolTip(0,
                          tr("Each worker's lines over the last 10 s, the cancel and each "
                             "worker's stop"));
    m_tabs->addTab(logBox, tr("Output"));
    m_tabs->setTabToolTip(1, tr("The workers' lines as text"));
    setNames(m_tabs, tr("Timeline and output"), tr("The run over time, or its lines as text"));

    m_code = new LoopCodePanel;
    m_explanation = new ExplanationPanel;
    auto *codeBox = new QGroupBox(tr("The worker's loop"));
    auto *codeColumn = new QVBoxLayout(codeBox);
    codeColumn->addWidget(m_code, 1);
    codeColumn->addWidget(m_explanation);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->addWidget(workersBox);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({ 520, 580 });

    auto *top = new QHBoxLayout;
    top->addWidget(settingsBox);
    top->addWidget(tokenBox, 1);
    top->addWidget(codeBox, 1);

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->addLayout(top);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    statusBar()->addPermanentWidget(new QLabel(
            tr("Ctrl+Return: start   Esc: cancel all   Delete: cancel worker   Ctrl+Q: quit")));

    connect(m_timeoutEnabled, &QCheckBox::toggled, this, &MainWindow::onTimeoutEdited);
    connect(m_timeout, &DurationSpinBox::durationChanged, this, &MainWindow::onTimeoutEdited);
    connect(m_interval, &DurationSpinBox::editStateChanged, this, &MainWindow::updateStatus);
    connect(m_timeout, &DurationSpinBox::editStateChanged, this, &MainWindow::updateStatus);
    connect(m_pollMode, &QRadioButton::toggled, this, &MainWindow::updateStatus);
    connect(m_deadlineStyle, &QRadioButton::toggled, this, &MainWindow::updateStatus);
    connect(m_log->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &MainWindow::updateLogTitle);

    resize(1100, 720);
}

void MainWindow::loadSettings()
{
    const QSettings settings;
    m_workers->setValue(settings.value(key(WorkersKey), DefaultWorkers).toInt());
    m_interval->setDuration(nanoseconds(
            settings.value(key(IntervalKey), qint64(nanoseconds(1s).count())).toLongLong()));
    const QString mode = settings.value(key(ModeKey)).toString();
    if (mode == QLatin1String("poll"))
        m_pollMode->setChecked(true);
    else if (mode == QLatin1String("wait"))
        m_waitMode->setChecked(true);
    m_timeoutEnabled->setChecked(settings.value(key(TimeoutEnabledKey), false).toBool());
    m_timeout->setDuration(
            nanoseconds(settings.value(key(TimeoutKey), qint64(nanoseconds(DefaultTimeout).count()))
                                .toLongLong()));
    const QString timeoutStyle = settings.value(key(TimeoutStyleKey)).toString();
    if (timeoutStyle == QLatin1String("timer"))
        m_timerStyle->setChecked(true);
    else if (timeoutStyle == QLatin1String("deadline"))
        m_deadlineStyle->setChecked(true);
    restoreGeometry(settings.value(key(GeometryKey)).toByteArray());
    m_splitter->restoreState(settings.value(key(SplitterKey)).toByteArray());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(key(WorkersKey), m_workers->value());
    settings.setValue(key(IntervalKey), qint64(m_interval->duration().count()));
    settings.setValue(key(ModeKey),
                      m_pollMode->isChecked() ? QStringLiteral("poll") : QStringLiteral("wait"));
    settings.setValue(key(TimeoutEnabledKey), m_timeoutEnabled->isChecked());
    settings.setValue(key(TimeoutKey), qint64(m_timeout->duration().count()));
    settings.setValue(key(TimeoutStyleKey),
                      m_deadlineStyle->isChecked() ? QStringLiteral("deadline")
                                                   : QStringLiteral("timer"));
    settings.setValue(key(GeometryKey), saveGeometry());
    settings.setValue(key(SplitterKey), m_splitter->saveState());
}

void MainWindow::applyOptions(const DemoOptions &options)
{
    if (options.workers)
        m_workers->setValue(*options.workers);
    if (options.interval) {
        const nanoseconds interval = *options.interval;
        if (interval > MaxInterval)
            warn(tr("--interval %1 is longer than the window allows; using %2")
                         .arg(formatDuration(*options.interval), formatDuration(MaxInterval)));
        m_interval->setDuration(interval);
    }
    if (options.mode)
        (*options.mode == WaitMode::Poll ? m_pollMode : m_waitMode)->setChecked(true);
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

RunConfig MainWindow::configFromControls() const
{
    RunConfig config;
    config.workers = m_workers->value();
    config.interval = m_interval->duration();
    config.mode = m_pollMode->isChecked() ? WaitMode::Poll : WaitMode::Wait;
    if (m_timeoutEnabled->isChecked())
        config.timeout = m_timeout->duration();
    config.timeoutStyle =
            m_deadlineStyle->isChecked() ? TimeoutStyle::Deadline : TimeoutStyle::Timer;
    config.ignoringWorkers = m_ignoring->isChecked() ? 1 : 0;
    return config;
}

void MainWindow::start()
{
    if (m_runner->isRunning() || m_closeRequested)
        return;
    // Take text still being edited, as if Return had been pressed; never start with a value
    // other than the one shown.
    m_workers->interpretText();
    if (!m_interval->commit() || (m_timeoutEnabled->isChecked() && !m_timeout->commit())) {
        statusBar()->showMessage(tr("Not started: %1").arg(inputProblems()), 8000);
        return;
    }
    const RunConfig config = configFromControls();
    saveSettings();
    const auto startedAt = std::chrono::steady_clock::now();
    if (!m_runner->start(config)) {
        statusBar()->showMessage(tr("Could not start the run"), 5000);
        return;
    }
    ++m_runNumber;
    m_signalsThisRun = 0;
    m_cancelNoted = false;
    m_timeline.reset(config.workers);
    m_timeline.advanceTo(startedAt);
    m_rateSamples.clear();
    m_linesPerSecond = 0;
    m_countdownTotal.reset();
    if (config.timeout)
        m_countdownTotal = *config.timeout;

    QString timeout = tr("no timeout");
    if (config.timeout) {
        timeout = config.timeoutStyle == TimeoutStyle::Timer
                ? tr("timeout %1 (timer)").arg(formatDuration(*config.timeout))
                : tr("timeout %1 (checked on poll)").arg(formatDuration(*config.timeout));
    }
    appendNote(tr("run %1: %2, every %3, %4, %5")
                       .arg(m_runNumber)
                       .arg(workersText(config.workers), formatDuration(config.interval),
                            modeText(config.mode), timeout),
               startedAt);

    Cancellation::Source *root = m_runner->rootSource();
    connect(root, &Cancellation::Source::canceled, this, &MainWindow::onTokenCanceled);
    m_signalCanceler->setTarget(root);
    QList<Cancellation::Source *> workerSources;
    for (int i = 0; i < config.workers; ++i)
        workerSources.append(m_runner->workerSource(i));
    m_tokenModel->setSources(root, workerSources);
    // A zero timeout cancels inside start(), before the connection above.
    if (const Cancellation::Reason reason = root->reason(); reason.isCanceled())
        onTokenCanceled(reason);

    m_refreshTimer.start();
    updateStatus();
}

void MainWindow::cancelAll()
{
    if (!m_runner->isRunning())
        return;
    m_runner->cancel();
    updateStatus();
}

void MainWindow::cancelSelectedWorker()
{
    if (!m_runner->isRunning())
        return;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        if (m_runner->cancelWorker(row.row())) {
            appendNote(tr("worker %1's token canceled; the others keep running").arg(row.row() + 1),
                       std::chrono::steady_clock::now());
        }
    }
    updateStatus();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_runner->isRunning() && !m_closeRequested) {
        // Never block the GUI on the workers: cancel, and close once finished() arrives.
        m_closeRequested = true;
        m_runner->cancel();
        event->ignore();
        updateStatus();
        return;
    }
    // Asked again while the workers stop (a poll worker may sleep for seconds more): quit now,
    // and let runGui() end the process without waiting for them.
    m_runAbandoned = m_runner->isRunning();
    saveSettings();
    event->accept();
}

bool MainWindow::isRunAbandoned() const
{
    return m_runAbandoned;
}

void MainWindow::onFinished()
{
    refresh(); // the last events and counters
    m_refreshTimer.stop();
    m_signalCanceler->setTarget(nullptr);
    m_tokenModel->refresh(); // SIGINT no longer cancels this run
    const RunSnapshot run = snapshot();
    for (std::size_t i = 0; i < run.workers.size(); ++i) {
        const WorkerSnapshot &worker = run.workers[i];
        if (worker.ignoredCancellation())
            appendNote(tr("worker %1 ignored cancellation: it printed all %2 of its lines and "
                          "ended on its own, %3 after its cancel")
                               .arg(i + 1)
                               .arg(worker.lines)
                               .arg(formatDuration(*worker.stopLatency)),
                       run.takenAt);
    }
    appendNote(stoppedText(run), run.takenAt);
    updateStatus();
    if (m_closeRequested) {
        m_closeRequested = false;
        close();
    }
}

void MainWindow::onTokenCanceled(const Cancellation::Reason &reason)
{
    // Queued from the canceling thread; a later run may have started meanwhile.
    if (m_cancelNoted || !m_runner->rootSource() || m_runner->rootSource()->reason() != reason)
        return;
    m_cancelNoted = true;
    appendNote(tr("token canceled: %1").arg(reason.toString()), reason.canceledAt());
    updateStatus();
}

void MainWindow::onSignalReceived(int signalNumber)
{
    std::fputs(signalNumber == SIGTERM ? "Handling sigterm\n" : "Handling sigint\n", stdout);
    std::fflush(stdout);
    // The SignalCanceler has canceled the run, if any. Ctrl+C during a run stops the run, as in
    // the article; with no run, or pressed again while the workers stop, it quits. SIGTERM
    // quits at once. Quitting waits for the workers through closeEvent().
    const bool secondInterrupt = m_runner->isRunning() && ++m_signalsThisRun > 1;
    if (signalNumber != SIGINT || !m_runner->isRunning() || secondInterrupt)
        close();
}

void MainWindow::onTimeoutEdited()
{
    m_timeout->setEnabled(m_timeoutEnabled->isChecked());
    const Cancellation::Source *root = m_runner->rootSource();
    if (!m_runner->isRunning() || !root || root->reason().isCanceled()) {
        updateStatus();
        return;
    }
    if (m_timeoutEnabled->isChecked()) {
        m_countdownTotal = m_timeout->duration();
        m_runner->setTimeout(m_timeout->duration());
        appendNote(tr("timeout re-armed: %1 from now").arg(formatDuration(m_timeout->duration())),
                   std::chrono::steady_clock::now());
    } else {
        m_countdownTotal.reset();
        m_runner->setTimeout(std::nullopt);
        appendNote(tr("timeout switched off"), std::chrono::steady_clock::now());
    }
    updateStatus();
}

void MainWindow::onSelectionChanged()
{
    updateStatus();
}

void MainWindow::onTreeTokenCanceled(const QModelIndex &index)
{
    // The run's token: onTokenCanceled() notes it. A worker's: as "Cancel selected worker".
    const int worker = m_tokenModel->workerOf(index);
    if (worker >= 0) {
        appendNote(tr("worker %1's token canceled from the token tree; the others keep running")
                           .arg(worker + 1),
                   std::chrono::steady_clock::now());
    }
    updateStatus();
}

void MainWindow::refresh()
{
    drainEvents();
    m_tokenModel->refresh();
    updateStatus();
}

RunSnapshot MainWindow::snapshot() const
{
    return RunSnapshot::take(*m_runner, std::chrono::steady_clock::now(), configFromControls());
}

void MainWindow::drainEvents()
{
    const std::vector<WorkerEvent> events = m_runner->takeEvents();
    m_timeline.addEvents(events);
    // Only the newest lines reach the log: at 64,000 lines a second, no text view keeps up,
    // and nobody reads that fast. The counters count every line.
    std::vector<const WorkerEvent *> printed;
    printed.reserve(MaxLogLinesPerRefresh);
    for (auto it = events.rbegin();
         it != events.rend() && int(printed.size()) < MaxLogLinesPerRefresh; ++it) {
        if (it->type == WorkerEvent::Type::Printed)
            printed.push_back(&*it);
    }
    if (printed.empty() && m_pendingNotes.empty())
        return;

    const auto steadyNow = std::chrono::steady_clock::now();
    const QTime wallNow = QTime::currentTime();
    QStringList lines;
    lines.reserve(qsizetype(printed.size() + m_pendingNotes.size()));
    auto note = m_pendingNotes.cbegin();
    const auto addNotesUntil = [&](std::chrono::steady_clock::time_point time) {
        for (; note != m_pendingNotes.cend() && note->first <= time; ++note)
            lines.append(
                    QStringLiteral("%1  -- %2 --")
                            .arg(wallClockText(note->first, steadyNow, wallNow), note->second));
    };
    for (auto it = printed.rbegin(); it != printed.rend(); ++it) {
        addNotesUntil((*it)->time);
        lines.append(QStringLiteral("%1  [worker %2] Hello World!")
                             .arg(wallClockText((*it)->time, steadyNow, wallNow))
                             .arg((*it)->worker + 1));
    }
    addNotesUntil(std::chrono::steady_clock::time_point::max());
    m_pendingNotes.clear();
    m_log->appendLines(lines);
}

void MainWindow::appendNote(const QString &note, std::chrono::steady_clock::time_point time)
{
    m_pendingNotes.emplace_back(time, note);
    std::stable_sort(m_pendingNotes.begin(), m_pendingNotes.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    if (!m_refreshTimer.isActive())
        drainEvents();
}

void MainWindow::updateStatus()
{
    const RunSnapshot run = snapshot();
    sampleRate(run);
    feedTimeline(run);
    m_model->setSnapshot(run);
    showStatus(run);
    updateLogTitle();
    showCountdown(run);
    showControls(run);
    showVisuals(run);
}

void MainWindow::sampleRate(const RunSnapshot &run)
{
    // Lines per second over the last second.
    if (!run.running) {
        m_rateSamples.clear();
        m_linesPerSecond = 0;
        return;
    }
    m_rateSamples.emplace_back(run.takenAt, run.totalLines);
    // Over at least three intervals, so that slow workers do not read as 0 lines/s.
    const auto window = std::clamp<nanoseconds>(3 * run.config.interval, 1s, 30s);
    while (m_rateSamples.size() > 2 && run.takenAt - m_rateSamples[1].first >= window)
        m_rateSamples.pop_front();
    const auto span = m_rateSamples.back().first - m_rateSamples.front().first;
    if (span >= 200ms) {
        const double seconds = std::chrono::duration<double>(span).count();
        m_linesPerSecond =
                double(m_rateSamples.back().second - m_rateSamples.front().second) / seconds;
    }
    if (run.alive == 0)
        m_linesPerSecond = 0;
}

void MainWindow::feedTimeline(const RunSnapshot &run)
{
    if (!run.hasRun)
        return;
    m_timeline.setCanceledAt(run.isCanceled() ? std::optional(run.reason.canceledAt())
                                              : std::nullopt);
    m_timeline.setDeadline(run.deadline);
    // Each lane's stop is measured from when its cancel was due, as in the table.
    for (std::size_t i = 0; i < run.workers.size(); ++i) {
        if (const auto due = run.workers[i].cancelDueAt)
            m_timeline.setLaneCanceledAt(int(i), *due);
    }
    if (run.running)
        m_timeline.advanceTo(run.takenAt);
    // Once the run is over, its right edge is the last stop.
    for (int i = 0; !run.running && i < m_timeline.laneCount(); ++i) {
        if (const auto stopped = m_timeline.stoppedAt(i))
            m_timeline.advanceTo(*stopped);
    }
}

QString MainWindow::stoppedText(const RunSnapshot &run)
{
    const int workers = int(run.workers.size());
    QString text;
    if (run.stoppedByRun > 0 && run.slowestStop) {
        const QString who = run.stoppedByRun == workers
                ? (workers == 1 ? tr("The worker") : tr("All %1").arg(workersText(workers)))
                : tr("%1 of %2").arg(run.stoppedByRun).arg(workersText(workers));
        text = run.timedOut()
                ? tr("%1 stopped %2 after the deadline.").arg(who, formatDuration(*run.slowestStop))
                : tr("%1 stopped %2 after cancel.").arg(who, formatDuration(*run.slowestStop));
    } else {
        text = tr("%1 stopped.")
                       .arg(workers == 1 ? tr("The worker")
                                         : tr("All %1").arg(workersText(workers)));
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

void MainWindow::showStatus(const RunSnapshot &run)
{
    const QLocale locale;
    const Cancellation::Reason &reason = run.reason;
    const bool canceled = run.isCanceled();
    const int workers = int(run.workers.size());

    // Token state.
    if (!run.hasRun) {
        m_state->setState(StateBadge::State::Idle);
        m_reason->setText(tr("No run yet."));
    } else {
        m_state->setSignalNumber(reason.root().signalNumber());
        m_state->setState(
                canceled ? StateBadge::stateOf(reason)
                         : (run.running ? StateBadge::State::Running : StateBadge::State::Idle));
        const QString at = canceled
                ? wallClockText(reason.canceledAt(), run.takenAt, QTime::currentTime())
                : QString();
        m_reason->setText(canceled ? tr("Reason: %1, at %2").arg(reason.toString(), at)
                                  : run.running
                                  ? tr("Not canceled yet: the workers keep printing.")
                                  : tr("Never canceled: every worker was canceled alone or "
                                       "ended on its own."));
    }

    // Summary and explanation.
    if (!run.hasRun) {
        m_summary->setText(
                tr("Press Start (Ctrl+Return) to run %1.").arg(workersText(run.config.workers)));
    } else {
        const QString rate = m_linesPerSecond < 100
                ? locale.toString(m_linesPerSecond, 'f', 1)
                : locale.toString(qint64(m_linesPerSecond + 0.5));
        m_summary->setText(tr("<b>%1</b> of %2 workers alive &nbsp;·&nbsp; <b>%3</b> lines/s "
                              "&nbsp;·&nbsp; <b>%4</b> lines in total")
                                   .arg(run.alive)
                                   .arg(workers)
                                   .arg(rate, locale.toString(run.totalLines)));
    }

    const WaitMode mode = run.config.mode;
    const QString ignoring = run.ignoringAlive == 0 ? QString()
                                                    : QLatin1Char(' ')
                    + tr("%1 ignores its token: nothing stops it before its last line.")
                              .arg(run.ignoringAlive == 1
                                           ? tr("1 worker")
                                           : tr("%1 workers").arg(run.ignoringAlive));
    QString note;
    if (m_closeRequested && run.running) {
        note = tr("Closing: waiting for %1 to stop. Close again to quit at once.")
                       .arg(workersText(run.alive));
    } else if (run.running && canceled && run.yetToNotice > 0) {
        note = (mode == WaitMode::Poll
                        ? tr("Waiting for %1 to notice cancellation: each checks its token when "
                             "its sleep ends, up to %2 after the cancel.")
                                  .arg(workersText(run.yetToNotice),
                                       formatDuration(run.config.interval))
                        : tr("Waiting for %1 to notice cancellation…")
                                  .arg(workersText(run.yetToNotice)))
                + ignoring;
    } else if (run.running && canceled) {
        note = tr("Every worker that checks its token has stopped.") + ignoring;
    } else if (run.running) {
        note = mode == WaitMode::Poll
                ? tr("Each worker sleeps for the interval, prints, then checks its token (the "
                     "article's loop): after a cancel it prints one last line, up to one interval "
                     "late.")
                : tr("Each worker waits on its token for the interval: a cancel wakes it at once.");
    } else if (run.hasRun) {
        note = stoppedText(run);
    } else {
        note = mode == WaitMode::Poll
                ? tr("Each worker will print \"Hello World!\", sleep for the interval, then check "
                     "its token, as in the article.")
                : tr("Each worker will print \"Hello World!\" and wait on its token for the "
                     "interval; a cancel wakes it at once.");
    }
    m_note->setText(note);

    if (!run.hasRun) {
        m_tree->setText(tr("Each worker gets a child of the run's token: canceling the run's token "
                           "cancels them all, canceling a child stops one worker."));
    } else {
        const QString alone = run.canceledAlone == 0
                ? QString()
                : tr("; %1 canceled alone")
                          .arg(run.canceledAlone == 1 ? tr("1 of them")
                                                      : tr("%1 of them").arg(run.canceledAlone));
        m_tree->setText(tr("Tokens: the run's token and its %1 child tokens, one per worker%2.")
                                .arg(workers)
                                .arg(alone));
    }
}

void MainWindow::showVisuals(const RunSnapshot &run)
{
    m_timelineView->update();

    // The code of the run, or of the controls before the first run.
    int followed = -1;
    if (run.hasRun && m_model->rowCount() > 0) {
        followed = 0;
        if (m_table->selectionModel()) {
            const QModelIndexList rows = m_table->selectionModel()->selectedRows();
            if (!rows.isEmpty())
                followed = rows.first().row();
        }
    }
    const WorkerSnapshot worker = m_model->worker(followed);
    // Between runs, the code previews what the controls would start.
    const RunConfig config = run.running ? run.config : configFromControls();
    m_code->setCode(config.mode, config.timeout ? std::optional(config.timeoutStyle) : std::nullopt,
                    followed >= 0 && worker.ignoresToken);
    m_code->setWorkerState(followed, worker.state);
    m_timelineView->setSelectedLane(followed);
    m_explanation->setSnapshot(run);
}

void MainWindow::updateLogTitle()
{
    m_logTitle->setText(m_log->isFollowing()
                                ? tr("Newest last. The log keeps the last %1 lines; the counters "
                                     "count every line.")
                                          .arg(QLocale().toString(LogLineLimit))
                                : tr("Scrolled up: the view holds still. Scroll to the bottom to "
                                     "follow new lines."));
}

void MainWindow::showCountdown(const RunSnapshot &run)
{
    const Cancellation::Source *root = m_runner->rootSource();
    const bool running = run.running;
    const Cancellation::Reason &reason = run.reason;

    // The bar is live only while it counts down.
    m_countdown->setEnabled(running && !reason.isCanceled() && m_countdownTotal
                            && root->remainingTime() >= 0);
    if (!running || reason.isCanceled()) {
        // Idle, or the run's token is settled: show the setting, or what happened.
        if (root && reason.root().kind() == Cancellation::Reason::Kind::Timeout) {
            m_countdown->setValue(0);
            // How late the deadline was noticed: the point of the two timeout styles.
            const QString late = run.noticedLate ? formatDuration(*run.noticedLate) : QString();
            if (late.isEmpty())
                m_countdownText->setText(tr("deadline reached"));
            else if (m_runner->config().timeoutStyle == TimeoutStyle::Deadline)
                m_countdownText->setText(
                        tr("deadline reached; a worker's check noticed it %1 later").arg(late));
            else
                m_countdownText->setText(
                        tr("deadline reached; the timer fired %1 later").arg(late));
        } else if (root && reason.isCanceled()) {
            m_countdown->setValue(0);
            m_countdownText->setText(m_countdownTotal ? tr("canceled before the deadline")
                                                      : tr("off"));
        } else if (m_timeoutEnabled->isChecked()) {
            m_countdown->setValue(m_countdown->maximum());
            m_countdownText->setText(
                    tr("%1 from start").arg(formatDuration(m_timeout->duration())));
        } else {
            m_countdown->setValue(0);
            m_countdownText->setText(tr("off"));
        }
        return;
    }

    const qint64 remaining = root->remainingTime();
    if (!m_countdownTotal || remaining < 0) {
        m_countdown->setValue(0);
        m_countdownText->setText(tr("off"));
        return;
    }
    const qint64 total =
            qMax<qint64>(1, std::chrono::ceil<milliseconds>(*m_countdownTotal).count());
    m_countdown->setValue(int(std::clamp<qint64>(remaining * m_countdown->maximum() / total, 0,
                                                 m_countdown->maximum())));
    m_countdownText->setText(remaining > 0 ? tr("%1 left of %2")
                                                     .arg(formatDuration(milliseconds(remaining)),
                                                          formatDuration(*m_countdownTotal))
                                           : tr("deadline passed: the next check cancels"));
}

QString MainWindow::inputProblems() const
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

QString MainWindow::inputStateText(const RunSnapshot &run) const
{
    const QString problems = inputProblems();
    if (!problems.isEmpty()) {
        QString text = problems;
        text[0] = text[0].toUpper();
        return text + QLatin1Char('.');
    }
    // Typed but not applied: say what is armed and what Return would arm.
    if (m_timeout->isEnabled() && m_timeout->isPending()) {
        const QString armed = run.running && m_countdownTotal
                ? tr("%1 is armed").arg(formatDuration(*m_countdownTotal))
                : run.running ? tr("no timeout is armed")
                              : QString();
        const QString typed = m_timeout->text().trimmed();
        if (run.running)
            return tr("Timeout %1 typed, not armed yet: press Return to arm it from now (%2).")
                    .arg(typed, armed);
        return tr("Timeout %1 typed: Return or Start applies it.").arg(typed);
    }
    if (m_interval->isEnabled() && m_interval->isPending())
        return tr("Interval %1 typed: Return or Start applies it.")
                .arg(m_interval->text().trimmed());
    return QString();
}

void MainWindow::showControls(const RunSnapshot &run)
{
    const QString inputState = inputStateText(run);
    m_inputState->setText(inputState);
    m_inputState->setVisible(!inputState.isEmpty());
    const bool running = run.running;
    const bool canceled = run.isCanceled();

    m_startAction->setEnabled(!running && !m_closeRequested && inputProblems().isEmpty());
    m_cancelAllAction->setEnabled(running && !canceled);
    bool workerCancelable = false;
    if (running && !canceled && m_table->selectionModel()) {
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        workerCancelable = !rows.isEmpty() && m_model->worker(rows.first().row()).isAlive()
                && !m_model->worker(rows.first().row()).isCanceled();
    }
    m_cancelWorkerAction->setEnabled(workerCancelable);
    m_startButton->setEnabled(m_startAction->isEnabled());
    m_cancelAllButton->setEnabled(m_cancelAllAction->isEnabled());
    m_cancelWorkerButton->setEnabled(m_cancelWorkerAction->isEnabled());

    // What a run reads at start is fixed while it runs; the timeout can change at any time.
    m_workers->setEnabled(!running);
    m_interval->setEnabled(!running);
    m_pollMode->setEnabled(!running);
    m_waitMode->setEnabled(!running);
    m_timerStyle->setEnabled(!running);
    m_deadlineStyle->setEnabled(!running);
    m_ignoring->setEnabled(!running);
}

} // namespace Demo
