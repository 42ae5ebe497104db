// SPDX-License-Identifier: MIT
#pragma once

#include "core/demooptions.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QList>
#include <QtCore/QString>

namespace Demo {

/*!
    \struct Demo::TourStep
    \brief One step of "Learn the pattern": an idea of the article, its Python beside our C++,
    and the run that shows it.
*/
struct TourStep
{
    QString title;
    QString text; //!< two or three sentences
    QString python; //!< the article's code for the idea
    QString cpp; //!< the same idea with this library
    QString then; //!< what to do once the run has started
    DemoOptions run; //!< what "Try it" sets up: every field set; no timeout switches it off
    bool sendsSigint = false; //!< the step offers "Send SIGINT"
};

//! The tour, in the article's order.
class TourContent
{
    Q_DECLARE_TR_FUNCTIONS(Demo::TourContent)

public:
    static QList<TourStep> steps();
};

} // namespace Demo
