#!/usr/bin/env bash
# The whole suite, in three passes:
#   1. SQLite + in-memory channel layer (everything but browser journeys);
#   2. PostgreSQL + Redis (the same tests again, plus those that need them);
#   (1 and 2 run side by side, one per core)
#   3. browser journeys in Chromium against a real ASGI server (own process: see docs/testing.md).
# A missing service skips its pass locally with a hint; with CI=true it is an error.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=".venv/bin/pytest"
export SAMENLAB_TESTING=true
unset DATABASE_URL REDIS_URL
CI_MODE=false; case "${CI:-}" in 1|true|TRUE|yes) CI_MODE=true;; esac
TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://samenlab:samenlab@127.0.0.1:5432/samenlab}"
TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
failed=0
mkdir -p .run

missing() {  # name, hint
  if $CI_MODE; then echo "ERROR: $1 is required in CI but not available. $2"; failed=1
  else echo "SKIPPED: $1 is not available, so its pass did not run. $2"; fi
}

reachable() {  # url
  .venv/bin/python - "$1" <<'PY'
import socket, sys
from urllib.parse import urlparse
u = urlparse(sys.argv[1])
try:
    socket.create_connection((u.hostname, u.port or {"postgres": 5432, "redis": 6379}[u.scheme]), 1).close()
except OSError:
    sys.exit(1)
PY
}

echo "== lint"
.venv/bin/ruff check . || failed=1

# Passes 1 and 2 share nothing (each its own database, channel layer, cache, ports and media), so they run side
# by side, one per core; each one's output is shown in full when both are done.
echo "== pass 1 (SQLite, in-memory channel layer) and pass 2 (PostgreSQL, Redis), side by side"
$PYTEST -m "not browser and not postgres and not redis" "$@" > .run/pass-sqlite.log 2>&1 &
sqlite_pass=$!
postgres_pass=""
if reachable "$TEST_DATABASE_URL" && reachable "$TEST_REDIS_URL"; then
  DATABASE_URL="$TEST_DATABASE_URL" REDIS_URL="$TEST_REDIS_URL" $PYTEST -m "not browser" "$@" \
    > .run/pass-postgres.log 2>&1 &
  postgres_pass=$!
else
  missing "PostgreSQL ($TEST_DATABASE_URL) or Redis ($TEST_REDIS_URL)" \
    "Start them (see README, 'Testing against PostgreSQL and Redis') or set TEST_DATABASE_URL / TEST_REDIS_URL."
fi
wait "$sqlite_pass" || failed=1
echo "== pass 1: SQLite, in-memory channel layer"
cat .run/pass-sqlite.log
if [ -n "$postgres_pass" ]; then
  wait "$postgres_pass" || failed=1
  echo "== pass 2: PostgreSQL, Redis"
  cat .run/pass-postgres.log
fi

echo "== pass 3: browser journeys (Chromium)"
if [ -x "$CHROMIUM" ]; then
  $PYTEST -m browser "$@" || failed=1
else
  missing "Chromium ($CHROMIUM)" "Install it: apt-get install chromium."
fi

if [ "$failed" -ne 0 ]; then echo "make test: FAILED"; exit 1; fi
echo "make test: all passes green"
