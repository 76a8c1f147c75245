"""Golden type errors: chunked spec files with the expected errors marked inline.

Each file in golden/errors/ holds modules separated by `---` lines. A line
carrying `### "regex"` must report an error whose message matches the regex
on that line; an error anywhere else, or a marked error that is missing, fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smallprint.grammar.span import SmallprintError
from smallprint.model.loader import load_text

GOLDEN = Path(__file__).parent / "golden" / "errors"
MARK = re.compile(r'###((?:\s*"[^"]*")+)')


def chunks() -> list[tuple[str, int, str]]:
    out = []
    for path in sorted(GOLDEN.glob("*.sp")):
        lines = path.read_text().splitlines()
        start = 0
        for i, line in enumerate([*lines, "---"]):
            if line.strip() == "---":
                out.append((path.name, start, "\n".join(lines[start:i]) + "\n"))
                start = i + 1
    return out


@pytest.mark.parametrize(("name", "offset", "text"), chunks(), ids=lambda v: str(v)[:20])
def test_golden_chunk(name: str, offset: int, text: str) -> None:
    expected: list[tuple[int, str]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        m = MARK.search(line)
        if m:
            expected.extend((lineno, rx) for rx in re.findall(r'"([^"]*)"', m.group(1)))
    try:
        load_text(text, name)
        found: list[tuple[int, str]] = []
    except SmallprintError as exc:
        found = [(d.span.line, d.message) for d in exc.diagnostics]
    unmatched = list(found)
    missing = []
    for line, rx in expected:
        hit = next((f for f in unmatched if f[0] == line and re.search(rx, f[1])), None)
        if hit is None:
            missing.append((offset + line, rx))
        else:
            unmatched.remove(hit)
    where = f"{name} (chunk starting at line {offset + 1})"
    assert not missing, f"{where}: expected errors not reported: {missing}; reported: {found}"
    assert not unmatched, f"{where}: unexpected errors: {[(offset + ln, m) for ln, m in unmatched]}"
