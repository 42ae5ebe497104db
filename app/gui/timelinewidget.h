// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QWidget>

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

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
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
