// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QStringList>
#include <QtWidgets/QWidget>

QT_BEGIN_NAMESPACE
class QPainter;
QT_END_NAMESPACE

namespace Demo {

class TimelineModel;

/*!
    \class Demo::TimelineWidget
    \brief Paints a TimelineModel: one lane per worker, time on x with now at the right edge,
    each "Hello World!" a tick, the cancel a red line, the deadline a dashed line, and each
    worker's stop latency a bar from the cancel to its stop.

    Lanes share the height, at least one pixel each (a dense strip with many workers); the
    minimum height follows, so put the widget in a QScrollArea. It repaints when told to
    (update()), from the window's refresh timer. GUI thread only; the model must outlive it.
*/
class TimelineWidget : public QWidget
{
    Q_OBJECT

public:
    explicit TimelineWidget(const TimelineModel *model, QWidget *parent = nullptr);
    //! What it paints.
    const TimelineModel *model() const noexcept { return m_model; }

    //! Marks lane \a lane (0-based; -1: none), the worker the code panel follows.
    void setSelectedLane(int lane);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    //! The formats saveImage() writes: "png", and "svg" where Qt SVG was found at build time.
    static QStringList imageFormats();
    /*!
        Saves what the widget shows, at its size, as PNG or SVG by \a path's suffix (SVG as
        vector graphics). Returns \c false, with \a error set to one line, if the format is not
        one of imageFormats() or the file could not be written.
    */
    bool saveImage(const QString &path, QString *error) const;

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void paintTimeline(QPainter &painter) const;
    void paintLegend(QPainter &painter, int left, int top) const;
    int axisHeight() const;
    int laneHeight() const;
    //! The lane at \a y, or -1.
    int laneAt(int y) const;
    //! What lane \a lane shows, for its tooltip.
    QString laneText(int lane) const;
    int labelWidth() const;

    const TimelineModel *m_model;
    int m_selectedLane = -1;
    int m_lastLaneCount = -1;
};

} // namespace Demo
