// SPDX-License-Identifier: MIT
#include "timelinewidget.h"

#include "runtext.h"
#include "timelineaxis.h"
#include "timelinemodel.h"

#include "core/durationparser.h"

#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>
#include <QtGui/QHelpEvent>
#include <QtGui/QImage>
#include <QtGui/QImageWriter>
#include <QtGui/QPainter>
#include <QtWidgets/QToolTip>

#if CANCELLATION_DEMO_HAS_SVG
#  include <QtSvg/QSvgGenerator>
#endif

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

namespace Demo {

namespace {

constexpr int MaxLaneHeight = 40;
// Below this, 256 lanes would merge into one wall: the timeline scrolls instead.
constexpr int MinLaneHeight = 3;
// Accents that read on light and dark backgrounds alike.
const QColor CancelColor(220, 50, 47);
const QColor LatencyColor(230, 126, 34);
const QColor DeadlineColor(108, 113, 196);

} // namespace

TimelineWidget::TimelineWidget(const TimelineModel *model, QWidget *parent)
    : QWidget(parent), m_model(model)
{
    setAccessibleName(tr("Timeline"));
    setToolTip(tr("<p>The last %1 s up to now; once the run has a deadline, also the next "
                  "%2 s, shaded. One lane per worker.</p>"
                  "<p><b>Ticks</b> (highlight color): a \"Hello World!\" line; <b>red "
                  "ticks</b>: a line printed after the worker's token was canceled, as poll "
                  "mode's last line. <b>Dark mark</b>: the worker stopped. "
                  "<b>Red line</b>: the token was canceled. <b>Dashed line</b>: the deadline, "
                  "passed or ahead. <b>Triangle</b> on top: the deadline was armed or re-armed "
                  "there; <b>cross</b>: disarmed. "
                  "<b>Orange bar</b>: from the cancel to the worker's stop, its stop latency; "
                  "it grows while the worker has not noticed. In poll mode the bars run up to "
                  "one interval; waiting on the token, they are too short to see.</p>")
                       .arg(std::chrono::seconds(TimelineModel::Window).count())
                       .arg(std::chrono::seconds(TimelineModel::Ahead).count()));
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void TimelineWidget::setSelectedLane(int lane)
{
    if (lane == m_selectedLane)
        return;
    m_selectedLane = lane;
    update();
}

int TimelineWidget::axisHeight() const
{
    return fontMetrics().height() + 6;
}

int TimelineWidget::labelWidth() const
{
    return fontMetrics().horizontalAdvance(QStringLiteral("256")) + 8;
}

int TimelineWidget::laneHeight() const
{
    const int lanes = m_model->laneCount();
    const int plotHeight = std::max(1, height() - axisHeight() - 2);
    return lanes > 0 ? std::clamp(plotHeight / lanes, MinLaneHeight, MaxLaneHeight) : MaxLaneHeight;
}

int TimelineWidget::laneAt(int y) const
{
    const int lane = y / laneHeight();
    return y >= 0 && lane < m_model->laneCount() ? lane : -1;
}

QString TimelineWidget::laneText(int lane) const
{
    const quint64 lines = m_model->linesInWindow(lane);
    QString text = tr("Worker %1: %2 in the last %3 s")
                           .arg(lane + 1)
                           .arg(lines == 1 ? tr("1 line") : tr("%1 lines").arg(lines))
                           .arg(std::chrono::seconds(TimelineModel::Window).count());
    if (const int after = m_model->linesAfterCancel(lane); after > 0)
        text += after == 1 ? tr(", 1 of them after its cancel")
                           : tr(", %1 of them after its cancel").arg(after);
    // The stop as the table's tooltip tells it, from the same RunSnapshot.
    const WorkerSnapshot &worker = m_model->worker(lane);
    if (worker.stopLatency)
        return tr("%1; %2.").arg(text, RunText::stop(worker));
    if (m_model->stoppedAt(lane))
        return tr("%1; ended on its own.").arg(text);
    if (m_model->laneCanceledAt(lane))
        return worker.ignoresToken ? tr("%1; canceled, ignoring it.").arg(text)
                                   : tr("%1; canceled, not stopped yet.").arg(text);
    return text + QLatin1Char('.');
}

bool TimelineWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int lane = help->pos().x() >= labelWidth() ? laneAt(help->pos().y()) : -1;
        // Over a lane: what it shows; elsewhere, the legend.
        QToolTip::showText(help->globalPos(), lane >= 0 ? laneText(lane) : toolTip(), this);
        return true;
    }
    return QWidget::event(event);
}

QSize TimelineWidget::sizeHint() const
{
    return { 600,
             std::max(160, std::min(m_model->laneCount(), 16) * MaxLaneHeight + axisHeight()) };
}

