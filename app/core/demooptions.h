// SPDX-License-Identifier: MIT
#pragma once

namespace Demo {

// Placeholder; the console issue replaces it with the parsed command-line options.
struct DemoOptions
{
    bool console = false;
};

} // namespace Demo
