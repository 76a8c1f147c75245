"""Shared test helpers: paths and policy loading."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"

# Every test sees a fresh run of `check` and `prove`, never one replayed from the
# result cache (tests/test_result_cache.py turns it back on where it is the subject).
os.environ["SMALLPRINT_NO_RESULT_CACHE"] = "1"

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


def run_cli(
    *args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`smallprint ARGS` in a process of its own, as a user runs it (`env`: its whole
    environment, default this one)."""
    return subprocess.run(
        [sys.executable, "-m", "smallprint.checker", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=None if env is None else dict(env),
        check=False,
    )


def policy_dirs() -> list[Path]:
    """Every folder under specs/ that holds .sp files (each is one policy)."""
    return sorted({p.parent for p in SPECS.rglob("*.sp")})


@pytest.fixture
def root() -> Path:
    return ROOT


def write_policy(tmp_path: Path, text: str, file: str = "shop.sp") -> Path:
    """A one-file policy folder holding `text`."""
    folder = tmp_path / "policy"
    folder.mkdir()
    (folder / file).write_text(text)
    return folder


def check_errors(folder: Path) -> str:
    """`smallprint check` on a policy with spec errors: exit 2, no traceback; its stderr."""
    result = run_cli("check", str(folder))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr
