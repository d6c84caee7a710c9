#!/usr/bin/env bash
# Run by the postgres image on its first start: Parlure's database and roles (db/create_db.sql).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -f /opt/parlure/create_db.sql \
  -v owner_password="$PARLURE_DB_OWNER_PASSWORD" -v app_password="$PARLURE_DB_APP_PASSWORD"
