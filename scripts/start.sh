#!/usr/bin/env bash
# `npm start`: everything on one machine — build, create the database if needed, apply migrations,
# bootstrap the admin and a sandbox WhatsApp account, and serve on $PORT (3000) with all roles.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] || { cp .env.example .env; echo "Created .env from .env.example (local defaults)."; }
set -a; . ./.env; set +a
bash scripts/require-services.sh "$DATABASE_URL" "$REDIS_URL"
node scripts/ensure-database.js "$DATABASE_URL"
npm run build --silent
exec node dist/src/entrypoints/main.js
