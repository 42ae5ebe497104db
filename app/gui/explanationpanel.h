// SPDX-License-Identifier: MIT
#pragma once

#include "core/runsnapshot.h"

#include <QtCore/QString>
#include <QtWidgets/QWidget>

#include <chrono>
#include <optional>

QT_BEGIN_NAMESPACE
class QLabel;
class QToolButton;
QT_END_NAMESPACE

namespace Demo {

/*!
    \class Demo::ExplanationPanel
    \brief A collapsible "What is happening?" section: a sentence or two on the run's state,
    built by explain(). GUI thread only.
*/
class ExplanationPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ExplanationPanel(QWidget *parent = nullptr);

    void setSnapshot(const RunSnapshot &snapshot);
    QString text() const;
    bool isExpanded() const;
    void setExpanded(bool expanded);

    //! The explanation of \a snapshot, as plain text.
    static QString explain(const RunSnapshot &snapshot);

private:
    QToolButton *m_toggle;
    QLabel *m_text;
};

} // namespace Demo
