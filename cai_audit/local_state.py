"""Folders for local state, made where they are used rather than when settings are imported (so
importing settings, say in a tool or a test that points CAI_VAR_DIR elsewhere, writes nothing).

Snapshots, training outputs and the model cache make their own folders when they write; these two
are the ones the libraries expect to exist: SQLite's database folder and the filesystem broker's.
"""

from collections.abc import Mapping
from pathlib import Path

SQLITE_ENGINE = "django.db.backends.sqlite3"
BROKER_FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def sqlite_folders_ensure(databases: Mapping[str, Mapping]) -> list[Path]:
    """Make the folder of every SQLite database file (sqlite3 cannot create it); returns them."""
    folders = []
    for database in databases.values():
        name = str(database.get("NAME") or "")
        if (
            database.get("ENGINE") == SQLITE_ENGINE
            and name
            and not name.startswith((":memory:", "file:"))
        ):
            folders.append(Path(name).parent)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return folders


def broker_folders_ensure(transport_options: Mapping[str, object]) -> list[Path]:
    """Make the folders kombu's filesystem transport reads and writes (it creates none but the
    control folder, and only on its first binding); returns them."""
    folders = [
        Path(str(transport_options[option]))
        for option in BROKER_FOLDER_OPTIONS
        if transport_options.get(option)
    ]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return folders
