#!/usr/bin/env bash
# `npm test`: unit, integration and e2e suites against the local PostgreSQL and Redis (no mocks of either),
# then (for the full run only) the multi-process test, alone: it needs the whole machine for about four minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/require-services.sh "${TEST_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}" "${TEST_REDIS_URL:-redis://127.0.0.1:6379/1}"
npx jest --ci --maxWorkers="${JEST_WORKERS:-2}" "$@"
if [ "$#" -eq 0 ]; then npm run --silent test:distributed; fi
