#!/usr/bin/env bash
# `npm start`: everything on one machine — build, create the database if needed, apply migrations,
# bootstrap the admin and a sandbox WhatsApp account, and serve on $PORT (3000) with all roles.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] || { cp .env.example .env; echo "Created .env from .env.example (local defaults)."; }
# The app reads .env itself and real environment variables win; sourcing .env here would override them.
database_url="$(node scripts/env-value.js DATABASE_URL)"
redis_url="$(node scripts/env-value.js REDIS_URL)"
bash scripts/require-services.sh "$database_url" "$redis_url"
node scripts/ensure-database.js "$database_url"
npm run build --silent
exec node dist/src/entrypoints/main.js
