#!/usr/bin/env bash
# `npm run migration:generate [Name]`: writes migrations/<ts>-<Name>.ts with whatever the entities add to
# the schema of DATABASE_URL (migrated to head first). "No changes" means entities and migrations agree.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:-SchemaChange}"
npx typeorm-ts-node-commonjs migration:run -d src/database/data-source.ts >/dev/null
out=$(npx typeorm-ts-node-commonjs migration:generate -d src/database/data-source.ts "migrations/$name" 2>&1) && rc=0 || rc=$?
echo "$out" | grep -v '^query' || true
if echo "$out" | grep -q 'No changes in database schema'; then exit 0; fi
exit $rc
