// SPDX-License-Identifier: MIT
// Compiled into every target that links CancellationToken::Qml. Referencing
// the module's registration keeps the backing library linked, also with
// --as-needed; once loaded, it registers the types, and its resources hold
// the qmldir under qrc:/qt-project.org/imports, which the QML engine searches.

void qml_register_types_Cancellation();

namespace {
#if defined(__GNUC__)
__attribute__((used))
#endif
void (*const cancellationQmlModule)() = &qml_register_types_Cancellation;
} // namespace
