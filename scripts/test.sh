#!/usr/bin/env bash
# `npm test`: unit, integration and e2e suites against the local PostgreSQL and Redis (no mocks of either).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/require-services.sh "${TEST_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}" "${TEST_REDIS_URL:-redis://127.0.0.1:6379/1}"
exec npx jest --ci --maxWorkers="${JEST_WORKERS:-2}" "$@"
