#!/usr/bin/env bash
# Installs what building, running and testing Sluice needs on Debian 12 /
# Ubuntu 22.04+ (apt). Does nothing when everything is already there.
# Sourced by run.sh and test.sh; safe to run on its own.
set -euo pipefail

packages=(
    build-essential cmake ninja-build ccache pkg-config
    qt6-base-dev qt6-tools-dev qt6-l10n-tools qt6-tools-dev-tools qt6-svg-dev
    libqt6sql6-sqlite qtkeychain-qt6-dev libsecret-1-0 libgl-dev
    qt6-qpa-plugins fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
)
test_packages=(
    xvfb xauth gnome-keyring dbus-x11 libsecret-tools sqlite3 openssl zlib1g-dev
    clang libclang-rt-dev
)

want=("${packages[@]}")
if [[ "${1:-}" == "--test" ]]; then
    want+=("${test_packages[@]}")
fi

missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null; then
    echo "deps.sh: apt-get not found. Install these with your package manager: ${missing[*]}" >&2
    exit 1
fi
sudo=()
[[ $(id -u) -ne 0 ]] && sudo=(sudo)
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
