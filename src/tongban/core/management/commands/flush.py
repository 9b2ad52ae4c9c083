"""Django's ``flush``, able to empty the append-only audit tables on SQLite.

SQLite's DELETE fires the triggers that refuse deleting audit rows (PostgreSQL's TRUNCATE does
not), so the guard is lifted for the flush and put back afterwards. ``flush`` erases everything;
whoever may run it could drop the triggers anyway. Test suites flush between transactional tests.
"""

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from tongban.core import append_only


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        append_only.drop(connection)
        try:
            return super().handle(**options)
        finally:
            append_only.install(connection)
