#!/usr/bin/env bash
# `npm test`: unit, integration, e2e and browser (headless Chromium, needs `npm run build`) suites against the local PostgreSQL and Redis (no mocks of either).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/require-services.sh "${TEST_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}" "${TEST_REDIS_URL:-redis://127.0.0.1:6379/1}"
# The web app's component tests (vitest) run with the whole suite, not when jest is given a selection.
if [ $# -eq 0 ] && [ -d web/node_modules ]; then npm --prefix web test; fi
exec npx jest --ci --maxWorkers="${JEST_WORKERS:-2}" "$@"
