-- Parlure's database and its two roles. Run as a PostgreSQL superuser, for example:
--
--   psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -f db/create_db.sql \
--        -v db=parlure -v owner=parlure_owner -v app=parlure_app \
--        -v owner_password="$PARLURE_DB_OWNER_PASSWORD" -v app_password="$PARLURE_DB_APP_PASSWORD"
--
-- (`make db-roles` does this.) Every variable is optional; the names above are the defaults, and a
-- role whose password is left empty gets none (enough where the server trusts local connections).
-- Safe to run again: existing roles and database are kept, passwords and privileges re-applied.
--
-- owner: owns the database and the schema, runs migrations and maintenance (DDL).
-- app:   what the web process and the workers use: rows only (SELECT, INSERT, UPDATE, DELETE),
--        never the schema. Default privileges give it the same rights on every table and sequence
--        the owner creates later, so a new migration needs no new GRANT.

\set ON_ERROR_STOP 1
\if :{?db} \else \set db parlure \endif
\if :{?owner} \else \set owner parlure_owner \endif
\if :{?app} \else \set app parlure_app \endif
\if :{?owner_password} \else \set owner_password '' \endif
\if :{?app_password} \else \set app_password '' \endif

-- Roles (format() quotes names and passwords; \gexec runs the statement it builds).
SELECT format('CREATE ROLE %I LOGIN', :'owner')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'app')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L',
              :'owner', NULLIF(:'owner_password', '')) \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD %L',
              :'app', NULLIF(:'app_password', '')) \gexec

-- Database, owned by the owner role.
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'owner', 'UTF8')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'db', :'app') \gexec

\connect :db
SELECT format('ALTER SCHEMA public OWNER TO %I', :'owner') \gexec
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'app') \gexec
-- Tables and sequences that exist already (the script may run after migrations) ...
SELECT format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', :'app') \gexec
SELECT format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', :'app') \gexec
-- ... and every one the owner creates from now on.
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
              'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', :'owner', :'app') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
              'GRANT USAGE, SELECT ON SEQUENCES TO %I', :'owner', :'app') \gexec