QSize TimelineWidget::minimumSizeHint() const
{
    // Lanes far enough apart to tell apart; the scroll area around scrolls beyond that.
    return { 200, std::max(60, m_model->laneCount() * MinLaneHeight + axisHeight() + 4) };
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    if (m_model->laneCount() != m_lastLaneCount) {
        m_lastLaneCount = m_model->laneCount();
        updateGeometry();
    }
    QPainter painter(this);
    paintTimeline(painter);
}

QStringList TimelineWidget::imageFormats()
{
#if CANCELLATION_DEMO_HAS_SVG
    return { QStringLiteral("png"), QStringLiteral("svg") };
#else
    return { QStringLiteral("png") };
#endif
}

bool TimelineWidget::saveImage(const QString &path, QString *error) const
{
    const QString format = QFileInfo(path).suffix().toLower();
    if (!imageFormats().contains(format)) {
        *error = tr("%1: the timeline can be saved as %2")
                         .arg(QFileInfo(path).fileName(),
                              imageFormats().join(QLatin1String(" or ")).toUpper());
        return false;
    }
    // Written in full or not at all: a failed save leaves no half file behind.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = tr("%1: %2").arg(path, file.errorString());
        return false;
    }
#if CANCELLATION_DEMO_HAS_SVG
    if (format == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size());
        svg.setViewBox(rect());
        svg.setTitle(tr("Cancellation token demo: timeline"));
        QPainter painter(&svg);
        paintTimeline(painter);
        painter.end();
    }
