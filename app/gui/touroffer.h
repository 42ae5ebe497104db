// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QFrame>

namespace Demo {

/*!
    \class Demo::TourOffer
    \brief The one line that offers "Learn the pattern" on the first launch, with "Start the
    tour" and "No, thanks". It only asks; the window remembers the answer. GUI thread only.
*/
class TourOffer : public QFrame
{
    Q_OBJECT

public:
    explicit TourOffer(QWidget *parent = nullptr);

Q_SIGNALS:
    void accepted();
    void declined();
};

} // namespace Demo
