// SPDX-License-Identifier: MIT
#pragma once

#include "stats.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <array>
#include <optional>
#include <vector>

namespace Bench {

//! A goal from the issue, judged on one figure of a Row. Never loosened here.
struct Goal
{
    enum class Kind { None, AtMost, Below, AtLeast, Equal };
    //! Which figure is judged: the ratio of the medians, or a statistic of the token's own figure.
    enum class On { Ratio, Median, Min, Max };

    Kind kind = Kind::None;
    On on = On::Ratio;
    double threshold = 0;

    static Goal ratioAtMost(double threshold) { return { Kind::AtMost, On::Ratio, threshold }; }
    static Goal medianAtMost(double threshold) { return { Kind::AtMost, On::Median, threshold }; }
    static Goal medianBelow(double threshold) { return { Kind::Below, On::Median, threshold }; }
    static Goal maxBelow(double threshold) { return { Kind::Below, On::Max, threshold }; }
    static Goal minAtLeast(double threshold) { return { Kind::AtLeast, On::Min, threshold }; }
    static Goal maxEqual(double threshold) { return { Kind::Equal, On::Max, threshold }; }
};

//! One line of the table: the token's figure and, if there is one, the standard library's, one
//! value per repeated run; shown as min / median / max.
struct Row
{
    QString id; //!< stable key for --json, such as "poll.isCanceled"
    QString section;
    QString label;
    QString unit;
    std::vector<double> token;
    //! Paired with token run by run: both were measured interleaved in the same run.
    std::optional<std::vector<double>> baseline;
    Goal goal;
    QString note;

    Summary tokenSummary() const { return summarize(token); }
    std::optional<Summary> baselineSummary() const;
    //! The per-run ratios token / baseline, if there is a baseline: min / median / max.
    std::optional<Summary> ratios() const;
    //! The median of the per-run ratios, if there is a baseline.
    std::optional<double> ratio() const;
    //! The figure the goal is judged on, if there is a goal.
    std::optional<double> judged() const;
    //! Whether the goal is met, if there is one (and, for a ratio goal, a baseline).
    std::optional<bool> met() const;
    //! "≤ 1.5×", "< 5 ms", ...; empty without a goal.
    QString goalText() const;
};

//! Where and from what the figures were measured.
struct Machine
{
    QString cpu;
    int cores = 0;
    QString kernel;
    QString compiler;
    QString qt;
    QString buildType;
    QString commit;
    QString date;
    //! The 1, 5 and 15-minute load averages when the run started; 0 if unknown.
    double load[3] = { 0, 0, 0 };
    //! The process's nice value; a run at -20 holds its own against other work on a busy machine.
    int nice = 0;

    static Machine current();
    //! The 1, 5 and 15-minute load averages now (getloadavg()), or zeros if unknown.
    static std::array<double, 3> loadAverage();
};

//! CPU time used by the whole machine and by this process, to tell how much other work ran.
struct CpuUsage
{
    //! /proc/stat (Linux), all CPUs: time neither idle nor waiting for I/O, time stolen by
    //! the hypervisor included; 0 if unknown.
    double machineBusySeconds = 0;
    //! getrusage(): this process and the children it waited for (Windows: this process).
    double ownSeconds = 0;
    double wallSeconds = 0;

    static CpuUsage now();
};

/*!
    \class Bench::Report
    \brief Collects the rows and prints them as a Markdown table or as JSON.
*/
class Report
{
public:
    Report(Machine machine, QString command);

    //! The load average when the run ended, for the record.
    void setEndLoad(const std::array<double, 3> &load) { m_endLoad = load; }
    /*!
        The CPU usage at the start and at the end of the run. What other processes used in
        between is printed, and a run during which they used more than 10% of the cores is
        flagged. (The load average cannot tell: the benchmark's own 64-worker figures raise it
        by 2 or more on 2 cores, and it decays over minutes after an earlier run.)
    */
    void setCpuUsage(const CpuUsage &start, const CpuUsage &end);
    //! The settings of the run, printed above the table and stored in the JSON.
    void setParameters(const QString &text, const QJsonObject &json);
    void add(Row row);
    const std::vector<Row> &rows() const noexcept { return m_rows; }

    //! The header (machine, commit, command), the table and the notes, for the README.
    QString markdown() const;
    //! The same figures for machines.
    QByteArray json() const;

    //! A figure formatted with three significant digits or so.
    static QString format(double value);

private:
    Machine m_machine;
    QString m_command;
    std::array<double, 3> m_endLoad { 0, 0, 0 };
    //! The share of all cores that other processes used during the run; empty if unknown.
    std::optional<double> m_otherCpuShare;
    QString m_parametersText;
    QJsonObject m_parameters;
    std::vector<Row> m_rows;
};

} // namespace Bench