#endif
    if (format == QLatin1String("png")) {
        const qreal scale = devicePixelRatioF();
        QImage image(size() * scale, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(scale);
        QPainter painter(&image);
        paintTimeline(painter);
        painter.end();
        QImageWriter writer(&file, "png");
        if (!writer.write(image)) {
            *error = tr("%1: %2").arg(path, writer.errorString());
            return false;
        }
    }
    if (!file.commit()) {
        *error = tr("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void TimelineWidget::paintTimeline(QPainter &painter) const
{
    using namespace std::chrono;
    painter.setFont(font()); // an image or SVG painter starts with the application's
    const QPalette pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Base));

    const int lanes = m_model->laneCount();
    const int left = labelWidth();
    const int plotWidth = std::max(1, width() - left - 4);
    const int laneHeight = this->laneHeight();
    // The past window, then the future once the run has had a deadline.
    const seconds ahead = m_model->ahead();
    const auto windowNs = duration_cast<nanoseconds>(TimelineModel::Window + ahead).count();
    const auto start = m_model->windowStart();
    const auto xOf = [&](TimelineModel::TimePoint t) {
        const double f = double(duration_cast<nanoseconds>(t - start).count()) / double(windowNs);
        return left + int(std::lround(std::clamp(f, -0.01, 1.01) * plotWidth));
    };
    const int bottom = lanes * laneHeight;

    // Lanes: alternate shading, the selected lane marked, lane numbers where they fit.
    const QColor text = pal.color(QPalette::Text);
    QColor faint = text;
    faint.setAlpha(60);
    const bool numbered = laneHeight >= fontMetrics().height() - 2;
    for (int i = 0; i < lanes; ++i) {
        const QRect laneRect(left, i * laneHeight, plotWidth, laneHeight);
        if (laneHeight >= 4 && i % 2 == 1)
            painter.fillRect(laneRect, pal.color(QPalette::AlternateBase));
        if (i == m_selectedLane) {
            QColor selected = pal.color(QPalette::Highlight);
            selected.setAlpha(50);
            painter.fillRect(QRect(0, i * laneHeight, width(), std::max(laneHeight, 2)), selected);
        }
        if (numbered) {
            painter.setPen(pal.color(QPalette::PlaceholderText));
            painter.drawText(QRect(0, i * laneHeight, left - 4, laneHeight),
                             Qt::AlignRight | Qt::AlignVCenter, QString::number(i + 1));
        }
    }

    // Seconds grid and axis. Once every worker has stopped, the right edge is the run's end.
    const bool ended = m_model->ended();
    painter.setPen(faint);
    const int axisTop = bottom + 2;
    const int windowSeconds = int(duration_cast<seconds>(TimelineModel::Window).count());
    const int aheadSeconds = int(ahead.count());
    for (int s = 0; s <= windowSeconds + aheadSeconds; ++s) {
        const int x =
                left + int(std::lround(double(s) * plotWidth / (windowSeconds + aheadSeconds)));
        painter.drawLine(x, 0, x, bottom);
    }
    // The future: shaded, with now as its edge.
    if (aheadSeconds > 0) {
        const int nowX = xOf(m_model->now());
        QColor future = text;
        future.setAlpha(14);
        painter.fillRect(QRect(nowX, 0, left + plotWidth - nowX, bottom), future);
        QColor edge = text;
        edge.setAlpha(120);
        painter.fillRect(QRect(nowX, 0, 1, bottom), edge);
    }
    painter.setPen(pal.color(QPalette::PlaceholderText));
    const auto labels =
            TimelineAxis::labels(fontMetrics(), left, plotWidth, width(), axisTop, windowSeconds,
                                 ended ? tr("end") : tr("now"), aheadSeconds);
    for (const TimelineAxis::Label &label : labels)
        painter.drawText(label.rect.left(), label.rect.top() + fontMetrics().ascent(), label.text);

    // Each worker's life, start to stop, as a thin line through its lane.
    QColor life = text;
    life.setAlpha(90);
    for (int i = 0; i < lanes; ++i) {
        const auto started = m_model->startedAt(i);
        if (!started)
            continue;
        const auto stopped = m_model->stoppedAt(i);
        if (stopped && *stopped < start)
            continue;
        const int x0 = xOf(std::max(*started, start));
        const int x1 = xOf(stopped ? *stopped : m_model->now());
        painter.fillRect(QRect(x0, i * laneHeight + laneHeight / 2, std::max(1, x1 - x0), 1), life);
    }

    // Stop latency bars: from the cancel to the stop, or to now while the worker has not noticed.
    for (int i = 0; i < lanes; ++i) {
        const auto canceled = m_model->laneCanceledAt(i);
        if (!canceled)
            continue;
        const auto stopped = m_model->stoppedAt(i);
        if (!m_model->startedAt(i) && !stopped)
            continue;
        const auto end = stopped ? *stopped : m_model->now();
        const int x0 = xOf(*canceled);
        const int x1 = std::max(xOf(end), x0 + 2); // a stop at once is still a visible mark
        const int inset = laneHeight >= 6 ? laneHeight / 4 : 0;
        QColor bar = LatencyColor;
        if (!stopped)
            bar.setAlpha(150);
        painter.fillRect(
                QRect(x0, i * laneHeight + inset, x1 - x0, std::max(1, laneHeight - 2 * inset)),
                bar);
    }

    // Lines: one mark per pixel column at most, from the model's bins, so 1 ms lines cost no
    // more than 1 s ones and none is dropped. Lines printed after the lane's cancel (poll mode's
    // last line) are drawn in the cancel's color, at their exact time.
    const QColor tickColor = pal.color(QPalette::Highlight);
    const int tickWidth = laneHeight >= 6 ? 2 : 1;
    for (int i = 0; i < lanes; ++i) {
        // Thin lanes keep a one-pixel gap, so that neighbours do not merge.
        const int inset = laneHeight >= 6 ? laneHeight / 6 : 0;
        const int y0 = i * laneHeight + inset;
        const int h = std::max(1, laneHeight - 2 * inset - (laneHeight < 6 ? 1 : 0));
        int lastX = -1;
        for (const TimelineModel::Bin &bin : m_model->bins(i)) {
            const int x = xOf(std::max(bin.start, start));
            if (x == lastX)
                continue;
            lastX = x;
            painter.fillRect(QRect(x, y0, tickWidth, h), tickColor);
        }
        const auto canceled = m_model->laneCanceledAt(i);
        for (const auto tick : m_model->recentTicks(i)) {
            if (canceled && tick >= *canceled && tick >= start) {
                lastX = xOf(tick);
                painter.fillRect(
                        QRect(lastX, i * laneHeight, tickWidth + 1, std::max(1, laneHeight)),
                        CancelColor);
            }
        }
        // The stop: a dark end mark in the lane, beside a line printed just before it.
        if (const auto stopped = m_model->stoppedAt(i); stopped && *stopped >= start) {
            const int x = std::max(xOf(*stopped), lastX + tickWidth + 1);
            painter.fillRect(QRect(x, i * laneHeight, 2, std::max(1, laneHeight)), text);
        }
        // A worker canceled alone: a short red mark in its own lane.
        if (const auto own = m_model->laneCanceledAt(i);
            own && own != m_model->canceledAt() && *own >= start)
            painter.fillRect(QRect(xOf(*own), i * laneHeight, 2, std::max(1, laneHeight)),
                             CancelColor);
    }

    // The deadline (dashed) across every lane, passed or ahead; one further ahead than the
    // timeline reaches is an arrow at the right edge that says when, while the run goes on.
    const auto end = m_model->now() + ahead;
    // A deadline after the run's cancel never came: it is not drawn.
    const auto runCanceled = m_model->canceledAt();
    if (const auto deadline = m_model->deadline();
        deadline && *deadline >= start && (!runCanceled || *deadline <= *runCanceled)) {
        painter.setPen(QPen(DeadlineColor, 2, Qt::DashLine));
        if (*deadline <= end) {
            const int x = xOf(*deadline);
            painter.drawLine(x, 0, x, bottom);
        } else if (bottom > 0 && !ended) {
            const int x = left + plotWidth - 1;
            const int y = std::min(bottom, fontMetrics().height()) / 2;
            painter.setPen(QPen(DeadlineColor, 2));
            painter.drawLine(x - 8, y - 4, x, y);
            painter.drawLine(x - 8, y + 4, x, y);
            const QString in =
                    tr("deadline in %1").arg(DurationParser::format(*deadline - m_model->now()));
            const int w = fontMetrics().horizontalAdvance(in);
            painter.drawText(
                    QRect(x - 12 - w, y - fontMetrics().height() / 2, w, fontMetrics().height()),
                    Qt::AlignRight | Qt::AlignVCenter, in);
        }
    }
    // Where the deadline was armed or re-armed (a triangle on the top edge) or disarmed (a
    // cross).
    for (const TimelineModel::DeadlineChange &change : m_model->deadlineChanges()) {
        if (change.time < start)
            continue;
        const int x = xOf(change.time);
        painter.setPen(QPen(DeadlineColor, 2));
        if (change.kind == TimelineModel::DeadlineChange::Kind::Disarmed) {
            painter.drawLine(x - 4, 1, x + 4, 9);
            painter.drawLine(x - 4, 9, x + 4, 1);
        } else {
            painter.setBrush(DeadlineColor);
            painter.drawPolygon(QPolygon({ QPoint(x - 5, 0), QPoint(x + 5, 0), QPoint(x, 8) }));
            painter.setBrush(Qt::NoBrush);
        }
    }
    if (const auto canceled = m_model->canceledAt(); canceled && *canceled >= start) {
        painter.setPen(QPen(CancelColor, 2));
        const int x = xOf(*canceled);
        painter.drawLine(x, 0, x, bottom);
    }

    // A legend under the axis, where there is room for it.
    const int legendTop = axisTop + fontMetrics().height() + 8;
    if (lanes > 0 && legendTop + fontMetrics().height() <= height())
        paintLegend(painter, left, legendTop);

    if (lanes == 0) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter,
                         tr("Start a run to see each worker's lines over time."));
    }
}

