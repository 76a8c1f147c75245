"""The example in docs/api.md runs as written, and its answers are the policy's."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT


def test_api_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "api.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "docs/api.md has no python example"
    monkeypatch.chdir(ROOT)
    exec(compile(blocks[0], "docs/api.md", "exec"), {})
    out = capsys.readouterr().out
    # The day after the delivery deadline (2020-05-24) to 15 days after it:
    # "you are allowed to open dispute in 15 days after 2020-05-24 PST if package
    # is in transit with normal logistics update" ("When can I open dispute?").
    assert "from 2020-05-25 to 2020-06-08" in out
    assert "Proved refund_never_negative" in out
