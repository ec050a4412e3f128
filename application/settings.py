"""Where the data lives, read from the environment with a sensible local default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATABASE_URL_VAR = "PARTNERSHIP_HUB_DATABASE_URL"
READ_MODEL_URL_VAR = "PARTNERSHIP_HUB_READ_MODEL_URL"
DATA_DIR_VAR = "PARTNERSHIP_HUB_DATA_DIR"
FILES_DIR_VAR = "PARTNERSHIP_HUB_FILES_DIR"
READ_MODEL_WAIT_VAR = "PARTNERSHIP_HUB_READ_MODEL_WAIT"
# How long a write waits for the read models to show it before answering "saved, lists still updating".
DEFAULT_READ_MODEL_WAIT = 2.0


@dataclass(frozen=True)
class Settings:
    database_url: str
    # Read models live with the events unless configured elsewhere.
    read_model_url: str
    # Uploaded papers and minutes, named by SHA-256 (application/files.py); created on first upload.
    files_dir: Path = Path("var/files")
    # Seconds a write waits for every read model to reach its own event (read-your-writes).
    read_model_wait: float = DEFAULT_READ_MODEL_WAIT

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get(DATA_DIR_VAR) or "var")
        url = env.get(DATABASE_URL_VAR) or sqlite_url(data_dir / "partnership-hub.sqlite3")
        files_dir = Path(env.get(FILES_DIR_VAR) or data_dir / "files")
        wait = float(env.get(READ_MODEL_WAIT_VAR) or DEFAULT_READ_MODEL_WAIT)
        return cls(
            database_url=url,
            read_model_url=env.get(READ_MODEL_URL_VAR) or url,
            files_dir=files_dir,
            read_model_wait=wait,
        )

    @classmethod
    def for_url(cls, url: str, files_dir: Path | None = None) -> Settings:
        return cls(database_url=url, read_model_url=url, files_dir=files_dir or Path("var/files"))


def sqlite_url(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"
