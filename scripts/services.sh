#!/usr/bin/env bash
# Under CI=true (or ONEPLUONE_SERVICES=1) the tests need PostgreSQL and Redis on 127.0.0.1: start them
# when they are down, and fail loudly when they cannot be reached. Elsewhere the suite uses SQLite and
# in-process tasks, so nothing is needed.
set -euo pipefail

if [ "${CI:-}" != "true" ] && [ "${ONEPLUONE_SERVICES:-}" != "1" ]; then
  echo "Tests use SQLite and in-process Celery tasks (set CI=true to run on PostgreSQL, Redis and a real worker)."
  exit 0
fi

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up && command -v pg_ctlcluster >/dev/null; then
  echo "Starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
if ! redis_up && command -v redis-server >/dev/null; then
  echo "Starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
fi

pg_up || { echo "PostgreSQL at 127.0.0.1:5432 cannot be reached; the tests need it under CI." >&2; exit 1; }
redis_up || { echo "Redis at 127.0.0.1:6379 cannot be reached; the tests need it under CI." >&2; exit 1; }
echo "PostgreSQL and Redis are up."
