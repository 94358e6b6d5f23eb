#!/usr/bin/env bash
# Regenerates the web app's typed API client types from a running Conversa's OpenAPI document.
# Usage: npm run web:api [-- http://127.0.0.1:3000/docs-json]. The output is committed so the web build needs no server.
set -euo pipefail
cd "$(dirname "$0")/.."
npx openapi-typescript "${1:-http://127.0.0.1:3000/docs-json}" -o web/src/api/schema.d.ts
