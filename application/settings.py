"""Where the data lives, read from the environment with a sensible local default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

DATABASE_URL_VAR = "PARTNERSHIP_HUB_DATABASE_URL"
READ_MODEL_URL_VAR = "PARTNERSHIP_HUB_READ_MODEL_URL"
DATA_DIR_VAR = "PARTNERSHIP_HUB_DATA_DIR"
FILES_DIR_VAR = "PARTNERSHIP_HUB_FILES_DIR"
READ_MODEL_WAIT_VAR = "PARTNERSHIP_HUB_READ_MODEL_WAIT"
# How long a write waits for the read models to show it before answering "saved, lists still updating".
DEFAULT_READ_MODEL_WAIT = 2.0
AGGREGATE_CACHE_VAR = "PARTNERSHIP_HUB_AGGREGATE_CACHE_SIZE"
# Aggregates each process keeps in memory between commands (0: none). Each load still reads the events
# saved since (by any process), so the cache is never stale; 1,000 records of the size the demo makes
# are a few megabytes.
DEFAULT_AGGREGATE_CACHE_SIZE = 1000
# Seconds a SQLite connection waits for another's write to finish before failing with "database is
# locked" (the driver's default is 5). Server workers, the projections worker and the scheduler may all
# write to one file; the event store runs it in WAL mode, so readers never wait for a writer.
SQLITE_BUSY_TIMEOUT = 30


@dataclass(frozen=True)
class Settings:
    database_url: str
    # Read models live with the events unless configured elsewhere.
    read_model_url: str
    # Uploaded papers and minutes, named by SHA-256 (application/files.py); created on first upload.
    files_dir: Path = Path("var/files")
    aggregate_cache_size: int = DEFAULT_AGGREGATE_CACHE_SIZE
    # Seconds a write waits for every read model to reach its own event (read-your-writes).
    read_model_wait: float = DEFAULT_READ_MODEL_WAIT

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get(DATA_DIR_VAR) or "var")
        url = env.get(DATABASE_URL_VAR) or sqlite_url(data_dir / "partnership-hub.sqlite3")
        files_dir = Path(env.get(FILES_DIR_VAR) or data_dir / "files")
        wait = float(env.get(READ_MODEL_WAIT_VAR) or DEFAULT_READ_MODEL_WAIT)
        cache = env.get(AGGREGATE_CACHE_VAR) or ""
        return cls(
            database_url=with_busy_timeout(url),
            read_model_url=with_busy_timeout(env.get(READ_MODEL_URL_VAR) or url),
            files_dir=files_dir,
            read_model_wait=wait,
            aggregate_cache_size=_count(AGGREGATE_CACHE_VAR, cache) if cache else DEFAULT_AGGREGATE_CACHE_SIZE,
        )

    @classmethod
    def for_url(cls, url: str, files_dir: Path | None = None) -> Settings:
        url = with_busy_timeout(url)
        return cls(database_url=url, read_model_url=url, files_dir=files_dir or Path("var/files"))


def _count(name: str, value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise ValueError(f"{name} must be a whole number, 0 or more (got {value!r})")
    return count


def with_busy_timeout(url: str) -> str:
    """``url`` with SQLITE_BUSY_TIMEOUT for a SQLite file that names no timeout of its own (the driver
    reads it from the URL, so every engine made from the settings, ours or a library's, waits alike)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:") or "timeout" in parsed.query:
        return url
    return parsed.update_query_dict({"timeout": str(SQLITE_BUSY_TIMEOUT)}).render_as_string(hide_password=False)


def sqlite_url(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"
