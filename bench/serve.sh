#!/usr/bin/env bash
# A production-like portal for the API benchmarks: gunicorn (2 workers, DEBUG off) and one Celery
# worker on the nlp queue (concurrency 1, as in docker-compose.yml), on PostgreSQL and Redis at
# 127.0.0.1 with a throw-away database (parlure_bench). Throttling still counts every request
# (in Redis) but its rates are lifted: the benchmarks measure the server, not the per-person
# limit. Stops everything on Ctrl-C.
#
#   bash bench/serve.sh            # then, in another shell:
#   .venv/bin/python bench/api_rate.py --base-url http://127.0.0.1:8200
#   .venv/bin/python bench/corpus_annotate.py --base-url http://127.0.0.1:8200
#
# BENCH_SHADOW=1 adds a challenger for bench/shadow_latency.py: a throw-away registry under
# $PARLURE_VAR_DIR/mlflow with the shipped model as champion (v1) and again as v2, and a worker
# on the shadow queue (nice 19, one torch thread, as low-priority as the shadow is meant to be).
set -euo pipefail
cd "$(dirname "$0")/.."

# On a machine shared with other work, give each run its own database and Redis databases.
PORT=${BENCH_PORT:-8200}
DB=${BENCH_DB:-parlure_bench}
BROKER_DB=${BENCH_BROKER_DB:-13}
CACHE_DB=${BENCH_CACHE_DB:-12}
export DJANGO_SETTINGS_MODULE=portal.settings.local DJANGO_DEBUG=false
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export CELERY_BROKER_URL=redis://127.0.0.1:6379/$BROKER_DB
# Throttling counters in Redis, as in docker-compose.yml (every request reads and writes them).
export CACHE_URL=redis://127.0.0.1:6379/$CACHE_DB
export PARLURE_VAR_DIR=${PARLURE_VAR_DIR:-var/bench}
export PARLURE_API_RATE_USER=1000000/minute PARLURE_API_RATE_UPLOADS=1000000/minute
export PARLURE_WARM_UP_MODELS=register
SHADOW=${BENCH_SHADOW:-0}
if [ "$SHADOW" = 1 ]; then
  export MLFLOW_TRACKING_URI="sqlite:///$PWD/$PARLURE_VAR_DIR/mlflow/mlflow.db"
  rm -rf "$PARLURE_VAR_DIR/mlflow"
fi

psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
redis-cli -h 127.0.0.1 -p 6379 -n "$BROKER_DB" flushdb >/dev/null
redis-cli -h 127.0.0.1 -p 6379 -n "$CACHE_DB" flushdb >/dev/null
.venv/bin/python manage.py migrate -v0
if [ "$SHADOW" = 1 ]; then
  .venv/bin/python -m parlure_ml.register.registry bootstrap
  .venv/bin/python -m parlure_ml.register.registry shipped-again
  .venv/bin/python manage.py models_sync
fi

trap 'kill 0' EXIT
.venv/bin/celery -A portal worker --queues nlp --concurrency 1 --loglevel WARNING \
  --hostname "bench@%h" &
if [ "$SHADOW" = 1 ]; then
  PARLURE_TORCH_THREADS=1 nice -n 19 .venv/bin/celery -A portal worker --queues shadow \
    --concurrency 1 --loglevel WARNING --hostname "bench-shadow@%h" &
fi
.venv/bin/gunicorn portal.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 120 \
  --access-logfile /dev/null &
echo "Portal on http://127.0.0.1:$PORT/ (database $DB); Ctrl-C stops it."
wait
