#!/usr/bin/env bash
# Fails fast, with one clear line each, when PostgreSQL or Redis is not reachable.
# Reads DATABASE_URL / REDIS_URL (or the test defaults) and checks the TCP port only (a cluster's first node).
set -u
db_url="${1:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}}"
redis_url="${2:-${REDIS_URL:-redis://127.0.0.1:6379}}"
hostport() { local rest="${1#*://}"; rest="${rest##*@}"; rest="${rest%%/*}"; rest="${rest%%,*}"; local host="${rest%%:*}"; local port="${rest##*:}"; [ "$port" = "$rest" ] && port="$2"; echo "$host $port"; }
ok=0
read -r h p <<<"$(hostport "$db_url" 5432)"
if ! (exec 3<>"/dev/tcp/$h/$p") 2>/dev/null; then
  echo "PostgreSQL is not reachable at $h:$p. Start it: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start (or: docker compose up -d postgres)" >&2
  ok=1
fi
read -r h p <<<"$(hostport "$redis_url" 6379)"
if ! (exec 3<>"/dev/tcp/$h/$p") 2>/dev/null; then
  echo "Redis is not reachable at $h:$p. Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\" --appendonly no (or: docker compose up -d redis)" >&2
  ok=1
fi
exit $ok
