"""``tongban serve``: the whole platform in one command.

Applies migrations, loads the shipped catalog into an empty database, collects static files
(served by WhiteNoise), starts the task worker in-process when tasks use the database, and runs
gunicorn. ``--demo`` also creates the demo world on first start (never in production).
"""

import logging
import os
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.crypto import get_random_string

from tongban.core.private_files import private_dir, private_sqlite_database

logger = logging.getLogger("tongban.serve")


class Command(BaseCommand):
    help = "Run Tongban: migrate, load the catalog, start the task worker and the web server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="web worker processes")
        parser.add_argument("--threads", type=int, default=4, help="threads per web worker")
        parser.add_argument("--demo", action="store_true", help="create demo data on first start")
        parser.add_argument(
            "--no-task-worker", action="store_true", help="do not run tasks in-process"
        )

    def handle(self, *args, **options):
        if options["demo"] and settings.PRODUCTION:
            raise CommandError("--demo is refused when TONGBAN_ENV=production.")
        if not os.environ.get("TONGBAN_PUBLIC_URL"):
            # Printed on receipts and in QR codes: the address this server answers at, unless
            # the operator says where the public reaches it.
            host = "127.0.0.1" if options["host"] in ("0.0.0.0", "::", "") else options["host"]  # noqa: S104
            settings.TONGBAN_PUBLIC_URL = f"http://{host}:{options['port']}"
        self.prepare(demo=options["demo"])
        # SQLite connections (and WAL shared memory) must never cross a fork: close everything
        # here, and start the task worker inside each web worker process, after its fork.
        connections.close_all()
        with_tasks = settings.TASK_BACKEND == "database" and not options["no_task_worker"]
        self.stdout.write(f"Tongban is running at http://{options['host']}:{options['port']}/")
        run_gunicorn(
            options["host"], options["port"], options["workers"], options["threads"], with_tasks
        )

    def prepare(self, *, demo: bool) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        make_data_private()
        from tongban.catalog import services as catalog

        if not catalog.has_items():
            self.stdout.write("Loading the shipped catalog…")
            catalog.load_shipped_catalog()
        if demo and "demo" in get_commands():
            call_command("demo", if_empty=True)


def start_task_worker() -> threading.Thread:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=1.0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"serve-{get_random_string(12)}",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=worker.run, name="tongban-task-worker", daemon=True)
    thread.start()
    return thread


def start_worker_threads() -> None:
    from tongban.core.periodic import start_elected_scheduler

    start_task_worker()
    start_elected_scheduler(Path(settings.VAR_DIR) / "scheduler.lock")


def make_data_private() -> None:
    """Uploads 0700 and the SQLite database (with its WAL files) 0600, after migrations made them;
    an older version left them 0755/0644."""
    if settings.STORAGE_BACKEND == "filesystem":
        private_dir(Path(settings.MEDIA_ROOT))
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and database["NAME"] != ":memory:":
        private_sqlite_database(Path(database["NAME"]))


# A Unix socket path longer than this does not fit in ``sockaddr_un`` (108 bytes on Linux).
MAX_SOCKET_PATH = 100


def control_socket_settings() -> dict:
    """gunicorn's control socket: one per instance inside its own var directory, or none.

    gunicorn's default is one shared path in the home directory, so two instances on one host
    fought over it (and ``gunicornc`` reached whichever bound last)."""
    path = Path(settings.VAR_DIR) / "gunicorn.ctl"
    if len(str(path)) > MAX_SOCKET_PATH:
        return {"control_socket_disable": True}
    return {"control_socket": str(path), "control_socket_mode": 0o600}


def gunicorn_server(host: str, port: int, workers: int, threads: int, with_tasks: bool):
    from gunicorn.app.base import BaseApplication

    from tongban.web.gunicorn_logging import RedactingAccessLogger  # needs gunicorn, like above
    from tongban.wsgi import application

    class TongbanServer(BaseApplication):
        def load_config(self):
            for name, value in control_socket_settings().items():
                self.cfg.set(name, value)
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", "-")
            self.cfg.set("logger_class", RedactingAccessLogger)  # paths carry one-time keys
            self.cfg.set("timeout", 60)
            self.cfg.set("forwarded_allow_ips", "127.0.0.1")
            # gunicorn's most (default 4094): every query the API documents fits, even with each
            # character percent-encoded, so it reaches the API's own errors, not an HTML 414.
            self.cfg.set("limit_request_line", 8190)
            if with_tasks:
                # Several task workers are safe: each claims a task under a row lock. The
                # scheduler runs in one worker only (never in this parent: see periodic).
                self.cfg.set("post_worker_init", lambda _worker: start_worker_threads())

        def load(self):
            return application

    if workers < 1 or threads < 1:
        raise ImproperlyConfigured("--workers and --threads must be at least 1.")
    return TongbanServer()


def run_gunicorn(host: str, port: int, workers: int, threads: int, with_tasks: bool) -> None:
    gunicorn_server(host, port, workers, threads, with_tasks).run()
