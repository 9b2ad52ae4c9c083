"""The var directory and what lives in it are readable by the platform's own user only.

The var directory holds the SQLite database (every applicant's data), uploaded materials and
generated keys. Another account on the same host must not read any of it, whatever the umask:
directories are made 0700 and files 0600 from the moment they exist, and ones left by an older
version with looser modes are tightened when the platform starts.

This module is imported by ``settings`` and so uses nothing from Django.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# SQLite's companions of a database file; SQLite gives them the database file's mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_dir(path: Path) -> Path:
    """Creates ``path`` (and missing parents) and makes ``path`` itself 0700."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != PRIVATE_DIR_MODE:
        path.chmod(PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Creates ``path`` empty with mode 0600 if missing, else tightens its mode to 0600."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        if path.stat().st_mode & 0o777 != PRIVATE_FILE_MODE:
            path.chmod(PRIVATE_FILE_MODE)
    else:
        os.close(descriptor)
    return path


def write_private_text(path: Path, text: str) -> None:
    """Writes a new secret file that is 0600 from its first byte (never 0644 for a moment)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(descriptor, "w") as secret_file:
        secret_file.write(text)


def private_sqlite_database(path: Path) -> None:
    """The database file exists 0600 before SQLite opens it, so SQLite's own files follow."""
    path.parent.mkdir(parents=True, exist_ok=True)
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.chmod(PRIVATE_FILE_MODE)
