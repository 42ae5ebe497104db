// SPDX-License-Identifier: MIT
#pragma once

#include <QtWidgets/QProxyStyle>

namespace Demo {

// The demo's style: Fusion, with a focus ring on push buttons that can be seen. Fusion marks a
// focused button only with a faint tint of its frame, so a keyboard user could not tell that
// Start has the focus.
class FocusRingStyle : public QProxyStyle
{
    Q_OBJECT

public:
    // Takes ownership of \a base, as QProxyStyle does; Fusion if null.
    explicit FocusRingStyle(QStyle *base = nullptr);

    void drawControl(ControlElement element, const QStyleOption *option, QPainter *painter,
                     const QWidget *widget = nullptr) const override;

    // The ring's width in device-independent pixels.
    static constexpr int RingWidth = 2;
};

} // namespace Demo
