"""The result cache: a repeated `check` or `prove` replays its output only when
nothing that decides it changed, and a run with an uncertain answer is never kept.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from smallprint.checker import result_cache

from .conftest import run_cli

POLICY = """
record Order {
  cash_paid: Money
  fee: Money
  invariant cash_not_negative: cash_paid >= $0
}
def refund(o: Order) -> Money = max($0, o.cash_paid - o.fee)
property refund_never_negative: forall o: Order. refund(o) >= $0
test "a fee larger than the payment refunds nothing" {
  given o = Order { cash_paid: $5, fee: $7 }
  expect refund(o) == $0
}
"""

REPLAYED = "its results are replayed"


def run(folder: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SMALLPRINT_NO_RESULT_CACHE"}
    env["XDG_CACHE_HOME"] = str(cache)
    return run_cli(*args, cwd=folder.parent, env=env)


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    folder = tmp_path / "policy"
    folder.mkdir()
    (folder / "refunds.sp").write_text(POLICY)
    return folder


def test_an_identical_check_is_replayed_byte_for_byte(policy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(policy, cache, "check", "policy")
    second = run(policy, cache, "check", "policy")
    assert first.returncode == second.returncode == 0
    assert "1 proved" in first.stdout
    assert REPLAYED not in first.stderr and REPLAYED in second.stderr
    assert second.stdout == first.stdout
    fresh = run(policy, cache, "check", "policy", "--no-cache")
    assert REPLAYED not in fresh.stderr and fresh.stdout == first.stdout
    other_format = run(policy, cache, "check", "policy", "--format", "json")
    assert REPLAYED not in other_format.stderr and other_format.stdout.startswith("{")


def test_a_changed_policy_is_checked_again_and_its_findings_are_kept(policy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert run(policy, cache, "prove", "policy").returncode == 0
    # Without the clamp the property is false: the old answer must not be replayed.
    (policy / "refunds.sp").write_text(POLICY.replace("max($0, o.cash_paid - o.fee)", "o.cash_paid - o.fee"))
    broken = run(policy, cache, "prove", "policy")
    assert broken.returncode == 1 and REPLAYED not in broken.stderr
    assert "violated" in broken.stdout
    again = run(policy, cache, "prove", "policy")
    assert again.returncode == 1 and REPLAYED in again.stderr and again.stdout == broken.stdout
    # A new module in the folder joins the policy: a different run.
    (policy / "extra.sp").write_text("def answer() -> Int = 42\n")
    grown = run(policy, cache, "prove", "policy")
    assert grown.returncode == 1 and REPLAYED not in grown.stderr


def test_only_definite_runs_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(result_cache, "_folder", lambda: tmp_path)
    (tmp_path / "p.sp").write_text(POLICY)
    calls: list[str] = []

    for code, definite, runs in ((0, False, 2), (2, True, 2), (0, True, 1), (1, True, 1)):

        def answer(code: int = code, definite: bool = definite) -> tuple[int, bool]:
            calls.append("ran")
            print("report")
            return code, definite

        calls.clear()
        for _ in range(2):
            assert (
                result_cache.run_cached("check", [str(tmp_path / "p.sp")], {"case": (code, definite)}, answer)
                == code
            )
        assert len(calls) == runs, (code, definite)


def test_the_key_covers_code_directory_and_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "p.sp").write_text(POLICY)
    path = [str(tmp_path / "p.sp")]
    key = result_cache.run_key("prove", path, {"timeout": 10.0})
    assert key == result_cache.run_key("prove", path, {"timeout": 10.0})
    assert key != result_cache.run_key("prove", path, {"timeout": 20.0})
    assert key != result_cache.run_key("check", path, {"timeout": 10.0})
    monkeypatch.chdir(tmp_path)  # messages name files relative to the working directory
    assert key != result_cache.run_key("prove", path, {"timeout": 10.0})
    monkeypatch.setattr(result_cache, "code_fingerprint", lambda: b"another smallprint")
    assert result_cache.run_key("prove", path, {"timeout": 10.0}) not in (key, None)
    assert result_cache.run_key("prove", [str(tmp_path / "missing")], {}) is None


def test_after_an_unrelated_edit_the_proofs_are_reused_and_say_so(policy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run(policy, cache, "prove", "policy")
    with (policy / "refunds.sp").open("a") as f:
        f.write("def unrelated(x: Int) -> Int = x + 1\n")
    second = run(policy, cache, "prove", "policy")
    assert REPLAYED not in second.stderr  # the files changed: not the same run
    assert "reused 1 of 1 proofs" in second.stderr
    assert second.stdout == first.stdout and second.returncode == first.returncode == 0
    fresh = run(policy, cache, "prove", "policy", "--no-cache")
    assert "reused" not in fresh.stderr and fresh.stdout == first.stdout
