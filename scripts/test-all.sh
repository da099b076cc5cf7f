#!/usr/bin/env bash
# The one test command: installs what the tests need (npm packages, Debian's Chromium), then runs
# type checks, lint, unit + integration tests (Vitest, real embedded ClickHouse) and browser tests.
set -euo pipefail
# No network beyond the package registries: keep Next.js from trying to report telemetry.
export NEXT_TELEMETRY_DISABLED=1
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Not `npm ci`: chdb lists optional native packages for other platforms that the registry
  # doesn't serve, so they can't be in the lock file and `npm ci` refuses it as out of sync.
  npm install --no-audit --no-fund
fi

step "Chromium for Playwright"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
/usr/bin/chromium --version

step "DDL bundle"
npx tsx scripts/bundleSql.ts

step "typecheck"
npx tsc --noEmit -p .

step "lint"
npx eslint .

mkdir -p test-reports
rm -f test-reports/*.json

step "unit and integration tests (Vitest)"
npx vitest run --project unit --project integration --reporter=default --reporter=json --outputFile.json=test-reports/vitest.json

# Alone: the healthy demo must raise no finding for 10 minutes, and another test's load stalling
# its services would open breakers for reasons of this machine, not the demo's.
step "the healthy demo stays quiet (Vitest, 10 minutes, alone)"
npx vitest run --project quiet --reporter=default --reporter=json --outputFile.json=test-reports/vitest-quiet.json

if [ -f playwright.config.ts ]; then
  step "dashboard build"
  npx next build
  step "end-to-end tests (Playwright, Chromium)"
  PLAYWRIGHT_JSON_OUTPUT_NAME=test-reports/playwright.json npx playwright test --reporter=list,json
fi

npx tsx scripts/testSummary.ts test-reports/vitest.json test-reports/vitest-quiet.json test-reports/playwright.json
