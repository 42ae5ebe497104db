// SPDX-License-Identifier: MIT
#include "loopcodepanel.h"

#include "livelabel.h"

#include <QtGui/QFontDatabase>
#include <QtGui/QPainter>
#include <QtGui/QTextBlock>
#include <QtGui/QTextCursor>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QVBoxLayout>

namespace Demo {

// The code, with a margin on its left that shows a number beside each line: how many workers
// are on it.
class CountedCodeView : public QPlainTextEdit
{
public:
    CountedCodeView() : m_margin(new Margin(this))
    {
        m_margin->setToolTip(LoopCodePanel::tr("How many workers are on each line now"));
        connect(this, &QPlainTextEdit::updateRequest, m_margin, [this](const QRect &rect, int dy) {
            if (dy != 0)
                m_margin->scroll(0, dy);
            else
                m_margin->update(0, rect.y(), m_margin->width(), rect.height());
        });
        setViewportMargins(marginWidth(), 0, 0, 0);
    }

    void setCounts(const QList<int> &counts)
    {
        if (counts == m_counts)
            return;
        m_counts = counts;
        m_margin->update();
    }
    const QList<int> &counts() const noexcept { return m_counts; }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QPlainTextEdit::resizeEvent(event);
        const QRect area = contentsRect();
        m_margin->setGeometry(area.left(), area.top(), marginWidth(), area.height());
    }
    void changeEvent(QEvent *event) override
    {
        QPlainTextEdit::changeEvent(event);
        if (event->type() == QEvent::FontChange)
            setViewportMargins(marginWidth(), 0, 0, 0);
    }

private:
    class Margin : public QWidget
    {
    public:
        explicit Margin(CountedCodeView *view) : QWidget(view), m_view(view) { }

    protected:
        void paintEvent(QPaintEvent *) override { m_view->paintMargin(this); }

    private:
        CountedCodeView *m_view;
    };

    int marginWidth() const { return fontMetrics().horizontalAdvance(QStringLiteral("256")) + 10; }

    void paintMargin(QWidget *margin)
    {
        QPainter painter(margin);
        painter.fillRect(margin->rect(), palette().color(QPalette::AlternateBase));
        QColor badge = palette().color(QPalette::Highlight);
        badge.setAlpha(60);
        painter.setPen(palette().color(QPalette::Text));
        for (QTextBlock block = firstVisibleBlock(); block.isValid(); block = block.next()) {
            const QRectF box = blockBoundingGeometry(block).translated(contentOffset());
            if (box.top() > margin->height())
                break;
            const int count =
                    block.blockNumber() < m_counts.size() ? m_counts.at(block.blockNumber()) : 0;
            if (count == 0)
                continue;
            const QRect rect(2, int(box.top()), margin->width() - 4, int(box.height()));
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setBrush(badge);
            painter.setPen(Qt::NoPen);
            painter.drawRoundedRect(rect.adjusted(0, 1, 0, -1), 3, 3);
            painter.setPen(palette().color(QPalette::Text));
            painter.drawText(rect, Qt::AlignCenter, QString::number(count));
        }
    }

    Margin *m_margin;
    QList<int> m_counts;
};

namespace {

// Line numbers of the worker's function in codeLines().
constexpr int FunctionLine = 0;
constexpr int LoopLine = 2;
constexpr int PollSleepLine = 3;
constexpr int PollPrintLine = 4;
constexpr int PollEndLine = 6;
constexpr int WaitPrintLine = 3;
constexpr int WaitEndLine = 5;

} // namespace

