// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "explanationpanel.h"
#include "loopcodepanel.h"
#include "outputpanel.h"
#include "runsettingspanel.h"
#include "runstatuspanel.h"
#include "runtext.h"
#include "statebadge.h"
#include "timelinewidget.h"
#include "tokentreemodel.h"
#include "tokentreeview.h"
#include "tourdock.h"
#include "touroffer.h"
#include "tourpanel.h"
#include "widgetnames.h"
#include "workertablemodel.h"

#include "core/durationparser.h"
#include "core/librarycalls.h"
#include "core/linewriter.h"
#include "core/signalnames.h"

#include <Cancellation/reason.h>
#include <Cancellation/signalcanceler.h>
#include <Cancellation/source.h>

#include <QtCore/QLocale>
#include <QtCore/QSaveFile>
#include <QtCore/QSettings>
#include <QtCore/QTime>
#include <QtGui/QCloseEvent>
#include <QtGui/QFontDatabase>
#include <QtWidgets/QApplication>
#include <QtWidgets/QButtonGroup>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QFrame>
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
#include <unistd.h>

namespace Demo {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

namespace {

// Settings keys.
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

} // namespace

MainWindow::MainWindow(const DemoOptions &options, QWidget *parent)
    : QMainWindow(parent),
      m_runner(new WorkerRunner(this)),
      m_model(new WorkerTableModel(this)),
      m_signalCanceler(new Cancellation::SignalCanceler(this)),
      m_stdout(std::make_unique<LineWriter>(STDOUT_FILENO, "stdout-writer"))
{
    setWindowTitle(tr("Cancellation token demo"));
    createActions();
    createWidgets();
    loadSettings();
    m_settings->applyOptions(options);

    m_runner->setRecordEvents(true);
    // The workers' lines go to stdout as the article's program prints them, through the same
    // writer as the console's: a reader that stops reading stalls the writer, not the window.
    if (!options.quiet)
        m_runner->setLineSink(
                [out = m_stdout.get()](int, QStringView line) { out->write(line.toLocal8Bit()); });
    connect(m_runner, &WorkerRunner::finished, this, &MainWindow::onFinished);
    connect(m_signalCanceler, &Cancellation::SignalCanceler::signalReceived, this,
            &MainWindow::onSignalReceived);

    m_refreshTimer.setInterval(RefreshPeriod);
    m_refreshTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_refreshTimer, &QTimer::timeout, this, &MainWindow::refresh);

    updateStatus();
    if (options.tourStep) {
        const int last = m_tour->stepCount();
        if (*options.tourStep > last)
            std::fprintf(stderr,
                         "cancellation-demo: --tour %d: the tour has %d steps; showing %d\n",
                         *options.tourStep, last, last);
        const int step = std::min(*options.tourStep, last) - 1;
        // Once shown: the tour's place depends on the window's size.
        QTimer::singleShot(0, this, [this, step, start = options.start] {
            showTour();
            m_tour->setCurrentStep(step);
            if (start)
                tryTourStep(step);
        });
    } else if (options.start) {
        QTimer::singleShot(0, this, &MainWindow::start);
    }
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