void TimelineWidget::paintLegend(QPainter &painter, int left, int top) const
{
    const QFontMetrics metrics = fontMetrics();
    const int h = metrics.height();
    const int swatch = h - 4;
    struct Entry
    {
        QString text;
        std::function<void(const QRect &)> draw;
    };
    const QColor tick = palette().color(QPalette::Highlight);
    const std::vector<Entry> entries {
        { tr("a line"), [&](const QRect &r) { painter.fillRect(r.adjusted(4, 0, -4, 0), tick); } },
        { tr("the cancel, and a line after it"),
          [&](const QRect &r) { painter.fillRect(r.adjusted(4, 0, -4, 0), CancelColor); } },
        { tr("deadline"),
          [&](const QRect &r) {
              painter.setPen(QPen(DeadlineColor, 2, Qt::DashLine));
              painter.drawLine(r.center().x(), r.top(), r.center().x(), r.bottom());
          } },
        { tr("deadline armed or re-armed"),
          [&](const QRect &r) {
              painter.setPen(Qt::NoPen);
              painter.setBrush(DeadlineColor);
              painter.drawPolygon(
                      QPolygon({ r.topLeft(), r.topRight(), QPoint(r.center().x(), r.bottom()) }));
              painter.setBrush(Qt::NoBrush);
          } },
        { tr("deadline disarmed"),
          [&](const QRect &r) {
              const QRect cross = r.adjusted(2, 2, -2, -2);
              painter.setPen(QPen(DeadlineColor, 2));
              painter.drawLine(cross.topLeft(), cross.bottomRight());
              painter.drawLine(cross.bottomLeft(), cross.topRight());
          } },
        { tr("cancel to stop"),
          [&](const QRect &r) { painter.fillRect(r.adjusted(0, 2, 0, -2), LatencyColor); } },
        { tr("stopped"),
          [&](const QRect &r) {
              painter.fillRect(r.adjusted(4, 0, -4, 0), palette().color(QPalette::Text));
          } },
    };
    int x = left;
    for (const Entry &entry : entries) {
        const int w = swatch + 4 + metrics.horizontalAdvance(entry.text);
        if (x + w > width() - 4 && x > left) { // the next row, if there is room for it
            x = left;
            top += h + 2;
        }
        if (x + w > width() - 4 || top + h > height())
            break; // what does not fit is in the tooltip
        entry.draw(QRect(x, top + 2, swatch, swatch));
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(QRect(x + swatch + 4, top, w - swatch - 4, h), Qt::AlignVCenter,
                         entry.text);
        x += w + metrics.horizontalAdvance(QStringLiteral("   "));
    }
}

} // namespace Demo
