"""The user's cache folder for smallprint (never inside the installed package).

`$XDG_CACHE_HOME/smallprint`, else `~/.cache/smallprint`; `SMALLPRINT_NO_CACHE=1`
turns caching off. When the folder cannot be created or written, callers work
without a cache: a cache may only ever make things faster.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def cache_dir() -> Path | None:
    if os.environ.get("SMALLPRINT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "smallprint"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so readers never see half a file."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
