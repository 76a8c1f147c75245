"""smallprint.checker: Z3 queries over checked policies, the optimiser, and the CLI.

`load(path)` is the entry point of the Python API (see `checker/api.py` and
docs/api.md). Importing this package is cheap: Z3 is loaded by `load`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pathlib costs `smallprint --help` about 4 ms (it imports urllib.parse)
    from pathlib import Path

    from smallprint.checker.api import Policy


def load(path: str | Path, timeout_ms: int = 10_000) -> Policy:
    """Load, check and prepare the policy at `path`; spec errors raise `SmallprintError`."""
    from smallprint.checker.api import load as _load

    return _load(path, timeout_ms)


__all__ = ["load"]
