#!/usr/bin/env bash
# `npm test`: unit, integration, e2e and browser (headless Chromium, needs `npm run build`) suites against the local
# PostgreSQL and Redis (no mocks of either); for the full run also the web app's component tests and, last and alone,
# the multi-process test (it needs the whole machine for about four minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/require-services.sh "${TEST_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}" "${TEST_REDIS_URL:-redis://127.0.0.1:6379/1}"
if [ $# -eq 0 ] && [ -d web/node_modules ]; then npm --prefix web test; fi
npx jest --ci --maxWorkers="${JEST_WORKERS:-2}" "$@"
if [ "$#" -eq 0 ]; then npm run --silent test:distributed; fi
