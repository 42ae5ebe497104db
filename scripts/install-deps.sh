#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build, test and run the project.
# Usage: scripts/install-deps.sh [extra-package ...]
# Uses sudo only when not root. Does nothing when everything is installed.
set -euo pipefail

packages=(
    cmake
    ninja-build
    g++
    qt6-base-dev
    qt6-base-dev-tools
    libgl-dev
    qt6-declarative-dev
    qml6-module-qtqml
    qml6-module-qtqml-models
    qml6-module-qtqml-workerscript
    fonts-dejavu-core
    qt6-documentation-tools
    qcoro-qt6-dev # the component Coro; without it, everything else builds
    qt6-svg-dev # the demo saves its timeline as SVG; without it, as PNG only
    reuse
    "$@"
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null; then
    sudo=(sudo)
else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
fi

echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
