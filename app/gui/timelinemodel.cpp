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
    m_deadlineChanges.clear();
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
        addLine(lane, event.time);
        break;
    case WorkerEvent::Type::Stopped:
        lane.stopped = event.time;
        break;
    case WorkerEvent::Type::Checking:
    case WorkerEvent::Type::Sleeping:
        break;
    }
}

void TimelineModel::addLine(Lane &lane, TimePoint time) const
{
    ++lane.tickCount;
    // Events arrive in time order per worker; keep both deques sorted all the same.
    lane.recent.insert(std::upper_bound(lane.recent.begin(), lane.recent.end(), time), time);
    if (lane.recent.size() > RecentTicks)
        lane.recent.pop_front();

    const auto sinceEpoch = time.time_since_epoch();
    const TimePoint start(sinceEpoch - sinceEpoch % BinWidth);
    if (start + BinWidth <= windowStart())
        return; // already out of the window
    ++lane.linesInWindow;
    const auto byStart = [](const Bin &bin, TimePoint t) { return bin.start < t; };
    const auto it = std::lower_bound(lane.bins.begin(), lane.bins.end(), start, byStart);
    if (it != lane.bins.end() && it->start == start)
        ++it->lines;
    else
        lane.bins.insert(it, Bin { start, 1 });
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
    // A bin stays while any of it is in the window.
    const TimePoint start = windowStart();
    while (!lane.bins.empty() && lane.bins.front().start + BinWidth <= start) {
        lane.linesInWindow -= lane.bins.front().lines;
        lane.bins.pop_front();
    }
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

void TimelineModel::setWorker(int lane, const WorkerSnapshot &worker)
{
    if (lane >= 0 && lane < laneCount())
        m_lanes[std::size_t(lane)].worker = worker;
}

const WorkerSnapshot &TimelineModel::worker(int index) const noexcept
{
    static const WorkerSnapshot none;
    const Lane *l = lane(index);
    return l ? l->worker : none;
}

void TimelineModel::setDeadline(std::optional<TimePoint> time)
{
    if (time == m_deadline)
        return;
    using Kind = DeadlineChange::Kind;
    const Kind kind = !time             ? Kind::Disarmed
            : m_deadlineChanges.empty() ? Kind::Armed
                                        : Kind::Rearmed;
    m_deadlineChanges.push_back({ m_now, kind });
    m_deadline = time;
}

const std::vector<TimelineModel::DeadlineChange> &TimelineModel::deadlineChanges() const noexcept
{
    return m_deadlineChanges;
}

std::chrono::seconds TimelineModel::ahead() const noexcept
{
    return m_deadlineChanges.empty() || ended() ? std::chrono::seconds::zero() : Ahead;
}

bool TimelineModel::ended() const noexcept
{
    return !m_lanes.empty() && std::all_of(m_lanes.begin(), m_lanes.end(), [](const Lane &lane) {
        return lane.stopped.has_value();
    });
}

std::optional<TimelineModel::TimePoint> TimelineModel::deadline() const noexcept
{
    return m_deadline;
}

const TimelineModel::Lane *TimelineModel::lane(int index) const noexcept
{
    return index >= 0 && index < laneCount() ? &m_lanes[std::size_t(index)] : nullptr;
}

const std::deque<TimelineModel::Bin> &TimelineModel::bins(int index) const
{
    static const std::deque<Bin> none;
    const Lane *l = lane(index);
    return l ? l->bins : none;
}

quint64 TimelineModel::linesInWindow(int index) const noexcept
{
    const Lane *l = lane(index);
    return l ? l->linesInWindow : 0;
}

const std::deque<TimelineModel::TimePoint> &TimelineModel::recentTicks(int index) const
{
    static const std::deque<TimePoint> none;
    const Lane *l = lane(index);
    return l ? l->recent : none;
}

int TimelineModel::linesAfterCancel(int index) const noexcept
{
    const Lane *l = lane(index);
    const std::optional<TimePoint> canceled = laneCanceledAt(index);
    if (!l || !canceled)
        return 0;
    return int(std::count_if(l->recent.cbegin(), l->recent.cend(),
                             [&](TimePoint tick) { return tick >= *canceled; }));
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
    const std::optional<TimePoint> &own = l->worker.cancelDueAt;
    if (own && m_canceledAt)
        return std::min(*own, *m_canceledAt);
    return own ? own : m_canceledAt;
}

} // namespace Demo
