// SPDX-License-Identifier: MIT
#include "report.h"

#include "platform.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QSysInfo>
#include <QtCore/QtGlobal>

#include <algorithm>
#include <cmath>
#include <thread>

namespace Bench {

namespace {

QString cpuModel()
{
    const QString model = TestPlatform::cpuModel();
    return model.isEmpty() ? QSysInfo::currentCpuArchitecture() : model;
}

QString git(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral("git"),
                  QStringList { QStringLiteral("-C"), QStringLiteral(CANCELLATION_SOURCE_DIR) }
                          + arguments);
    if (!process.waitForFinished(5000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0)
        return QString();
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
}

QString currentCommit()
{
    const QString hash = git(
            { QStringLiteral("rev-parse"), QStringLiteral("--short=12"), QStringLiteral("HEAD") });
    if (hash.isEmpty())
        return QStringLiteral("unknown");
    const QString changes = git({ QStringLiteral("status"), QStringLiteral("--porcelain"),
                                  QStringLiteral("--untracked-files=no") });
    return changes.isEmpty() ? hash : hash + QStringLiteral("-dirty");
}

QJsonValue toJson(const std::optional<Summary> &summary)
{
    if (!summary)
        return QJsonValue::Null;
    return QJsonObject { { QStringLiteral("min"), summary->min },
                         { QStringLiteral("median"), summary->median },
                         { QStringLiteral("max"), summary->max } };
}

QJsonArray toJsonArray(const std::vector<double> &values)
{
    QJsonArray array;
    for (double value : values)
        array.append(value);
    return array;
}

QString spread(const Summary &summary)
{
    return Report::format(summary.min) + QStringLiteral(" / ") + Report::format(summary.median)
            + QStringLiteral(" / ") + Report::format(summary.max);
}

QString onName(Goal::On on)
{
    switch (on) {
    case Goal::On::Ratio:
        return QStringLiteral("ratio");
    case Goal::On::Median:
        return QStringLiteral("median");
    case Goal::On::Min:
        return QStringLiteral("min");
    case Goal::On::Max:
        return QStringLiteral("max");
    }
    return QString();
}

QString resultText(const Row &row)
{
    const std::optional<bool> met = row.met();
    if (!met)
        return row.goal.kind == Goal::Kind::None ? QString() : QStringLiteral("no figure");
    if (*met)
        return QStringLiteral("met");
    const double judged = *row.judged();
    const double threshold = row.goal.threshold;
    const QString unit =
            row.goal.on == Goal::On::Ratio ? QStringLiteral("×") : QLatin1Char(' ') + row.unit;
    switch (row.goal.kind) {
    case Goal::Kind::AtMost:
    case Goal::Kind::Below:
        if (threshold > 0)
            return QStringLiteral("**missed** by %1%")
                    .arg(std::round((judged / threshold - 1) * 100));
        return QStringLiteral("**missed**: ") + Report::format(judged) + unit;
    case Goal::Kind::AtLeast:
        return QStringLiteral("**missed** by ") + Report::format(threshold - judged) + unit;
    case Goal::Kind::Equal:
        return QStringLiteral("**missed**: ") + Report::format(judged) + unit;
    case Goal::Kind::None:
        break;
    }
    return QString();
}

} // namespace

std::optional<Summary> Row::baselineSummary() const
{
    if (!baseline)
        return std::nullopt;
    return summarize(*baseline);
}

std::optional<Summary> Row::ratios() const
{
    if (!baseline || baseline->size() != token.size())
        return std::nullopt;
    std::vector<double> values;
    for (std::size_t run = 0; run < token.size(); ++run) {
        if ((*baseline)[run] != 0)
            values.push_back(token[run] / (*baseline)[run]);
    }
    if (values.empty())
        return std::nullopt;
    return summarize(values);
}

std::optional<double> Row::ratio() const
{
    const std::optional<Summary> summary = ratios();
    return summary ? std::optional<double>(summary->median) : std::nullopt;
}

std::optional<double> Row::judged() const
{
    if (goal.kind == Goal::Kind::None)
        return std::nullopt;
    switch (goal.on) {
    case Goal::On::Ratio:
        return ratio();
    case Goal::On::Median:
        return tokenSummary().median;
    case Goal::On::Min:
        return tokenSummary().min;
    case Goal::On::Max:
        return tokenSummary().max;
    }
    return std::nullopt;
}

std::optional<bool> Row::met() const
{
    const std::optional<double> value = judged();
    if (!value)
        return std::nullopt;
    switch (goal.kind) {
    case Goal::Kind::AtMost:
        return *value <= goal.threshold;
    case Goal::Kind::Below:
        return *value < goal.threshold;
    case Goal::Kind::AtLeast:
        return *value >= goal.threshold;
    case Goal::Kind::Equal:
        return *value == goal.threshold;
    case Goal::Kind::None:
        break;
    }
    return std::nullopt;
}

QString Row::goalText() const
{
    QString op;
    switch (goal.kind) {
    case Goal::Kind::None:
        return QString();
    case Goal::Kind::AtMost:
        op = QStringLiteral("≤ ");
        break;
    case Goal::Kind::Below:
        op = QStringLiteral("< ");
        break;
    case Goal::Kind::AtLeast:
        op = QStringLiteral("≥ ");
        break;
    case Goal::Kind::Equal:
        op = QStringLiteral("= ");
        break;
    }
    switch (goal.on) {
    case Goal::On::Ratio:
        return op + Report::format(goal.threshold) + QStringLiteral("×");
    case Goal::On::Median:
        return op + Report::format(goal.threshold) + QLatin1Char(' ') + unit;
    case Goal::On::Min:
        return QStringLiteral("min ") + op + Report::format(goal.threshold) + QLatin1Char(' ')
                + unit;
    case Goal::On::Max:
        return QStringLiteral("max ") + op + Report::format(goal.threshold) + QLatin1Char(' ')
                + unit;
    }
    return QString();
}

Machine Machine::current()
{
    Machine machine;
    machine.cpu = cpuModel();
    machine.cores = static_cast<int>(std::thread::hardware_concurrency());
    machine.kernel = QSysInfo::kernelType() + QLatin1Char(' ') + QSysInfo::kernelVersion();
#if defined(__clang__)
    machine.compiler = QStringLiteral("Clang ") + QString::fromLatin1(__clang_version__);
#elif defined(__GNUC__)
    machine.compiler = QStringLiteral("GCC ") + QString::fromLatin1(__VERSION__);
#else
    machine.compiler = QStringLiteral("unknown compiler");
#endif
    machine.qt = QString::fromLatin1(qVersion());
    machine.buildType = QStringLiteral(CANCELLATION_BUILD_TYPE);
    machine.commit = currentCommit();
    machine.date = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    machine.nice = TestPlatform::niceValue();
    const std::array<double, 3> load = loadAverage();
    std::copy(load.begin(), load.end(), machine.load);
    return machine;
}

std::array<double, 3> Machine::loadAverage()
{
    return TestPlatform::loadAverage();
}

CpuUsage CpuUsage::now()
{
    CpuUsage usage;
    usage.wallSeconds = static_cast<double>(nowNs()) / 1e9;
    usage.machineBusySeconds = TestPlatform::machineBusySeconds();
    usage.ownSeconds = TestPlatform::processCpuSeconds();
    return usage;
}

Report::Report(Machine machine, QString command)
    : m_machine(std::move(machine)), m_command(std::move(command))
{
}

void Report::setCpuUsage(const CpuUsage &start, const CpuUsage &end)
{
    const double wall = end.wallSeconds - start.wallSeconds;
    if (start.machineBusySeconds <= 0 || wall <= 0 || m_machine.cores <= 0)
        return;
    const double others = (end.machineBusySeconds - start.machineBusySeconds)
            - (end.ownSeconds - start.ownSeconds);
    m_otherCpuShare = std::max(0.0, others) / (wall * m_machine.cores);
}

void Report::setParameters(const QString &text, const QJsonObject &json)
{
    m_parametersText = text;
    m_parameters = json;
}

void Report::add(Row row)
{
    m_rows.push_back(std::move(row));
}

QString Report::format(double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("—");
    const double magnitude = std::fabs(value);
    int decimals = 3;
    if (magnitude >= 100 || value == std::round(value))
        decimals = 0;
    else if (magnitude >= 10)
        decimals = 1;
    else if (magnitude >= 1)
        decimals = 2;
    return QString::number(value, 'f', decimals);
}

QString Report::markdown() const
{
    QString text;
    text += QStringLiteral("Machine: %1, %2 cores, %3; %4, Qt %5, %6 build.  \n")
                    .arg(m_machine.cpu)
                    .arg(m_machine.cores)
                    .arg(m_machine.kernel, m_machine.compiler, m_machine.qt, m_machine.buildType);
    text += QStringLiteral("Commit: %1, measured %2.  \n").arg(m_machine.commit, m_machine.date);
    text += QStringLiteral(
                    "Load average (1, 5, 15 min) at start: %1, %2, %3; at end: %4, %5, %6%7.  \n")
                    .arg(m_machine.load[0], 0, 'f', 2)
                    .arg(m_machine.load[1], 0, 'f', 2)
                    .arg(m_machine.load[2], 0, 'f', 2)
                    .arg(m_endLoad[0], 0, 'f', 2)
                    .arg(m_endLoad[1], 0, 'f', 2)
                    .arg(m_endLoad[2], 0, 'f', 2)
                    .arg(m_machine.nice != 0
                                 ? QStringLiteral("; run at nice %1").arg(m_machine.nice)
                                 : QString());
    if (!m_parametersText.isEmpty())
        text += QStringLiteral("Parameters: %1.  \n").arg(m_parametersText);
    text += QStringLiteral("Command: `%1`  \n").arg(m_command);
    if (m_machine.buildType != QLatin1String("Release"))
        text += QStringLiteral(
                "**Warning: not a Release build; these figures are not meaningful.**\n\n");
    if (m_otherCpuShare)
        text += QStringLiteral("Other processes used %1% of the %2 cores during the run (all CPU "
                               "time in /proc/stat less this process's).  \n")
                        .arg(*m_otherCpuShare * 100, 0, 'f', 1)
                        .arg(m_machine.cores);
    text += QLatin1Char('\n');
    if (m_otherCpuShare.value_or(0) > 0.1)
        text += QStringLiteral("**Warning: the machine was busy (other processes used %1% of the "
                               "cores during the run); the latency goals assume an idle "
                               "machine.**\n\n")
                        .arg(*m_otherCpuShare * 100, 0, 'f', 1);
    text += QStringLiteral(
            "Each cell is min / median / max over repeated runs. Ratio = token ÷ std, "
            "paired run by run (both were measured interleaved in the same run): the "
            "median, with min–max in brackets. A goal is judged on the median ratio, or on "
            "the statistic it names (the median if none).\n\n");
    text += QStringLiteral("| Figure | Token | std | Ratio | Goal | Result |\n");
    text += QStringLiteral("|---|---|---|---|---|---|\n");
    QString section;
    QStringList notes;
    for (const Row &row : m_rows) {
        if (row.section != section) {
            section = row.section;
            text += QStringLiteral("| **%1** | | | | | |\n").arg(section);
        }
        const std::optional<Summary> ratios = row.ratios();
        const std::optional<Summary> baseline = row.baselineSummary();
        text += QStringLiteral("| %1 (%2) | %3 | %4 | %5 | %6 | %7 |\n")
                        .arg(row.label, row.unit, spread(row.tokenSummary()),
                             baseline ? spread(*baseline) : QString(),
                             ratios ? QStringLiteral("%1× (%2–%3)")
                                              .arg(format(ratios->median), format(ratios->min),
                                                   format(ratios->max))
                                    : QString(),
                             row.goalText(), resultText(row));
        if (!row.note.isEmpty())
            notes += QStringLiteral("- %1: %2").arg(row.label, row.note);
    }
    if (!notes.isEmpty())
        text += QStringLiteral("\n") + notes.join(QLatin1Char('\n')) + QLatin1Char('\n');
    return text;
}

QByteArray Report::json() const
{
    QJsonArray rows;
    for (const Row &row : m_rows) {
        QJsonObject object {
            { QStringLiteral("id"), row.id },
            { QStringLiteral("section"), row.section },
            { QStringLiteral("label"), row.label },
            { QStringLiteral("unit"), row.unit },
            { QStringLiteral("token"), toJson(row.tokenSummary()) },
            { QStringLiteral("std"), toJson(row.baselineSummary()) },
            { QStringLiteral("ratio"), toJson(row.ratios()) },
            { QStringLiteral("tokenRuns"), toJsonArray(row.token) },
            { QStringLiteral("stdRuns"),
              row.baseline ? QJsonValue(toJsonArray(*row.baseline))
                           : QJsonValue(QJsonValue::Null) },
        };
        if (row.goal.kind != Goal::Kind::None) {
            const std::optional<double> judged = row.judged();
            const std::optional<bool> met = row.met();
            object.insert(QStringLiteral("goal"),
                          QJsonObject {
                                  { QStringLiteral("text"), row.goalText() },
                                  { QStringLiteral("on"), onName(row.goal.on) },
                                  { QStringLiteral("threshold"), row.goal.threshold },
                                  { QStringLiteral("judged"),
                                    judged ? QJsonValue(*judged) : QJsonValue(QJsonValue::Null) },
                                  { QStringLiteral("met"),
                                    met ? QJsonValue(*met) : QJsonValue(QJsonValue::Null) },
                          });
        }
        if (!row.note.isEmpty())
            object.insert(QStringLiteral("note"), row.note);
        rows.append(object);
    }
    const QJsonObject machine {
        { QStringLiteral("cpu"), m_machine.cpu },
        { QStringLiteral("cores"), m_machine.cores },
        { QStringLiteral("kernel"), m_machine.kernel },
        { QStringLiteral("compiler"), m_machine.compiler },
        { QStringLiteral("qt"), m_machine.qt },
        { QStringLiteral("buildType"), m_machine.buildType },
        { QStringLiteral("nice"), m_machine.nice },
        { QStringLiteral("loadAverage"),
          QJsonArray { m_machine.load[0], m_machine.load[1], m_machine.load[2] } },
        { QStringLiteral("loadAverageAtEnd"),
          QJsonArray { m_endLoad[0], m_endLoad[1], m_endLoad[2] } },
        { QStringLiteral("otherCpuShare"),
          m_otherCpuShare ? QJsonValue(*m_otherCpuShare) : QJsonValue() },
    };
    const QJsonObject root {
        { QStringLiteral("machine"), machine },
        { QStringLiteral("commit"), m_machine.commit },
        { QStringLiteral("date"), m_machine.date },
        { QStringLiteral("command"), m_command },
        { QStringLiteral("parameters"), m_parameters },
        { QStringLiteral("rows"), rows },
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace Bench
