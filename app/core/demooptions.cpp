// SPDX-License-Identifier: MIT
#include "demooptions.h"
