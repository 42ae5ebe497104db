#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Syntax check for Windows: compiles every lib/src/*.cpp (and the tests' platform helpers,
# tests/support/platform.cpp) with mingw-w64's GCC, -fsyntax-only, warnings as errors, so
# that the Windows branches (_WIN32, Q_OS_WIN) and the portable wait path build. It uses the
# Linux Qt headers: Qt detects the target from _WIN32, and nothing here links or runs.
# It installs nothing (Debian package: g++-mingw-w64-x86-64-posix).
# Usage: scripts/check-mingw.sh <build-dir>   (a configured build, for its generated headers)
set -euo pipefail
cd "$(dirname "$0")/.."

cxx=${MINGW_CXX:-x86_64-w64-mingw32-g++}
qt=${QT_INCLUDE_DIR:-/usr/include/x86_64-linux-gnu/qt6}

if [ $# -ne 1 ]; then
    echo "usage: scripts/check-mingw.sh <build-dir>" >&2
    exit 2
fi
generated="$1/lib/include"
if ! command -v "$cxx" >/dev/null; then
    echo "check-mingw: $cxx not found (Debian package g++-mingw-w64-x86-64-posix)" >&2
    exit 1
fi
if [ ! -f "$generated/Cancellation/cancellation_export.h" ]; then
    echo "check-mingw: $generated/Cancellation/cancellation_export.h not found; configure $1 first" >&2
    exit 1
fi
if [ ! -f "$qt/QtCore/qglobal.h" ]; then
    echo "check-mingw: Qt headers not found in $qt (Debian package qt6-base-dev)" >&2
    exit 1
fi

# The build's export header is for ELF (visibility attributes). A Windows build exports with
# __declspec(dllexport), which has rules of its own: make that header, in a directory searched
# first, for the library's own sources (CancellationToken_EXPORTS).
windows=$(mktemp -d)
trap 'rm -rf "$windows"' EXIT
mkdir -p "$windows/Cancellation"
sed -e 's/__attribute__((visibility("default")))/__declspec(dllexport)/' \
    -e 's/__attribute__((visibility("hidden")))//' \
    "$generated/Cancellation/cancellation_export.h" >"$windows/Cancellation/cancellation_export.h"

# As lib/CMakeLists.txt builds the library (its strict Qt defines), and as Qt's CMake
# builds a target for MinGW (UNICODE, WIN32, WIN64).
flags=(
    -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror
    -DUNICODE -D_UNICODE -DWIN32 -DWIN64 -DQT_CORE_LIB -DCancellationToken_EXPORTS
    -DQT_NO_CAST_FROM_ASCII -DQT_NO_CAST_TO_ASCII -DQT_NO_KEYWORDS
    -DQT_NO_NARROWING_CONVERSIONS_IN_CONNECT -DQT_NO_URL_CAST_FROM_STRING -DQT_USE_QSTRINGBUILDER
    -I"$windows" -Ilib/include -I"$generated" -Ilib/src
    -isystem "$qt" -isystem "$qt/QtCore"
)

sources=(lib/src/*.cpp tests/support/platform.cpp)
# One compiler per core (JOBS to change it); xargs fails if any of them does.
if ! printf '%s\0' "${sources[@]}" |
    xargs -0 -n 1 -P "${JOBS:-$(nproc)}" "$cxx" "${flags[@]}"; then
    echo "check-mingw: some of the ${#sources[@]} files do not compile for Windows (errors above)" >&2
    exit 1
fi
echo "check-mingw: ${#sources[@]} files compile for Windows ($("$cxx" -dumpversion), $cxx)"
