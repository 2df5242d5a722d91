#!/usr/bin/env bash
# Quick start: install what is missing, build (dev preset, -Werror), and run the
# whole test suite headless (offscreen Qt) inside a private D-Bus session with a
# real gnome-keyring Secret Service. Then the short fuzzing runs.
#   SLUICE_SKIP_FUZZ=1  skips the fuzzing stage
#   SLUICE_ASAN=1       also runs the suite under ASan+UBSan (slower)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --test

jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"

export QT_QPA_PLATFORM=offscreen
bash scripts/with-keyring.sh ctest --preset dev -j "$jobs" --timeout 300

if [[ "${SLUICE_ASAN:-0}" == "1" ]]; then
    cmake --preset asan >/dev/null
    cmake --build --preset asan -j "$jobs"
    bash scripts/with-keyring.sh ctest --preset asan -j "$jobs" --timeout 600
fi

if [[ "${SLUICE_SKIP_FUZZ:-0}" != "1" && -f scripts/fuzz.sh ]]; then
    bash scripts/fuzz.sh "${SLUICE_FUZZ_SECONDS:-60}"
fi
