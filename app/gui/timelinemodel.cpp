// SPDX-License-Identifier: MIT
#include "timelinemodel.h"

#include <algorithm>

namespace Demo {

void TimelineModel::reset(int lanes)
{
    m_lanes.clear();
    m_lanes.resize(std::size_t(std::clamp(lanes, 0, Limits::MaxWorkers)));
    m_canceledAt.reset();
    m_deadline.reset();
}

int TimelineModel::laneCount() const noexcept
{
    return int(m_lanes.size());
}

void TimelineModel::addEvent(const WorkerEvent &event)
{
    if (event.worker < 0 || event.worker >= laneCount())
        return;
    Lane &lane = m_lanes[std::size_t(event.worker)];
    switch (event.type) {
    case WorkerEvent::Type::Started:
        lane.started = event.time;
        break;
    case WorkerEvent::Type::Printed:
        // Events arrive in time order per worker; keep the deque sorted all the same.
        if (lane.ticks.empty() || lane.ticks.back() <= event.time)
            lane.ticks.push_back(event.time);
        else
            lane.ticks.insert(std::upper_bound(lane.ticks.begin(), lane.ticks.end(), event.time),
                              event.time);
        ++lane.tickCount;
        if (lane.ticks.size() > MaxTicksPerLane)
            lane.ticks.pop_front();
        break;
    case WorkerEvent::Type::Stopped:
        lane.stopped = event.time;
        break;
    case WorkerEvent::Type::Checking:
    case WorkerEvent::Type::Sleeping:
        break;
    }
}

void TimelineModel::addEvents(const std::vector<WorkerEvent> &events)
{
    for (const WorkerEvent &event : events)
        addEvent(event);
}

void TimelineModel::advanceTo(TimePoint now)
{
    if (now <= m_now)
        return;
    m_now = now;
    for (Lane &lane : m_lanes)
        dropOld(lane);
}

void TimelineModel::dropOld(Lane &lane) const
{
    const TimePoint start = windowStart();
    while (!lane.ticks.empty() && lane.ticks.front() < start)
        lane.ticks.pop_front();
}

TimelineModel::TimePoint TimelineModel::now() const noexcept
{
    return m_now;
}

TimelineModel::TimePoint TimelineModel::windowStart() const noexcept
{
    return m_now - Window;
}

void TimelineModel::setCanceledAt(std::optional<TimePoint> time)
{
    m_canceledAt = time;
}

std::optional<TimelineModel::TimePoint> TimelineModel::canceledAt() const noexcept
{
    return m_canceledAt;
}

void TimelineModel::setLaneCanceledAt(int lane, TimePoint time)
{
    if (lane >= 0 && lane < laneCount())
        m_lanes[std::size_t(lane)].canceled = time;
}

void TimelineModel::setDeadline(std::optional<TimePoint> time)
{
    m_deadline = time;
}

std::optional<TimelineModel::TimePoint> TimelineModel::deadline() const noexcept
{
    return m_deadline;
}

const TimelineModel::Lane *TimelineModel::lane(int index) const noexcept
{
    return index >= 0 && index < laneCount() ? &m_lanes[std::size_t(index)] : nullptr;
}

const std::deque<TimelineModel::TimePoint> &TimelineModel::ticks(int index) const
{
    static const std::deque<TimePoint> none;
    const Lane *l = lane(index);
    return l ? l->ticks : none;
}

quint64 TimelineModel::tickCount(int index) const noexcept
{
    const Lane *l = lane(index);
    return l ? l->tickCount : 0;
}

std::optional<TimelineModel::TimePoint> TimelineModel::startedAt(int index) const noexcept
{
    const Lane *l = lane(index);
    return l ? l->started : std::nullopt;
}

std::optional<TimelineModel::TimePoint> TimelineModel::stoppedAt(int index) const noexcept
{
    const Lane *l = lane(index);
    return l ? l->stopped : std::nullopt;
}

std::optional<TimelineModel::TimePoint> TimelineModel::laneCanceledAt(int index) const noexcept
{
    const Lane *l = lane(index);
    if (!l)
        return std::nullopt;
    if (l->canceled && m_canceledAt)
        return std::min(*l->canceled, *m_canceledAt);
    return l->canceled ? l->canceled : m_canceledAt;
}

std::optional<std::chrono::nanoseconds> TimelineModel::stopLatency(int index) const noexcept
{
    const std::optional<TimePoint> stopped = stoppedAt(index);
    const std::optional<TimePoint> canceled = laneCanceledAt(index);
    if (!stopped || !canceled)
        return std::nullopt;
    return std::max(std::chrono::nanoseconds::zero(),
                    std::chrono::duration_cast<std::chrono::nanoseconds>(*stopped - *canceled));
}

} // namespace Demo
