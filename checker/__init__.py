"""smallprint.checker: Z3 queries over checked policies, the optimiser, and the CLI.

`load(path)` is the entry point of the Python API (see `checker/api.py` and
docs/api.md). Importing this package is cheap: Z3 is loaded by `load`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smallprint.checker.api import Policy


def load(path: str | Path, timeout_ms: int = 10_000) -> Policy:
    """Load, check and prepare the policy at `path`; spec errors raise `SmallprintError`."""
    from smallprint.checker.api import load as _load

    return _load(path, timeout_ms)


__all__ = ["load"]