    m_pauseAction =
            new QAction(style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause workers"), this);
    m_pauseAction->setCheckable(true);
    m_pauseAction->setShortcut(QKeySequence(Qt::Key_F8));
    m_pauseAction->setToolTip(tr("Hold every worker before its next step, to watch a check race "
                                 "a cancel; again to resume (F8)"));
    connect(m_pauseAction, &QAction::toggled, this, [this](bool paused) {
        showPauseState(paused);
        if (paused == m_runner->isPaused())
            return;
        m_runner->setPaused(paused);
        appendNote(paused ? tr("paused: each worker holds before its next step") : tr("resumed"),
                   std::chrono::steady_clock::now());
        updateStatus();
    });
    m_stepAction =
            new QAction(style()->standardIcon(QStyle::SP_MediaSkipForward), tr("S&tep"), this);
    m_stepAction->setShortcut(QKeySequence(Qt::Key_F10));
    m_stepAction->setToolTip(tr("While paused: every worker takes its next step, then holds "
                                "again (F10)"));
    connect(m_stepAction, &QAction::triggered, this, [this] {
        m_runner->step();
        updateStatus();
    });

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setMenuRole(QAction::QuitRole);
    m_quitAction->setToolTip(tr("Cancel any run, wait for its workers, and quit (Ctrl+Q)"));
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_saveTimelineAction = new QAction(tr("Save &timeline as image…"), this);
    m_saveTimelineAction->setToolTip(
            tr("Save the timeline as shown, as %1, for slides")
                    .arg(TimelineWidget::imageFormats().join(QLatin1String(" or ")).toUpper()));
    connect(m_saveTimelineAction, &QAction::triggered, this, [this] {
        QStringList patterns;
        for (const QString &format : TimelineWidget::imageFormats())
            patterns << QStringLiteral("*.") + format;
        saveAs(tr("Save the timeline"), tr("Images (%1)").arg(patterns.join(u' ')),
               QStringLiteral("png"), &MainWindow::saveTimeline);
    });
    m_saveEventsAction = new QAction(tr("Save &events as CSV…"), this);
    m_saveEventsAction->setToolTip(
            tr("Save every event of the last run, with its token's cancels, to check by hand"));
    connect(m_saveEventsAction, &QAction::triggered, this, [this] {
        saveAs(tr("Save the run's events"), tr("CSV files (*.csv)"), QStringLiteral("csv"),
               &MainWindow::saveEvents);
    });

    QMenu *runMenu = menuBar()->addMenu(tr("&Run"));
    runMenu->addAction(m_startAction);
    runMenu->addAction(m_cancelAllAction);
    runMenu->addAction(m_cancelWorkerAction);
    runMenu->addAction(m_pauseAction);
    runMenu->addAction(m_stepAction);
    runMenu->addSeparator();
    runMenu->addAction(m_saveTimelineAction);
    runMenu->addAction(m_saveEventsAction);
    runMenu->addSeparator();
    runMenu->addAction(m_quitAction);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *tour = helpMenu->addAction(tr("&Learn the pattern"));
    tour->setToolTip(tr("A tour of the article's ideas, one run at a time"));
    connect(tour, &QAction::triggered, this, &MainWindow::showTour);
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
    m_settings = new RunSettingsPanel;

    m_startButton = new QPushButton(m_startAction->icon(), tr("Start"));
    setNames(m_startButton, tr("Start"), m_startAction->toolTip());
    m_startButton->setDefault(true);
    connect(m_startButton, &QPushButton::clicked, m_startAction, &QAction::trigger);
    m_cancelAllButton = new QPushButton(m_cancelAllAction->icon(), tr("Cancel all"));
    setNames(m_cancelAllButton, tr("Cancel all"), m_cancelAllAction->toolTip());
    connect(m_cancelAllButton, &QPushButton::clicked, m_cancelAllAction, &QAction::trigger);
    m_cancelWorkerButton = new QPushButton(tr("Cancel worker"));
    setNames(m_cancelWorkerButton, tr("Cancel selected worker"), m_cancelWorkerAction->toolTip());
    connect(m_cancelWorkerButton, &QPushButton::clicked, m_cancelWorkerAction, &QAction::trigger);

    m_settings->addButtonRow({ m_startButton, m_cancelAllButton, m_cancelWorkerButton });
    m_pauseButton = new QPushButton(m_pauseAction->icon(), tr("Resume"));
    m_pauseButton->setCheckable(true);
    setNames(m_pauseButton, tr("Pause"), m_pauseAction->toolTip());
    // As wide as its longer caption, so that the row holds still when it changes.
    m_pauseButton->setMinimumWidth(m_pauseButton->sizeHint().width());
    m_pauseButton->setText(tr("Pause"));
    connect(m_pauseButton, &QPushButton::toggled, m_pauseAction, &QAction::setChecked);
    connect(m_pauseAction, &QAction::toggled, m_pauseButton, &QPushButton::setChecked);
    m_stepButton = new QPushButton(m_stepAction->icon(), tr("Step"));
    setNames(m_stepButton, tr("Step"), m_stepAction->toolTip());
    connect(m_stepButton, &QPushButton::clicked, m_stepAction, &QAction::trigger);
    m_settings->addButtonRow({ m_pauseButton, m_stepButton });
    m_status = new RunStatusPanel;

    // Workers and their output.
    m_table = new QTableView;
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    // The state takes what is left and elides; the numbers are never cut.
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(WorkerTableModel::StateColumn, QHeaderView::Stretch);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setAlternatingRowColors(true);
    m_table->addAction(m_cancelWorkerAction);
    setNames(m_table, tr("Workers table"),
             tr("One row per worker. Select one and press Delete to cancel it alone."));
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onSelectionChanged);

    m_output = new OutputPanel;

