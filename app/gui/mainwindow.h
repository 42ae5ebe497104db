// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"
#include "core/linerate.h"
#include "core/runeventlog.h"
#include "core/runsnapshot.h"
#include "core/workerrunner.h"
#include "timelinemodel.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtWidgets/QMainWindow>

#include <chrono>
#include <memory>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

QT_BEGIN_NAMESPACE
class QAction;
class QGroupBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTableView;
QT_END_NAMESPACE

namespace Cancellation {
class Reason;
class SignalCanceler;
} // namespace Cancellation

namespace Demo {

class ExplanationPanel;
class LineWriter;
class LoopCodePanel;
class TimelineWidget;
class OutputPanel;
class RunSettingsPanel;
class RunStatusPanel;
class TokenTreeModel;
class TokenTreeView;
class TourDock;
class TourOffer;
class TourPanel;
class WorkerTableModel;

/*!
    \class Demo::MainWindow
    \brief The desktop demo: set up a run, start workers, cancel them all or one by one, try
    timeouts, and watch the token, the workers and their output live.

    Data flows one way: the controls make a RunConfig for the WorkerRunner; the runner's workers
    count into atomics and queue events; a 30 Hz timer on the GUI thread drains the queue and
    renders. Only the token goes back to the workers. The window never blocks on a worker:
    closing it during a run cancels the run, and it closes once the runner reports finished();
    closing it again closes it at once (isRunAbandoned()).

    Settings persist through a default-constructed QSettings; command-line options given in the
    constructor override them. GUI thread only.
*/
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // From this width of the run's area (the window less the tour beside it) on, the loop
    // panel sits beside the token rather than in a tab.
    static constexpr int WideContentWidth = 1000;
    // The run's area fits this width with the loop panel in a tab (tst_mainwindow checks it at
    // 800x600): the tour sits beside it when both fit.
    static constexpr int NarrowContentWidth = 780;
    // Refresh period: about 33 times a second.
    static constexpr std::chrono::milliseconds RefreshPeriod = std::chrono::milliseconds(30);

    explicit MainWindow(const DemoOptions &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    WorkerRunner *runner() const;

    // The run the controls describe now.
    RunConfig configFromControls() const;

    // Starts a run with the controls' settings; does nothing while one is active.
    void start();
    // Cancels the run's root token: every worker stops. Harmless when there is no run.
    void cancelAll();
    // Cancels the selected worker's own token; the others keep running.
    void cancelSelectedWorker();
    // Shows "Learn the pattern" beside the run.
    void showTour();
    // Sets up and starts the run of the tour's step \a step; a run going on is canceled first,
    // and the step's run starts once it has stopped.
    void tryTourStep(int step);
    // The window was closed a second time while the workers were still stopping: the process
    // should end without waiting for them (the destructor would join them).
    bool isRunAbandoned() const;
    // Waits up to \a timeout until every line for stdout is written; false if it is not (a
    // reader that stopped reading). The destructor would wait for it without a limit.
    bool waitForOutput(std::chrono::milliseconds timeout);
    // Saves the timeline as shown, as PNG or SVG by \a path's suffix; the last run's events as
    // CSV (RunEventLog::toCsv()). False, with a one-line message in the status bar and the log,
    // if it could not.
    bool saveTimeline(const QString &path);
    bool saveEvents(const QString &path);

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void createWidgets();
    // The loop panel beside the token when the run's area is wide, else a tab by the timeline.
    void placeLoopPanel();
    void loadSettings();
    void saveSettings() const;

    void onStarted();
    void onFinished();
    void onTokenCanceled(const Cancellation::Reason &reason);
    void onSignalReceived(int signalNumber);
    void onTimeoutEdited();
    void onSelectionChanged();
    // A token was canceled from the token tree's context menu.
    void onTreeTokenCanceled(const QModelIndex &index);
    // The tour's "Send SIGINT": a real SIGINT, which the SignalCanceler turns into a cancel.
    void raiseSigint();
    // The first-launch offer of the tour was taken or declined: it is not offered again.
    void dismissTourOffer();

    void refresh();
    void drainEvents();
    // The run now, as the tokens and the runner's counters have it.
    RunSnapshot snapshot() const;
    // Takes a snapshot, updates what follows the run (rate, timeline, table) and shows it.
    void updateStatus();
    // The Pause action and button say what they do next: pause, or resume.
    void showPauseState(bool paused);
    void sampleRate(const RunSnapshot &run);
    void feedTimeline(const RunSnapshot &run);
    // Only render: they change nothing but the widgets.
    void showControls(const RunSnapshot &run);
    void showVisuals(const RunSnapshot &run);

    // Adds "-- note --" to the log, in time order with the workers' lines.
    void appendNote(const QString &note, std::chrono::steady_clock::time_point time);
    // Asks where to save, then saves with \a save.
    void saveAs(const QString &title, const QString &filter, const QString &suffix,
                bool (MainWindow::*save)(const QString &));
    // Says in the status bar and the log that \a what was saved, or why not.
    bool reportSaved(const QString &what, bool saved, const QString &error);

    WorkerRunner *m_runner;
    WorkerTableModel *m_model;
    Cancellation::SignalCanceler *m_signalCanceler;
    QTimer m_refreshTimer;
    const std::unique_ptr<LineWriter> m_stdout;
    bool m_closeRequested = false;
    bool m_runAbandoned = false;
    int m_runNumber = 0;
    TourPanel *m_tour = nullptr;
    TourDock *m_tourDock = nullptr;
    TourOffer *m_tourOffer = nullptr;
    std::optional<int> m_pendingTourStep; // starts when the run going on has stopped
    int m_signalsThisRun = 0;
    bool m_cancelNoted = false; // the current run's cancel is in the log

    // The timeout the countdown counts from: the value armed last, at start or while running.
    std::optional<std::chrono::nanoseconds> m_countdownTotal;
    // (time, total lines) samples over the last second, for lines per second.
    LineRate m_lineRate;
    double m_linesPerSecond = 0;
    // Notes for the log, merged with the lines at the next drain.

    QAction *m_startAction = nullptr;
    QAction *m_cancelAllAction = nullptr;
    QAction *m_cancelWorkerAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_stepAction = nullptr;

    RunSettingsPanel *m_settings = nullptr;
    QPushButton *m_startButton = nullptr;
    QPushButton *m_cancelAllButton = nullptr;
    QPushButton *m_cancelWorkerButton = nullptr;
    QPushButton *m_pauseButton = nullptr;
    QPushButton *m_stepButton = nullptr;

    RunStatusPanel *m_status = nullptr;
    QTableView *m_table = nullptr;
    TokenTreeModel *m_tokenModel = nullptr;
    TokenTreeView *m_tokenTree = nullptr;
    OutputPanel *m_output = nullptr;
    QSplitter *m_splitter = nullptr;

    TimelineModel m_timeline;
    TimelineWidget *m_timelineView = nullptr;
    RunEventLog m_events; // the last run's, for saveEvents()
    QAction *m_saveTimelineAction = nullptr;
    QAction *m_saveEventsAction = nullptr;
    QTabWidget *m_tabs = nullptr;
    QGroupBox *m_loopPanel = nullptr;
    QHBoxLayout *m_topRow = nullptr;
    LoopCodePanel *m_code = nullptr;
    ExplanationPanel *m_explanation = nullptr;
};

} // namespace Demo
