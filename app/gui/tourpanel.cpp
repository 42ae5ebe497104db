// SPDX-License-Identifier: MIT
#include "tourpanel.h"

#include "widgetnames.h"

#include <QtGui/QFontDatabase>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>
#include <utility>

namespace Demo {

namespace {

QLabel *codeLabel()
{
    auto *label = new QLabel;
    label->setTextFormat(Qt::PlainText);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setFrameShape(QFrame::StyledPanel);
    label->setBackgroundRole(QPalette::Base);
    label->setAutoFillBackground(true);
    label->setMargin(6);
    return label;
}

QLabel *caption(const QString &text)
{
    auto *label = new QLabel(text);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

TourPanel::TourPanel(QWidget *parent)
    : QWidget(parent),
      m_steps(TourContent::steps()),
      m_heading(new QLabel),
      m_text(new QLabel),
      m_python(codeLabel()),
      m_cpp(codeLabel()),
      m_then(new QLabel),
      m_code(new QBoxLayout(QBoxLayout::TopToBottom)),
      m_previous(new QPushButton(tr("Previous"))),
      m_next(new QPushButton(tr("Next"))),
      m_try(new QPushButton(tr("Try it"))),
      m_sigint(new QPushButton(tr("Send SIGINT")))
{
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.2);
    m_heading->setFont(headingFont);
    m_heading->setWordWrap(true);
    setNames(m_heading, tr("Tour step"), tr("The step of the tour shown"));
    for (QLabel *label : { m_text, m_then })
        label->setWordWrap(true);
    setNames(m_text, tr("Tour text"), tr("The idea of this step"));
    setNames(m_then, tr("Tour action"), tr("What to do once the run has started"));
    setNames(m_python, tr("Article code"), tr("The article's Python for this idea"));
    setNames(m_cpp, tr("Library code"), tr("The same idea with this library"));
    setNames(m_previous, tr("Previous step"), tr("The tour's previous step"));
    setNames(m_next, tr("Next step"), tr("The tour's next step"));
    setNames(m_try, tr("Try it"),
             tr("Set up the run this step is about and start it (a run going on is canceled "
                "first)"));
    setNames(m_sigint, tr("Send SIGINT"),
             tr("Raise a real SIGINT in this process, as Ctrl+C in a terminal does"));
    m_sigint->setEnabled(false);
#ifndef Q_OS_UNIX
    m_sigint->setToolTip(tr("Raising SIGINT works on Unix only; press Ctrl+C in the console"));
#endif

    connect(m_previous, &QPushButton::clicked, this, [this] { setCurrentStep(m_current - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { setCurrentStep(m_current + 1); });
    connect(m_try, &QPushButton::clicked, this, [this] { Q_EMIT tryRequested(m_current); });
    connect(m_sigint, &QPushButton::clicked, this, &TourPanel::sigintRequested);

    // Try it in the first row, in view however low the dock is.
    auto *navigation = new QHBoxLayout;
    navigation->addWidget(m_previous);
    navigation->addStretch(1);
    navigation->addWidget(m_try);
    navigation->addWidget(m_sigint);
    navigation->addStretch(1);
    navigation->addWidget(m_next);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(navigation);
    layout->addWidget(m_heading);
    layout->addWidget(m_text);
    layout->addWidget(m_then);
    for (const auto &[title, code] : { std::pair(tr("The article (Python)"), m_python),
                                       std::pair(tr("This library (C++)"), m_cpp) }) {
        auto *column = new QVBoxLayout;
        column->addWidget(caption(title));
        column->addWidget(code, 1);
        m_code->addLayout(column);
    }
    layout->addLayout(m_code);
    layout->addStretch(1);

    // As wide as the widest step's code from the start, so that the width the panel is given
    // for one step fits every step, and no step scrolls sideways.
    int widest = 0;
    for (const TourStep &step : m_steps) {
        for (const QString &code : { step.python, step.cpp }) {
            m_python->setText(code);
            widest = std::max(widest, m_python->sizeHint().width());
        }
    }
    m_python->setMinimumWidth(widest);
    m_cpp->setMinimumWidth(widest);
    showStep();
}

int TourPanel::stepCount() const
{
    return int(m_steps.size());
}

const TourStep &TourPanel::step(int index) const
{
    return m_steps.at(index);
}

int TourPanel::currentStep() const
{
    return m_current;
}

void TourPanel::setCurrentStep(int step)
{
    const int clamped = std::clamp(step, 0, stepCount() - 1);
    if (clamped == m_current)
        return;
    m_current = clamped;
    showStep();
}

void TourPanel::setSigintEnabled(bool enabled)
{
#ifdef Q_OS_UNIX
    m_sigint->setEnabled(enabled);
#else
    Q_UNUSED(enabled);
#endif
}

void TourPanel::setCodeSideBySide(bool sideBySide)
{
    m_code->setDirection(sideBySide ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
}

void TourPanel::showStep()
{
    const TourStep &step = m_steps.at(m_current);
    m_heading->setText(tr("%1. %2").arg(m_current + 1).arg(step.title));
    m_text->setText(step.text);
    m_python->setText(step.python);
    m_cpp->setText(step.cpp);
    m_then->setText(tr("Then: %1").arg(step.then));
    m_sigint->setVisible(step.sendsSigint);
    m_previous->setEnabled(m_current > 0);
    m_next->setEnabled(m_current + 1 < stepCount());
}

} // namespace Demo