    m_tokenModel = new TokenTreeModel(this);
    m_tokenModel->setSignalCanceler(m_signalCanceler);
    m_tokenTree = new TokenTreeView(m_tokenModel);
    setNames(m_tokenTree, tr("Token tree view"),
             tr("SIGINT, the run's token and each worker's child token, live. Right-click a "
                "token to cancel it and its subtree."));
    connect(m_tokenTree, &TokenTreeView::tokenCanceled, this, &MainWindow::onTreeTokenCanceled);
    // A worker's node selected in the tree selects that worker everywhere else too.
    connect(m_tokenTree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                if (const int worker = m_tokenModel->workerOf(current); worker >= 0)
                    m_table->selectRow(worker);
            });
    auto *workerTabs = new QTabWidget;
    workerTabs->addTab(m_table, tr("Workers"));
    workerTabs->setTabToolTip(0, m_table->toolTip());
    workerTabs->addTab(m_tokenTree, tr("Token tree"));
    workerTabs->setTabToolTip(1, m_tokenTree->toolTip());
    setNames(workerTabs, tr("Workers and tokens"), tr("The workers, or their tokens as a tree"));

    m_timelineView = new TimelineWidget(&m_timeline);
    auto *timelineScroll = new QScrollArea;
    timelineScroll->setWidget(m_timelineView);
    timelineScroll->setWidgetResizable(true);
    timelineScroll->setFrameShape(QFrame::NoFrame);
    setNames(timelineScroll, tr("Timeline area"), m_timelineView->toolTip());
    m_code = new LoopCodePanel;
    m_explanation = new ExplanationPanel;
    m_loopPanel = new QGroupBox(tr("The worker's loop"));
    auto *codeColumn = new QVBoxLayout(m_loopPanel);
    codeColumn->addWidget(m_code, 1);
    codeColumn->addWidget(m_explanation);

    m_tabs = new QTabWidget;
    m_tabs->addTab(timelineScroll, tr("Timeline"));
    m_tabs->setTabToolTip(0,
                          tr("Each worker's lines over the last 10 s, the cancel and each "
                             "worker's stop"));
    m_tabs->addTab(m_output, tr("Output"));
    m_tabs->setTabToolTip(1, tr("The workers' lines as text"));
    setNames(m_tabs, tr("Timeline and output"),
             tr("The run over time, the worker's loop, or the lines as text"));

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->addWidget(workerTabs);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({ 520, 580 });

    // The tour, beside the run, and its offer on first launch.
    m_tourDock = new TourDock(this);
    m_tour = m_tourDock->panel();
    connect(m_tour, &TourPanel::tryRequested, this, &MainWindow::tryTourStep);
    connect(m_tour, &TourPanel::sigintRequested, this, &MainWindow::raiseSigint);
    m_tourOffer = new TourOffer;
    connect(m_tourOffer, &TourOffer::accepted, this, &MainWindow::showTour);
    connect(m_tourOffer, &TourOffer::declined, this, &MainWindow::dismissTourOffer);
    m_tourOffer->setVisible(!QSettings().value(key("tour/offered")).toBool());

    m_topRow = new QHBoxLayout;
    m_topRow->addWidget(m_settings);
    m_topRow->addWidget(m_status, 1);

    // On a small screen (800x600, or twice the scale on 1600x1000) the window scrolls rather
    // than cutting anything off; the workers and the timeline keep room enough to read.
    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(m_tourOffer);
    layout->addLayout(m_topRow);
    layout->addWidget(m_splitter, 1);
    // Where the window must scroll (twice the scale on 1600x1000), still room for eight lanes
    // of the timeline with their numbers.
    m_splitter->setMinimumHeight(fontMetrics().height() * 11);
    // Otherwise the workers and the timeline take the height that is left: the scroll area
    // sizes the window's word-wrapped content by its preferred height, and theirs (16 lanes
    // of the timeline) would make the window scroll where everything fits.
    m_splitter->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Ignored);
    auto *scroll = new QScrollArea;
    scroll->setWidget(central);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setCentralWidget(scroll);
    scroll->installEventFilter(this);

    statusBar()->addPermanentWidget(new QLabel(
            tr("Ctrl+Return: start   Esc: cancel all   Delete: cancel worker   Ctrl+Q: quit")));

    connect(m_settings, &RunSettingsPanel::timeoutChanged, this, &MainWindow::onTimeoutEdited);
    connect(m_settings, &RunSettingsPanel::edited, this, &MainWindow::updateStatus);

    resize(1100, 720);
    placeLoopPanel();
}

