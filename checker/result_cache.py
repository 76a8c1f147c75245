"""Results of `check` and `prove` kept for a run that would repeat them exactly.

A run's output depends only on the policy's files, the command and its
options, the working directory (paths in messages are relative to it), and the
code that computes it: smallprint's own sources, the versions of Z3, Lark,
Click and Python.
Solver answers are deterministic (fixed seed, resource limits), so a second run
with all of these unchanged prints the same bytes; it replays them from the
user's cache folder instead of proving everything again. Only definite runs
are kept: a run with an `unknown` answer (which depends on the machine's
speed), an error (exit 2) or an internal error is never stored, so a cache can
only make a run faster, never change what it says.

A replay says so on stderr; stdout is byte for byte the original run's.
`--no-cache` (or `SMALLPRINT_NO_CACHE=1`, which also turns off the parse cache)
recomputes. Nothing here imports the model or Z3: a replay costs a few file
reads and hashes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import redirect_stdout
from functools import lru_cache
from pathlib import Path

import click

from smallprint.grammar.cache import cache_dir, write_atomically

SUFFIX = ".sp"
KEEP = 256  # entries; the oldest go first
_LAYOUT = b"smallprint-results-1"
_PACKAGES = ("smallprint.grammar", "smallprint.model", "smallprint.checker")


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """Everything outside the policy that decides a run's output."""
    h = hashlib.sha256(_LAYOUT)
    h.update(sys.version.encode())
    for package in _PACKAGES:
        spec = importlib.util.find_spec(package)
        for location in (spec.submodule_search_locations or []) if spec else []:
            for f in sorted(Path(location).iterdir()):
                if f.suffix in (".py", ".lark"):
                    h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    # The installed versions of what computes (Z3) and renders (Click, and Lark behind
    # the parse cache), read from their distributions' folder names: importing them
    # would cost more than a replay.
    for module, dist in (("z3", "z3_solver"), ("lark", "lark"), ("click", "click")):
        spec = importlib.util.find_spec(module)
        if spec is not None and spec.origin is not None:
            site = Path(spec.origin).parent.parent
            h.update(" ".join(sorted(p.name for p in site.glob(f"{dist}-*"))).encode() + b"\0")
    return h.digest()


def _policy_files(path: Path) -> list[Path]:
    """Every file a load of `path` may read (a file's imports come from its folder), and
    the saved counterexamples `test` and `check` replay (`fixtures/*.json`)."""
    folder = path if path.is_dir() else path.parent
    files = sorted(p for p in folder.iterdir() if p.suffix == SUFFIX and p.is_file())
    fixtures = folder / "fixtures"
    if fixtures.is_dir():
        files += sorted(p for p in fixtures.iterdir() if p.suffix == ".json" and p.is_file())
    return files


def run_key(command: str, paths: Sequence[str], options: Mapping[str, object]) -> str | None:
    """The run's identity, or None when it cannot be known (a path is missing or unreadable)."""
    h = hashlib.sha256(code_fingerprint())
    settings = {k: v for k, v in sorted(os.environ.items()) if k.startswith("SMALLPRINT_")}
    h.update(json.dumps([command, dict(options), str(Path.cwd().resolve()), settings], default=str).encode())
    try:
        for given in paths:
            path = Path(given)
            if not path.exists():
                return None
            h.update(b"\1" + given.encode() + b"\0" + str(path.resolve()).encode())
            for f in _policy_files(path):
                h.update(b"\2" + f.name.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    except OSError:
        return None
    return h.hexdigest()[:40]


def answers_folder(name: str) -> Path | None:
    """The cache subfolder `name` for answers (runs, proofs, lints); None when the user's
    cache is off (`SMALLPRINT_NO_CACHE`, or `SMALLPRINT_NO_RESULT_CACHE` for answers
    only) or cannot be written."""
    base = cache_dir()
    if base is None or os.environ.get("SMALLPRINT_NO_RESULT_CACHE"):
        return None
    folder = base / name
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    return folder


def _folder() -> Path | None:
    return answers_folder("results")


def _read(entry: Path) -> tuple[str, int] | None:
    try:
        data = json.loads(entry.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and isinstance(data.get("stdout"), str) and data.get("exit") in (0, 1):
        return data["stdout"], data["exit"]
    return None


def _store(folder: Path, entry: Path, stdout: str, code: int) -> None:
    write_atomically(entry, json.dumps({"stdout": stdout, "exit": code}).encode())
    prune(folder, KEEP)


def prune(folder: Path, keep: int) -> None:
    """Delete all but the `keep` most recently used entries of `folder`."""
    try:
        entries = list(os.scandir(folder))
        if len(entries) <= keep:
            return
        entries.sort(key=lambda e: e.stat().st_mtime_ns)
        for old in entries[:-keep]:
            os.unlink(old.path)
    except OSError:
        pass  # another run pruned first


def run_cached(
    command: str,
    paths: Sequence[str],
    options: Mapping[str, object],
    run: Callable[[], tuple[int, bool]],
    *,
    use_cache: bool = True,
) -> int:
    """Replay an identical earlier run, or do `run` and keep its output if it may be kept.

    `run` prints the report and returns its exit code and whether its answers
    are definite (no `unknown`): only a definite run is kept. Returns the exit
    code, replayed or not.
    """
    folder = _folder() if use_cache else None
    key = run_key(command, paths, options) if folder is not None else None
    if folder is None or key is None:
        code, _ = run()
    elif (kept := _read(folder / f"{key}.json")) is not None:
        stdout, code = kept
        click.echo(stdout, nl=False)
        click.echo(
            f"smallprint: nothing changed since an identical `{command}`: its results are replayed "
            "(--no-cache to recompute)",
            err=True,
        )
    else:
        buffer = io.StringIO()
        try:
            with redirect_stdout(buffer):
                code, definite = run()
        finally:
            click.echo(buffer.getvalue(), nl=False)
        if definite and code in (0, 1):
            _store(folder, folder / f"{key}.json", buffer.getvalue(), code)
    return code
