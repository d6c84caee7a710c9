"""db/create_db.sql: the owner migrates; the application role changes rows, never the schema."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from django.conf import settings
from psycopg import errors

HOST, PORT, SUPERUSER = "127.0.0.1", 5432, "postgres"


@pytest.fixture(scope="module")
def roles_database() -> Iterator[dict[str, str]]:
    suffix = uuid.uuid4().hex[:8]
    names = {
        "db": f"parlure_roles_{suffix}",
        "owner": f"parlure_owner_{suffix}",
        "app": f"parlure_app_{suffix}",
    }
    script = settings.BASE_DIR / "db" / "create_db.sql"
    variables = [arg for key, value in names.items() for arg in ("-v", f"{key}={value}")]
    psql = ["psql", "-h", HOST, "-U", SUPERUSER, "-d", "postgres", "-q", "-f", str(script)]
    # Twice: the script must be safe to run again.
    for _ in range(2):
        subprocess.run([*psql, *variables], check=True, capture_output=True, timeout=60)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DATABASE_URL": f"postgres://{names['owner']}@{HOST}:{PORT}/{names['db']}",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    yield names
    with psycopg.connect(host=HOST, port=PORT, user=SUPERUSER, dbname="postgres") as admin:
        admin.autocommit = True
        admin.execute(f'DROP DATABASE IF EXISTS "{names["db"]}" WITH (FORCE)')
        for role in (names["app"], names["owner"]):
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def _connect(names: dict[str, str], role: str) -> psycopg.Connection:
    return psycopg.connect(host=HOST, port=PORT, user=names[role], dbname=names["db"])


def test_the_application_role_reads_and_writes_rows(roles_database: dict[str, str]) -> None:
    with _connect(roles_database, "app") as conn:
        conn.execute(
            "INSERT INTO accounts_user (password, is_superuser, email, display_name, is_staff,"
            " is_active, date_joined) VALUES ('!', false, 'a@example.org', '', false, true, now())"
        )
        conn.execute("UPDATE accounts_user SET display_name = 'A' WHERE email = 'a@example.org'")
        row = conn.execute("SELECT display_name FROM accounts_user").fetchone()
        assert row == ("A",)
        conn.execute("DELETE FROM accounts_user")
        assert conn.execute("SELECT count(*) FROM auth_group").fetchone() == (3,)


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE intruder (id int)",
        "ALTER TABLE annotation_submission ADD COLUMN intruder int",
        "DROP TABLE annotation_prediction",
        "TRUNCATE annotation_submission",
        "CREATE INDEX intruder ON annotation_submission (text)",
        "ALTER TABLE annotation_submission OWNER TO CURRENT_USER",
    ],
)
def test_the_application_role_cannot_change_the_schema(
    roles_database: dict[str, str], statement: str
) -> None:
    with _connect(roles_database, "app") as conn, pytest.raises(errors.InsufficientPrivilege):
        conn.execute(statement)


def test_the_owner_role_owns_every_table(roles_database: dict[str, str]) -> None:
    with _connect(roles_database, "owner") as conn:
        owners = conn.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    assert owners == [(roles_database["owner"],)]
