// SPDX-License-Identifier: MIT
#include "gui/focusringstyle.h"

#include <QtGui/QImage>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStyleFactory>
#include <QtWidgets/QVBoxLayout>

using namespace Demo;

namespace {

// Pixels of \a color in the outer two-pixel border of \a image.
int borderPixelsOf(const QImage &image, QColor color)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const bool border = x < 2 || y < 2 || x >= image.width() - 2 || y >= image.height() - 2;
            if (border && image.pixelColor(x, y) == color)
                ++count;
        }
    }
    return count;
}

} // namespace

class tst_FocusRingStyle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void focusedButtonHasARing();
};

// Defect: Start had no visible focus ring (Fusion only tints a focused button's frame).
void tst_FocusRingStyle::focusedButtonHasARing()
{
    FocusRingStyle style;
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *start = new QPushButton(QStringLiteral("Start"));
    auto *other = new QPushButton(QStringLiteral("Other"));
    for (QPushButton *button : { start, other }) {
        button->setStyle(&style);
        layout->addWidget(button);
    }
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QColor highlight = start->palette().color(QPalette::Highlight);

    other->setFocus();
    QTRY_VERIFY(other->hasFocus());
    const QImage unfocused = start->grab().toImage();
    start->setFocus();
    QTRY_VERIFY(start->hasFocus());
    const QImage focused = start->grab().toImage();

    // The ring: the whole two-pixel border in the highlight color, and none of it without focus.
    const int perimeter = 2 * (focused.width() + focused.height()) * 2 - 16;
    QVERIFY2(borderPixelsOf(focused, highlight) >= perimeter,
             qPrintable(QStringLiteral("%1 of %2")
                                .arg(borderPixelsOf(focused, highlight))
                                .arg(perimeter)));
    QCOMPARE(borderPixelsOf(unfocused, highlight), 0);
}

QTEST_MAIN(tst_FocusRingStyle)
#include "tst_focusringstyle.moc"
