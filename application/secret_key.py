"""The service's secret key: from PARTNERSHIP_HUB_SECRET_KEY, else a key kept beside the local data.

The web app signs its sessions with it, and the mail outbox signs the panel's links with it
(application/panel_links.py), so a link written by the scheduler's process opens in the web's.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from application.settings import DATA_DIR_VAR

SECRET_KEY_VAR = "PARTNERSHIP_HUB_SECRET_KEY"


def secret_key() -> str:
    return os.environ.get(SECRET_KEY_VAR) or local_secret_key()


def local_secret_key() -> str:
    """A key kept beside the local data, so sessions survive a restart of the demo."""
    path = Path(os.environ.get(DATA_DIR_VAR) or "var") / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under another name and renamed, so a process starting at the same moment
        # never reads a half-written (empty) key; if two race, both read the one that landed last.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        if not path.exists():
            os.replace(temporary, path)
        else:
            os.unlink(temporary)
    return path.read_text().strip()
