// SPDX-License-Identifier: MIT
#pragma once

#include <Cancellation/reason.h>
#include <Cancellation/source.h>

#include <QtQml/qqml.h>

// Registers the library's types with QML without making the library depend on QtQml.
namespace Cancellation::Qml {

//! \c{CancellationSource { debugName: "download"; onCanceled: ... }}; its
//! canceled, reasonText and remainingTime properties work in bindings, and its
//! slots cancel() and cancelAfterMSecs() are callable.
struct SourceForeign
{
    Q_GADGET
    QML_FOREIGN(Cancellation::Source)
    QML_NAMED_ELEMENT(CancellationSource)
};

//! A Reason in QML: reason.kind, reason.message, reason.text.
struct ReasonForeign
{
    Q_GADGET
    QML_FOREIGN(Cancellation::Reason)
    QML_ANONYMOUS
};

} // namespace Cancellation::Qml
