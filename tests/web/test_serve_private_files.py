"""``tongban serve``'s set-up leaves nothing readable by other accounts on the host, and its
gunicorn keeps its control socket to itself."""

import os
import subprocess
import sys
from pathlib import Path

from tongban.web.management.commands import serve

SRC = Path(__file__).resolve().parents[2] / "src"
PREPARE = """
import django
django.setup()
from tongban.web.management.commands.serve import Command
Command().prepare(demo=False)
"""


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_settings_and_the_preparation_step_make_the_var_dir_private(tmp_path):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)  # as an older version left it
    (var / "tongban.sqlite3").touch(mode=0o644)
    (var / "media").mkdir(mode=0o755)
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("TONGBAN_")
    }
    environment.pop("DATABASE_URL", None)
    environment.update(
        TONGBAN_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="tongban.settings",
        PYTHONPATH=str(SRC),
    )
    # A separate process: settings are read once per process, and the umask is the usual 022.
    subprocess.run(
        [sys.executable, "-c", f"import os; os.umask(0o022)\n{PREPARE}"],
        env=environment,
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert mode(var) == 0o700
    assert mode(var / "media") == 0o700
    assert mode(var / "tongban.sqlite3") == 0o600
    for secret in ("secret_key", "field_keys", "lookup_key"):
        assert mode(var / secret) == 0o600, secret
    for companion in var.glob("tongban.sqlite3-*"):
        assert mode(companion) == 0o600, companion.name


def test_uploaded_files_are_private(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    old_umask = os.umask(0o022)
    try:
        storage = FileSystemStorage(location=tmp_path / "media")
        name = storage.save("cases/2026/12/a.pdf", ContentFile(b"%PDF-1.4"))
    finally:
        os.umask(old_umask)
    assert mode(Path(storage.path(name))) == 0o600
    assert mode(tmp_path / "media" / "cases" / "2026") == 0o700


def test_gunicorn_control_socket_lives_in_this_instances_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    server = serve.gunicorn_server("127.0.0.1", 8000, 1, 1, False)
    assert Path(server.cfg.control_socket) == tmp_path / "var" / "gunicorn.ctl"
    assert server.cfg.control_socket_mode == 0o600
    assert not server.cfg.control_socket_disable
    other = tmp_path / "other"
    settings.VAR_DIR = other
    second = serve.gunicorn_server("127.0.0.1", 8001, 1, 1, False)
    assert Path(second.cfg.control_socket).parent == other


def test_gunicorn_control_socket_is_off_when_the_path_would_not_fit(settings, tmp_path):
    settings.VAR_DIR = tmp_path / ("deep" * 30)
    server = serve.gunicorn_server("127.0.0.1", 8000, 1, 1, False)
    assert server.cfg.control_socket_disable