void MainWindow::loadSettings()
{
    const QSettings settings;
    m_settings->loadSettings(settings);
    restoreGeometry(settings.value(key(GeometryKey)).toByteArray());
    m_splitter->restoreState(settings.value(key(SplitterKey)).toByteArray());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    m_settings->saveSettings(settings);
    settings.setValue(key(GeometryKey), saveGeometry());
    settings.setValue(key(SplitterKey), m_splitter->saveState());
}

RunConfig MainWindow::configFromControls() const
{
    return m_settings->config();
}

void MainWindow::start()
{
    if (m_runner->isRunning() || m_closeRequested)
        return;
    // Take text still being edited, as if Return had been pressed; never start with a value
    // other than the one shown.
    if (!m_settings->commit()) {
        statusBar()->showMessage(tr("Not started: %1").arg(m_settings->inputProblems()), 8000);
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
    m_events.reset(startedAt);
    m_lineRate.reset();
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
    QString note = tr("run %1: %2, every %3, %4, %5")
                           .arg(m_runNumber)
                           .arg(RunText::workers(config.workers), formatDuration(config.interval),
                                RunText::mode(config.mode), timeout);
    if (config.slowdown > 1)
        note += tr("; slow motion %1: every duration is %2 times the one set (interval %3)")
                        .arg(RunText::speed(config.slowdown))
                        .arg(config.slowdown)
                        .arg(formatDuration(config.setInterval()));
    appendNote(note, startedAt);
    appendNote(LibraryCalls::start(config), startedAt);

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
    // Allowed again while the workers stop: the article's point that a second cancel is
    // harmless, shown by what cancel() returns.
    appendNote(LibraryCalls::cancelAll(m_runner->cancel()), std::chrono::steady_clock::now());
    updateStatus();
}

void MainWindow::cancelSelectedWorker()
{
    if (!m_runner->isRunning())
        return;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        if (m_runner->cancelWorker(row.row())) {
            appendNote(tr("%1: worker %2 stops; the others keep running")
                               .arg(LibraryCalls::cancelWorker(row.row(), true))
                               .arg(row.row() + 1),
                       std::chrono::steady_clock::now());
        }
    }
    updateStatus();
}

void MainWindow::showTour()
{
    if (!m_tourOffer->isHidden())
        dismissTourOffer(); // taken, from Help or from the offer itself
    m_tourDock->showBeside(NarrowContentWidth);
}

void MainWindow::dismissTourOffer()
{
    QSettings().setValue(key("tour/offered"), true);
    m_tourOffer->hide();
}

void MainWindow::tryTourStep(int step)
{
    if (step < 0 || step >= m_tour->stepCount() || m_closeRequested)
        return;
    if (m_runner->isRunning()) {
        m_pendingTourStep = step;
        m_pauseAction->setChecked(false); // held workers could not stop
        cancelAll();
        return;
    }
    m_pendingTourStep.reset();
    m_tour->setCurrentStep(step);
    m_settings->applyRun(m_tour->step(step).run);
    start();
}

