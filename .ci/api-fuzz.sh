#!/usr/bin/env bash
# A bounded schemathesis run against the live API: every operation of the OpenAPI schema gets
# generated requests (valid and invalid), and the run fails on any server error (5xx) or any
# response that does not match the schema. CI runs it before the test suite (.ci/run).
#
#   bash .ci/api-fuzz.sh                  # 50 examples per operation (API_FUZZ_EXAMPLES)
#
# It starts what it needs: a throw-away PostgreSQL database (parlure_fuzz), gunicorn on
# 127.0.0.1:$API_FUZZ_PORT with DEBUG off (as in production), and a member with an API key and a
# corpus of their own, so that requests reach real objects, not only 404s. No Celery worker: jobs
# stay queued (in Redis db 14, emptied at the end). The member is not staff, so the staff
# endpoints answer 403, as documented.
#
# One schemathesis worker: with several threads, Python 3.11's ast module (used by hypothesis to
# describe strategies) can fail with "AST constructor recursion depth mismatch", a tool error.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT=${API_FUZZ_PORT:-8765}
EXAMPLES=${API_FUZZ_EXAMPLES:-50}
DB=parlure_fuzz
REPORTS=var/reports/schemathesis
work=$(mktemp -d)

export DJANGO_SETTINGS_MODULE=portal.settings.local DJANGO_DEBUG=false
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export CELERY_BROKER_URL=redis://127.0.0.1:6379/14
export PARLURE_VAR_DIR=$work/var
# The run sends thousands of requests as one person: throttling would answer 429 to most.
export PARLURE_API_RATE_USER=1000000/minute PARLURE_API_RATE_ANON=1000000/minute
export PARLURE_API_RATE_UPLOADS=1000000/minute

# shellcheck disable=SC2329  # called by the trap below
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  redis-cli -h 127.0.0.1 -p 6379 -n 14 flushdb >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
$PY manage.py migrate -v0
# A member, their key, a corpus and a text submission; printed as shell assignments.
eval "$($PY manage.py shell -v0 -c '
from accounts.services import api_token_create, user_create
from corpora.services import corpus_create
from annotation.services import submission_create_text
user = user_create(email="fuzz@example.org", password="fuzz-not-a-secret-1")
_token, key = api_token_create(user=user, name="schemathesis")
corpus = corpus_create(owner=user, name="Fuzz corpus")
submission, _created = submission_create_text(user=user, text="Bonjour à tous.", corpus=corpus)
print(f"KEY={key} CORPUS_ID={corpus.public_id} SUBMISSION_ID={submission.public_id}")
')"
export KEY CORPUS_ID SUBMISSION_ID

# The server's own log (Django's included: a 500 logs its traceback there) goes to a file that is
# searched afterwards, which also keeps thousands of "Bad Request" lines out of the CI log.
.venv/bin/gunicorn portal.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
  --access-logfile /dev/null 2>"$work/gunicorn.log" &
server=$!
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/healthz/" >/dev/null 2>&1 && break
  sleep 1
done

mkdir -p "$REPORTS"
status=0
.venv/bin/schemathesis --config-file .ci/schemathesis.toml run \
  "http://127.0.0.1:$PORT/api/v1/schema/?format=json" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "$EXAMPLES" --seed 20261124 --generation-database none \
  --workers 1 \
  --report junit --report-junit-path "$REPORTS/junit.xml" || status=$?
if grep -q "Internal Server Error\|Traceback" "$work/gunicorn.log"; then
  echo "The server logged errors during the run:" >&2
  grep -B2 -A20 "Traceback" "$work/gunicorn.log" | head -80 >&2
  status=1
fi
exit "$status"
