#!/usr/bin/env bash
# Quick start: install what is missing, build (release), start Sluice.
# Arguments are passed to the app, e.g. scripts/run.sh --model gpt-4.1
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target sluice
exec build/release/app/sluice "$@"