void MainWindow::raiseSigint()
{
#ifdef Q_OS_UNIX
    if (m_runner->isRunning())
        std::raise(SIGINT);
#endif
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // The run's area changes width with the window and with the tour beside it.
    if (watched == centralWidget() && event->type() == QEvent::Resize)
        placeLoopPanel();
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::placeLoopPanel()
{
    // Wide enough: the loop beside the settings and the token, always in view. Narrower (800
    // px, or twice the scale): a tab beside the timeline, so that nothing is squeezed.
    const bool wide = centralWidget()->width() >= WideContentWidth;
    const bool inTop = m_topRow->indexOf(m_loopPanel) >= 0;
    const bool inTabs = m_tabs->indexOf(m_loopPanel) >= 0;
    if (wide && !inTop) {
        if (inTabs)
            m_tabs->removeTab(m_tabs->indexOf(m_loopPanel));
        m_loopPanel->setTitle(tr("The worker's loop"));
        m_topRow->addWidget(m_loopPanel, 1);
    } else if (!wide && !inTabs) {
        if (inTop)
            m_topRow->removeWidget(m_loopPanel);
        m_loopPanel->setTitle(QString());
        m_tabs->insertTab(1, m_loopPanel, tr("The loop"));
        m_tabs->setTabToolTip(1,
                              tr("The worker's loop, the line each worker is on, and what is "
                                 "happening"));
    } else {
        return;
    }
    m_loopPanel->show();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_runner->isRunning() && !m_closeRequested) {
        // Never block the GUI on the workers: cancel, and close once finished() arrives.
        m_closeRequested = true;
        m_pauseAction->setChecked(false); // held workers could not stop
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

bool MainWindow::waitForOutput(std::chrono::milliseconds timeout)
{
    return m_stdout->waitUntilWritten(timeout);
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
    appendNote(RunStatusPanel::stoppedText(run), run.takenAt);
    updateStatus();
    if (m_closeRequested) {
        m_closeRequested = false;
        close();
    } else if (m_pendingTourStep) {
        tryTourStep(*m_pendingTourStep);
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
    m_stdout->post(SignalNames::handlingLine(signalNumber).toLocal8Bit());
    // The SignalCanceler has canceled the run, if any. Ctrl+C during a run stops the run, as in
    // the article; with no run, or pressed again while the workers stop, it quits. SIGTERM
    // quits at once. Quitting waits for the workers through closeEvent().
    const bool secondInterrupt = m_runner->isRunning() && ++m_signalsThisRun > 1;
    if (signalNumber != SIGINT || !m_runner->isRunning() || secondInterrupt)
        close();
}

void MainWindow::onTimeoutEdited()
{
    const Cancellation::Source *root = m_runner->rootSource();
    if (!m_runner->isRunning() || !root || root->reason().isCanceled()) {
        updateStatus();
        return;
    }
    if (m_settings->isTimeoutEnabled())
        m_countdownTotal = m_settings->timeout();
    else
        m_countdownTotal.reset();
    m_runner->setTimeout(m_countdownTotal);
    const QString call =
            LibraryCalls::setTimeout(m_countdownTotal, m_runner->config().timeoutStyle);
    appendNote(m_countdownTotal ? tr("timeout re-armed, %1 from now: %2")
                                          .arg(formatDuration(*m_countdownTotal), call)
                                : tr("timeout switched off: %1").arg(call),
               std::chrono::steady_clock::now());
    updateStatus();
}

void MainWindow::onSelectionChanged()
{
    updateStatus();
}

void MainWindow::onTreeTokenCanceled(const QModelIndex &index)
{
    // The call, as for the buttons; the run's cancel itself is noted by onTokenCanceled().
    const int worker = m_tokenModel->workerOf(index);
    const QString message = TokenTreeModel::cancelMessage();
    appendNote(worker >= 0 ? tr("%1: worker %2 stops; the others keep running")
                                     .arg(LibraryCalls::cancelWorker(worker, true, message))
                                     .arg(worker + 1)
                           : LibraryCalls::cancelAll(true, message),
               std::chrono::steady_clock::now());
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
    m_events.add(events);
    m_output->addEvents(events);
}

bool MainWindow::saveTimeline(const QString &path)
{
    QString error;
    const bool saved = m_timelineView->saveImage(path, &error);
    return reportSaved(tr("timeline saved to %1").arg(path), saved, error);
}

bool MainWindow::saveEvents(const QString &path)
{
    drainEvents();
    QString error;
    bool saved = false;
    if (!m_events.runStart()) {
        error = tr("no run yet: start one first");
    } else {
        // Written in full or not at all.
        QSaveFile file(path);
        saved = file.open(QIODevice::WriteOnly)
                && m_events.writeCsv(&file, snapshot(), m_runner->droppedEvents(), &error)
                && file.commit();
        if (!saved)
            error = tr("%1: %2").arg(path, file.errorString());
    }
    return reportSaved(tr("events saved to %1").arg(path), saved, error);
}

void MainWindow::saveAs(const QString &title, const QString &filter, const QString &suffix,
                        bool (MainWindow::*save)(const QString &))
{
    QFileDialog dialog(this, title, QString(), filter);
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(suffix);
    dialog.selectFile(QStringLiteral("run-%1.%2").arg(m_runNumber).arg(suffix));
    if (dialog.exec() == QDialog::Accepted && !dialog.selectedFiles().isEmpty())
        (this->*save)(dialog.selectedFiles().constFirst());
}

bool MainWindow::reportSaved(const QString &what, bool saved, const QString &error)
{
    const QString message = saved ? what : tr("Not saved: %1").arg(error);
    statusBar()->showMessage(message, 8000);
    appendNote(message, std::chrono::steady_clock::now());
    return saved;
}

void MainWindow::appendNote(const QString &note, std::chrono::steady_clock::time_point time)
{
    m_output->addNote(note, time);
    if (!m_refreshTimer.isActive())
        drainEvents();
}

void MainWindow::showPauseState(bool paused)
{
    const QIcon icon = style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause);
    m_pauseAction->setIcon(icon);
    m_pauseAction->setText(paused ? tr("&Resume workers") : tr("&Pause workers"));
    if (m_pauseButton) {
        m_pauseButton->setIcon(icon);
        m_pauseButton->setText(paused ? tr("Resume") : tr("Pause"));
    }
}

void MainWindow::updateStatus()
{
    const RunSnapshot run = snapshot();
    sampleRate(run);
    feedTimeline(run);
    m_model->setSnapshot(run);
    RunStatusPanel::Context context;
    context.linesPerSecond = m_linesPerSecond;
    context.closing = m_closeRequested;
    context.armedTimeout = m_countdownTotal;
    if (m_settings->isTimeoutEnabled())
        context.nextTimeout = m_settings->timeout();
    m_status->showRun(run, context);
    showControls(run);
    showVisuals(run);
}

void MainWindow::sampleRate(const RunSnapshot &run)
{
    if (!run.running) {
        m_lineRate.reset();
        m_linesPerSecond = 0;
        return;
    }
    m_lineRate.add(run.takenAt, run.totalLines, run.config.interval,
                   run.isCanceled() ? std::optional(run.reason.canceledAt()) : std::nullopt);
    m_linesPerSecond = run.alive == 0 ? 0 : m_lineRate.perSecond();
}

void MainWindow::feedTimeline(const RunSnapshot &run)
{
    if (!run.hasRun)
        return;
    // First, so that a deadline change is stamped with this moment.
    if (run.running)
        m_timeline.advanceTo(run.takenAt);
    m_timeline.setCanceledAt(run.isCanceled() ? std::optional(run.reason.canceledAt())
                                              : std::nullopt);
    m_timeline.setDeadline(run.deadline);
    for (std::size_t i = 0; i < run.workers.size(); ++i)
        m_timeline.setWorker(int(i), run.workers[i]);
    // Once the run is over, its right edge is just after the last stop, so that the marks
    // at the stop are not cut by the edge.
    for (int i = 0; !run.running && i < m_timeline.laneCount(); ++i) {
        if (const auto stopped = m_timeline.stoppedAt(i))
            m_timeline.advanceTo(*stopped + TimelineModel::Window / 50);
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
    m_code->setCode(config.modeOf(std::max(followed, 0)),
                    config.timeout ? std::optional(config.timeoutStyle) : std::nullopt,
                    followed >= 0 && worker.ignoresToken);
    m_code->setWorkerState(followed, worker.state);
    // Every worker of the run that runs the code shown, counted on its line.
    QList<WorkerState> onCode;
    if (run.running) {
        for (int i = 0; i < m_model->rowCount(); ++i) {
            const WorkerSnapshot other = m_model->worker(i);
            if (config.modeOf(i) == m_code->mode()
                && other.ignoresToken == m_code->showsIgnoringLoop())
                onCode.append(other.state);
        }
    }
    m_code->setWorkersOnCode(onCode);
    m_timelineView->setSelectedLane(followed);
    m_explanation->setSnapshot(run);
}

void MainWindow::showControls(const RunSnapshot &run)
{
    m_settings->showInputState(run.running, m_countdownTotal);
    const bool running = run.running;
    const bool canceled = run.isCanceled();

    m_startAction->setEnabled(!running && !m_closeRequested
                              && m_settings->inputProblems().isEmpty());
    m_cancelAllAction->setEnabled(running);
    bool workerCancelable = false;
    if (running && !canceled && m_table->selectionModel()) {
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        workerCancelable = !rows.isEmpty() && m_model->worker(rows.first().row()).isAlive()
                && !m_model->worker(rows.first().row()).isCanceled();
    }
    m_cancelWorkerAction->setEnabled(workerCancelable);
    m_saveEventsAction->setEnabled(run.hasRun);
    m_pauseAction->setEnabled(running && !m_closeRequested);
    if (!running)
        m_pauseAction->setChecked(false); // a new run starts unpaused
    m_stepAction->setEnabled(running && m_runner->isPaused());
    m_pauseButton->setEnabled(m_pauseAction->isEnabled());
    m_stepButton->setEnabled(m_stepAction->isEnabled());
    m_startButton->setEnabled(m_startAction->isEnabled());
    m_cancelAllButton->setEnabled(m_cancelAllAction->isEnabled());
    m_cancelWorkerButton->setEnabled(m_cancelWorkerAction->isEnabled());
    m_tour->setSigintEnabled(running && !canceled);

    m_settings->setRunActive(running);
}

} // namespace Demo
