// SPDX-License-Identifier: MIT
#include <Cancellation/reason.h>
#include <Cancellation/source.h>

#include <QtCore/QDebug>
#include <QtCore/QMetaProperty>
#include <QtCore/QVariant>
#include <QtTest/QTest>

#include <csignal>
#include <type_traits>

using namespace Cancellation;
using namespace std::chrono_literals;

class tst_Reason : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void DefaultIsNone();
    void ToString_data();
    void ToString();
    void SignalNumberOnlyForSystemSignal();
    void ParentRootChains();
    void Equality();
    void VariantAndGadgetProperties();
    void DebugOutput_data();
    void DebugOutput();
};

void tst_Reason::DefaultIsNone()
{
    const Reason reason;
    QCOMPARE(reason.kind(), Reason::Kind::None);
    QVERIFY(!reason.isCanceled());
    QVERIFY(reason.message().isEmpty());
    QCOMPARE(reason.signalNumber(), 0);
    QCOMPARE(reason.canceledAt(), std::chrono::steady_clock::time_point());
    QCOMPARE(reason.parent().kind(), Reason::Kind::None);
    QVERIFY(reason.root() == reason);
    QCOMPARE(reason.toString(), QStringLiteral("not canceled"));

    // Kind None carries nothing: a message given with it is dropped.
    const Reason none(Reason::Kind::None, QStringLiteral("ignored"), SIGINT);
    QVERIFY(none.message().isEmpty());
    QCOMPARE(none.signalNumber(), 0);
    QVERIFY(none == reason);

    // What a live token reports.
    Source source;
    QVERIFY(source.reason() == Reason());
    QVERIFY(source.token().reason() == Reason());
}

void tst_Reason::ToString_data()
{
    QTest::addColumn<Reason::Kind>("kind");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("expected");

    QTest::newRow("none") << Reason::Kind::None << QString() << 0 << QStringLiteral("not canceled");
    QTest::newRow("user") << Reason::Kind::UserRequest << QString() << 0
                          << QStringLiteral("canceled by user");
    QTest::newRow("user+message") << Reason::Kind::UserRequest << QStringLiteral("stop button") << 0
                                  << QStringLiteral("canceled by user: stop button");
    QTest::newRow("timeout") << Reason::Kind::Timeout << QString() << 0
                             << QStringLiteral("timed out");
    QTest::newRow("timeout+message") << Reason::Kind::Timeout << QStringLiteral("slow disk") << 0
                                     << QStringLiteral("timed out: slow disk");
    QTest::newRow("SIGINT") << Reason::Kind::SystemSignal << QString() << int(SIGINT)
                            << QStringLiteral("canceled by SIGINT");
    QTest::newRow("SIGTERM+message") << Reason::Kind::SystemSignal << QStringLiteral("bye")
                                     << int(SIGTERM) << QStringLiteral("canceled by SIGTERM: bye");
#ifdef SIGHUP
    QTest::newRow("SIGHUP") << Reason::Kind::SystemSignal << QString() << int(SIGHUP)
                            << QStringLiteral("canceled by SIGHUP");
#endif
    QTest::newRow("other signal") << Reason::Kind::SystemSignal << QString() << 42
                                  << QStringLiteral("canceled by signal 42");
    QTest::newRow("parent, no cause") << Reason::Kind::ParentCanceled << QString() << 0
                                      << QStringLiteral("parent canceled (not canceled)");
}

void tst_Reason::ToString()
{
    QFETCH(Reason::Kind, kind);
    QFETCH(QString, message);
    QFETCH(int, signalNumber);
    QFETCH(QString, expected);

    const Reason reason(kind, message, signalNumber);
    QCOMPARE(reason.kind(), kind);
    QCOMPARE(reason.isCanceled(), kind != Reason::Kind::None);
    QCOMPARE(reason.message(), message);
    QCOMPARE(reason.toString(), expected);
    // The Q_GADGET property "text" is toString().
    const QMetaObject &mo = Reason::staticMetaObject;
    const QMetaProperty text = mo.property(mo.indexOfProperty("text"));
    QVERIFY(text.isValid());
    QCOMPARE(text.readOnGadget(&reason).toString(), expected);
}

void tst_Reason::SignalNumberOnlyForSystemSignal()
{
    QCOMPARE(Reason(Reason::Kind::SystemSignal, QString(), SIGINT).signalNumber(), int(SIGINT));
    QCOMPARE(Reason(Reason::Kind::UserRequest, QString(), SIGINT).signalNumber(), 0);
    QCOMPARE(Reason(Reason::Kind::Timeout, QString(), SIGTERM).signalNumber(), 0);
    QCOMPARE(Reason(Reason::Kind::ParentCanceled, QString(), SIGTERM).signalNumber(), 0);
}

