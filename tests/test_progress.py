"""Progress on stderr: one line rewritten in place on a terminal, nothing elsewhere."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from smallprint.checker.progress import Progress

ERASE = "\r\x1b[K"

POLICY = """
record Order { cash_paid: Money  fee: Money  invariant paid: cash_paid >= $0 }
def refund(o: Order) -> Money = o.cash_paid - o.fee
property refund_within_cash: forall o: Order where o.fee >= $0. refund(o) <= o.cash_paid
property refund_not_negative: forall o: Order. refund(o) >= $0
"""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_each_step_rewrites_the_line_and_the_end_erases_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    stream = Terminal()
    with Progress(stream) as progress:
        seen = list(progress.each(["a", "b"], lambda x: f"proving {x}"))
    assert seen == ["a", "b"]
    assert stream.getvalue() == f"{ERASE}proving a (1/2){ERASE}proving b (2/2){ERASE}"


def test_a_line_longer_than_the_terminal_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", "20")
    stream = Terminal()
    Progress(stream).show("comparing a_very_long_rule_name (3/40)")
    shown = stream.getvalue().removeprefix(ERASE)
    assert len(shown) < 20 and shown.endswith("…") and shown.startswith("comparing a_very")


@pytest.mark.parametrize("term", ["xterm", "dumb"])
def test_nothing_is_written_where_no_one_watches(monkeypatch: pytest.MonkeyPatch, term: str) -> None:
    monkeypatch.setenv("TERM", term)
    pipe = io.StringIO()  # not a terminal
    with Progress(pipe) as progress:
        progress.show("proving x (1/1)")
    assert pipe.getvalue() == ""
    if term == "dumb":
        tty = Terminal()
        with Progress(tty) as progress:
            progress.show("proving x (1/1)")
        assert tty.getvalue() == ""
    quiet = Terminal()
    with Progress.off() as progress:
        progress.stream = quiet
        progress.show("proving x (1/1)")
    assert quiet.getvalue() == ""


def _prove(folder: Path, stderr_on_a_terminal: bool) -> tuple[str, str]:
    """stdout and stderr of `smallprint prove`, stderr on a pseudo-terminal or a pipe."""
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    cmd = [sys.executable, "-m", "smallprint.checker", "prove", str(folder), "--no-cache"]
    if not stderr_on_a_terminal:
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        return r.stdout, r.stderr
    leader, follower = pty.openpty()
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=follower, text=True, env=env, check=False)
    finally:
        os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal's other end is closed: all read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return r.stdout, b"".join(chunks).decode()


def test_prove_shows_progress_on_a_terminal_and_prints_the_same(tmp_path: Path) -> None:
    (tmp_path / "policy.sp").write_text(POLICY, "utf-8")
    out_tty, err_tty = _prove(tmp_path, stderr_on_a_terminal=True)
    out_pipe, err_pipe = _prove(tmp_path, stderr_on_a_terminal=False)
    assert out_tty == out_pipe and "refund_not_negative" in out_pipe
    assert f"{ERASE}proving refund_within_cash (1/2)" in err_tty
    assert f"{ERASE}proving refund_not_negative (2/2)" in err_tty
    assert err_tty.endswith(ERASE)  # erased: the terminal shows the report alone
    assert "proving" not in err_pipe