LoopCodePanel::LoopCodePanel(QWidget *parent)
    : QWidget(parent), m_caption(new QLabel), m_code(new CountedCodeView)
{
    m_code->setReadOnly(true);
    m_code->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_code->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_code->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_code->setAccessibleName(tr("Worker loop code"));
    m_code->setToolTip(tr("The loop each worker runs for the chosen wait style, and how the "
                          "timeout cancels the token. The highlighted line is where the followed "
                          "worker is now; the numbers at the left, how many workers are on each "
                          "line."));
    reserveLines(m_caption, 2);
    m_caption->setAccessibleName(tr("Followed worker"));
    m_caption->setToolTip(tr("Which worker the highlight follows: the one selected in the "
                             "workers table, or worker 1"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_caption);
    layout->addWidget(m_code, 1);
    setAccessibleName(tr("Worker loop"));
    setToolTip(m_code->toolTip());

    setCode(Limits::DefaultMode, std::nullopt, false);
    setWorkerState(-1, WorkerState::Stopped);
}

QStringList LoopCodePanel::codeLines(WaitMode mode, std::optional<TimeoutStyle> timeoutStyle,
                                     bool ignoresToken)
{
    QStringList lines;
    lines << QStringLiteral("void worker(Cancellation::Token token)") << QStringLiteral("{");
    // At most 38 characters a line: the window's default width shows them whole beside the
    // settings and the token. The caption above says what the followed worker is doing.
    if (ignoresToken) {
        lines << QStringLiteral("    for (int i = 0; i < limit; ++i) {")
              << QStringLiteral("        sleep_for(interval);")
              << QStringLiteral("        print(\"Hello World!\");") << QStringLiteral("    }")
              << QStringLiteral("}   // token unused: ends on its own");
    } else if (mode == WaitMode::Poll) {
        lines << QStringLiteral("    while (!token.isCanceled()) {")
              << QStringLiteral("        sleep_for(interval);")
              << QStringLiteral("        print(\"Hello World!\");") << QStringLiteral("    }")
              << QStringLiteral("}   // stopped: seen at its next check");
    } else {
        lines << QStringLiteral("    while (!token.waitFor(interval)) {")
              << QStringLiteral("        print(\"Hello World!\");") << QStringLiteral("    }")
              << QStringLiteral("}   // stopped: woken at once");
    }
    lines << QStringLiteral("// The run's timeout:");
    if (!timeoutStyle) {
        lines << QStringLiteral("// none: Esc, Delete or Ctrl+C cancel");
    } else if (*timeoutStyle == TimeoutStyle::Timer) {
        lines << QStringLiteral("source.cancelAfter(timeout);")
              << QStringLiteral("// a timer cancels at the deadline");
    } else {
        lines << QStringLiteral("source.cancelAfter(timeout,")
              << QStringLiteral("    Source::DeadlineCheck::PollOnly);")
              << QStringLiteral("// noticed when a worker checks");
    }
    return lines;
}

int LoopCodePanel::lineFor(WaitMode mode, WorkerState state, bool ignoresToken)
{
    const bool poll = mode == WaitMode::Poll || ignoresToken;
    switch (state) {
    case WorkerState::Starting:
        return FunctionLine;
    case WorkerState::Checking:
        return LoopLine;
    case WorkerState::Sleeping:
        return poll ? PollSleepLine : LoopLine;
    case WorkerState::Printing:
        return poll ? PollPrintLine : WaitPrintLine;
    case WorkerState::Stopping:
    case WorkerState::Stopped:
        return poll ? PollEndLine : WaitEndLine;
    }
    return -1;
}

void LoopCodePanel::setCode(WaitMode mode, std::optional<TimeoutStyle> timeoutStyle,
                            bool ignoresToken)
{
    if (m_hasCode && mode == m_mode && timeoutStyle == m_timeoutStyle
        && ignoresToken == m_ignoresToken)
        return;
    m_hasCode = true;
    m_mode = mode;
    m_timeoutStyle = timeoutStyle;
    m_ignoresToken = ignoresToken;
    m_code->setPlainText(codeLines(mode, timeoutStyle, ignoresToken).join(QLatin1Char('\n')));
    m_line = m_worker < 0 ? -1 : lineFor(m_mode, m_state, m_ignoresToken);
    updateHighlight();
    setWorkersOnCode(m_onCode);
}

void LoopCodePanel::setWorkersOnCode(const QList<WorkerState> &states)
{
    m_onCode = states;
    QList<int> counts(m_code->document()->blockCount(), 0);
    for (const WorkerState state : states) {
        const int line = lineFor(m_mode, state, m_ignoresToken);
        if (line >= 0 && line < counts.size())
            ++counts[line];
    }
    m_code->setCounts(counts);
}

QList<int> LoopCodePanel::workersPerLine() const
{
    return m_code->counts();
}

void LoopCodePanel::setWorkerState(int worker, WorkerState state)
{
    m_worker = worker;
    m_state = state;
    const int line = worker < 0 ? -1 : lineFor(m_mode, state, m_ignoresToken);
    const QString caption = worker < 0
            ? tr("No run: the highlight follows the selected worker once one runs.")
            : (m_ignoresToken ? tr("Worker %1 ignores its token and is %2.")
                              : tr("Worker %1 is %2."))
                      .arg(worker + 1)
                      .arg(state == WorkerState::Sleeping && m_mode == WaitMode::Wait
                                   ? tr("waiting on its token")
                                   : WorkerRunner::stateName(state).toLower());
    if (m_caption->text() != caption)
        m_caption->setText(caption);
    if (line == m_line)
        return;
    m_line = line;
    updateHighlight();
}

void LoopCodePanel::updateHighlight()
{
    QList<QTextEdit::ExtraSelection> selections;
    const QTextBlock block = m_code->document()->findBlockByNumber(m_line);
    if (m_line >= 0 && block.isValid()) {
        QTextEdit::ExtraSelection selection;
        selection.format.setBackground(palette().color(QPalette::Highlight));
        selection.format.setForeground(palette().color(QPalette::HighlightedText));
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selection.cursor = QTextCursor(block);
        selections.append(selection);
    }
    m_code->setExtraSelections(selections);
}

WaitMode LoopCodePanel::mode() const noexcept
{
    return m_mode;
}

bool LoopCodePanel::showsIgnoringLoop() const noexcept
{
    return m_ignoresToken;
}

int LoopCodePanel::currentLine() const noexcept
{
    return m_line;
}

QStringList LoopCodePanel::lines() const
{
    return m_code->toPlainText().split(QLatin1Char('\n'));
}

} // namespace Demo