void tst_Reason::ParentRootChains()
{
    // A real chain: root times out; child and grandchild follow as ParentCanceled.
    Source root;
    Source child(root.token());
    Source grandchild(child.token());
    const auto before = std::chrono::steady_clock::now();
    QVERIFY(root.cancelAfter(0ns));

    const Reason rootReason = root.reason();
    const Reason childReason = child.reason();
    const Reason grandReason = grandchild.reason();

    QCOMPARE(rootReason.kind(), Reason::Kind::Timeout);
    QCOMPARE(rootReason.parent().kind(), Reason::Kind::None);
    QVERIFY(rootReason.root() == rootReason); // not ParentCanceled: its own root

    QCOMPARE(childReason.kind(), Reason::Kind::ParentCanceled);
    QVERIFY(childReason.parent() == rootReason);
    QVERIFY(childReason.root() == rootReason);

    QCOMPARE(grandReason.kind(), Reason::Kind::ParentCanceled);
    QVERIFY(grandReason.parent() == childReason);
    QVERIFY(grandReason.parent().parent() == rootReason);
    QVERIFY(grandReason.root() == rootReason);
    QCOMPARE(grandReason.root().kind(), Reason::Kind::Timeout);
    QCOMPARE(grandReason.toString(),
             QStringLiteral("parent canceled (parent canceled (timed out))"));

    // Cancellation times follow the propagation order.
    QVERIFY(rootReason.canceledAt() >= before);
    QVERIFY(childReason.canceledAt() >= rootReason.canceledAt());
    QVERIFY(grandReason.canceledAt() >= childReason.canceledAt());

    // A ParentCanceled reason made by hand has no parent: root() stops at it.
    const Reason orphan(Reason::Kind::ParentCanceled);
    QCOMPARE(orphan.parent().kind(), Reason::Kind::None);
    QVERIFY(orphan.root() == orphan);
}

void tst_Reason::Equality()
{
    const Reason user(Reason::Kind::UserRequest, QStringLiteral("a"));
    const Reason copy = user; // NOLINT(performance-unnecessary-copy-initialization)
    QVERIFY(copy == user);
    QVERIFY(user == user);
    QVERIFY(!(user == Reason()));
    QVERIFY(!(Reason() == user));
    QVERIFY(Reason() == Reason());

    // Different content compares unequal, whatever the timestamps.
    QVERIFY(!(user == Reason(Reason::Kind::UserRequest, QStringLiteral("b"))));
    QVERIFY(!(user == Reason(Reason::Kind::Timeout, QStringLiteral("a"))));
    QVERIFY(!(Reason(Reason::Kind::SystemSignal, QString(), SIGINT)
              == Reason(Reason::Kind::SystemSignal, QString(), SIGTERM)));

    // Every observer of one cancellation sees the same Reason.
    Source source;
    Reason fromSignal;
    connect(&source, &Source::canceled, this,
            [&fromSignal](const Reason &reason) { fromSignal = reason; });
    Reason fromCallback;
    const Registration registration = source.token().onCanceled(
            [&fromCallback](const Reason &reason) { fromCallback = reason; });
    QVERIFY(source.cancelWithMessage(QStringLiteral("done")));
    QCOMPARE(source.reason().message(), QStringLiteral("done"));
    QVERIFY(fromSignal == source.reason());
    QVERIFY(fromCallback == source.reason());
    QVERIFY(source.token().reason() == source.reason());
}

void tst_Reason::VariantAndGadgetProperties()
{
    const Reason reason(Reason::Kind::SystemSignal, QStringLiteral("m"), SIGTERM);
    const QVariant variant = QVariant::fromValue(reason);
    QCOMPARE(variant.metaType(), QMetaType::fromType<Reason>());
    QVERIFY(variant.value<Reason>() == reason);

    const QMetaObject &mo = Reason::staticMetaObject;
    const auto read = [&](const char *name) {
        const QMetaProperty property = mo.property(mo.indexOfProperty(name));
        return property.isValid() ? property.readOnGadget(&reason) : QVariant();
    };
    QCOMPARE(read("kind").value<Reason::Kind>(), Reason::Kind::SystemSignal);
    QCOMPARE(read("message").toString(), QStringLiteral("m"));
    QCOMPARE(read("signalNumber").toInt(), int(SIGTERM));
    QCOMPARE(read("text").toString(), QStringLiteral("canceled by SIGTERM: m"));
}

void tst_Reason::DebugOutput_data()
{
    QTest::addColumn<Reason>("reason");
    QTest::addColumn<QString>("expected");

    QTest::newRow("none") << Reason() << QStringLiteral("Cancellation::Reason(None)");
    QTest::newRow("user") << Reason(Reason::Kind::UserRequest)
                          << QStringLiteral("Cancellation::Reason(UserRequest)");
    QTest::newRow("timeout+message") << Reason(Reason::Kind::Timeout, QStringLiteral("slow"))
                                     << QStringLiteral("Cancellation::Reason(Timeout, \"slow\")");
}

void tst_Reason::DebugOutput()
{
    QFETCH(Reason, reason);
    QFETCH(QString, expected);
    QString text;
    QDebug(&text) << reason;
    // QDebug may qualify the enumerator (Qt version dependent); compare without the scope.
    text.replace(QStringLiteral("Cancellation::Reason::Kind::"), QString());
    text.replace(QStringLiteral("Cancellation::Reason::"), QString());
    QCOMPARE(text.trimmed(), expected);
}

// A Kind is not a Reason: comparing the two would always be false, so it does not compile.
static_assert(!std::is_convertible_v<Cancellation::Reason::Kind, Cancellation::Reason>);
static_assert(std::is_constructible_v<Cancellation::Reason, Cancellation::Reason::Kind>);
template<typename T>
concept ComparableWithReason = requires(Cancellation::Reason reason, T value)
{
    reason == value;
};
static_assert(!ComparableWithReason<Cancellation::Reason::Kind>);
static_assert(ComparableWithReason<Cancellation::Reason>);

QTEST_GUILESS_MAIN(tst_Reason)
#include "tst_reason.moc"
