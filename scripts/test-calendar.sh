#!/usr/bin/env bash
# Runs the Vitest suite with the clock set ahead (default 10 days, `FAULTLINE_CLOCK_AHEAD=+30d` for
# another offset), through Debian's libfaketime: the Node processes and the embedded ClickHouse in
# them see the same shifted wall clock, so a fixture pinned to a calendar date falls out of the
# retention window and fails. Monotonic clocks are left alone so timers keep their pace.
set -euo pipefail
cd "$(dirname "$0")/.."
lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1
if [ ! -f "$lib" ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null
fi
export FAKETIME="${FAULTLINE_CLOCK_AHEAD:-+10d}" FAKETIME_DONT_FAKE_MONOTONIC=1 LD_PRELOAD="$lib"
node -e 'console.log(`clock under test: ${new Date().toISOString()}`)'
npx vitest run "$@"
