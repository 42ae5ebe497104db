// SPDX-License-Identifier: MIT
#include <Cancellation/callbacknode.h>

namespace Cancellation::detail {

// Out of line, so that the vtable and typeinfo are emitted (and exported) here.
CallbackNode::~CallbackNode() = default;

} // namespace Cancellation::detail
