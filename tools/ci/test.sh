#!/usr/bin/env bash
# The one test command (README, CI): lint, unit and e2e tests of every project, the build of each app on its own,
# a start of each built bundle with production dependencies only, the benchmark's smoke form (docs/benchmarks.md),
# and the short load-and-fault run (16 s of load on two replicas of each BFF with faults injected;
# docs/load-and-fault.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE="${NX_SKIP_NX_CACHE:-false}"
npx nx run-many -t lint test build --parallel=2 --output-style=static
npx nx run-many -t smoke --parallel=1 --output-style=static
# the benchmark's smoke form: every variant (baselines, floors, each app's routes) answers correctly under light load
node tools/bench/bench.mjs --smoke --no-build
node tools/load-fault/run.mjs --short
