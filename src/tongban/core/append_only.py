"""Database triggers that refuse UPDATE and DELETE on the audit tables.

They stop the application (and anyone editing the database casually) from rewriting history;
someone with the rights to drop a trigger can still do it, which is what the hash chain and the
signed checkpoints are for. PostgreSQL's TRUNCATE does not fire row triggers, so ``flush``
keeps working there; on SQLite our ``flush`` command lifts the triggers while it empties the
database and puts them back.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

APPEND_ONLY_TABLES = ("core_auditevent", "core_auditcheckpoint")
MESSAGE = "audit rows are append-only"

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION tongban_refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
"""


def _trigger_name(table: str, operation: str = "") -> str:
    return f"{table}_append_only{'_' + operation.lower() if operation else ''}"


def install_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        statements = [POSTGRES_FUNCTION]
        for table in APPEND_ONLY_TABLES:
            name = _trigger_name(table)
            statements += [
                f'DROP TRIGGER IF EXISTS {name} ON "{table}";',
                f'CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION tongban_refuse_audit_change();",
            ]
        return statements
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS {_trigger_name(table, operation)} BEFORE {operation} "
            f"ON \"{table}\" BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            for table in APPEND_ONLY_TABLES
            for operation in ("UPDATE", "DELETE")
        ]
    return []


def drop_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f'DROP TRIGGER IF EXISTS {_trigger_name(table)} ON "{table}";'
            for table in APPEND_ONLY_TABLES
        ]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {_trigger_name(table, operation)};"
            for table in APPEND_ONLY_TABLES
            for operation in ("UPDATE", "DELETE")
        ]
    return []


def _existing_tables(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def install(connection: BaseDatabaseWrapper) -> None:
    if not set(APPEND_ONLY_TABLES) <= _existing_tables(connection):
        return
    with connection.cursor() as cursor:
        for statement in install_sql(connection.vendor):
            cursor.execute(statement)


def drop(connection: BaseDatabaseWrapper) -> None:
    """Lift the guard: only for ``flush`` and for tests that play an attacker."""
    if not set(APPEND_ONLY_TABLES) <= _existing_tables(connection):
        return
    with connection.cursor() as cursor:
        for statement in drop_sql(connection.vendor):
            cursor.execute(statement)


def reinstall_after_migrate(*, using: str = "default", **_kwargs) -> None:
    from django.db import connections

    install(connections[using])
