#!/usr/bin/env bash
# Make sure the services the tests use answer: PostgreSQL on 127.0.0.1:5432 (user postgres, trust)
# and Redis on 127.0.0.1:6379. Starts them if they are down; installs them from Debian's packages
# if they are missing. Idempotent.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
pg_up() { have pg_isready && pg_isready -h 127.0.0.1 -p 5432 -q; }
redis_up() { have redis-cli && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }
wait_for() { for _ in $(seq 1 30); do "$1" && return 0; sleep 1; done; echo "$2 did not start" >&2; return 1; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

if ! pg_up; then
  if ! have pg_ctlcluster; then
    echo "Installing PostgreSQL from Debian's packages…" >&2
    apt_install postgresql
    # A fresh cluster asks for passwords on TCP; the tests connect as postgres over 127.0.0.1.
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    hba=/etc/postgresql/$version/main/pg_hba.conf
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  echo "Starting PostgreSQL…" >&2
  for version in $(ls /etc/postgresql); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  wait_for pg_up PostgreSQL
fi

if ! redis_up; then
  have redis-server || { echo "Installing Redis from Debian's packages…" >&2; apt_install redis-server; }
  echo "Starting Redis…" >&2
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for redis_up Redis
fi

# gettext compiles the translations; espeak-ng speaks the French test recordings; Chromium runs
# the browser test (fed a WAV as its microphone).
missing=()
have msgfmt || missing+=(gettext)
have espeak-ng || missing+=(espeak-ng)
have chromium || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian's packages…" >&2
  apt_install "${missing[@]}"
fi
echo "PostgreSQL and Redis are up." >&2
