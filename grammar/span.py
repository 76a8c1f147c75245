"""Source positions and the one diagnostic type every stage reports with.

A `Span` never takes part in equality (`field(compare=False)` wherever it is
stored), so two trees that differ only in layout compare equal: that is what the
`fmt` round-trip tests rely on.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NO_SPAN = Span("<builtin>", 0, 0, 0, 0)


def end_json(span: Span) -> dict[str, int]:
    """`end_line` and `end_column` of a JSON location: the column just past the span's last
    character (as SARIF's `endColumn`); a span of no length is taken as one character."""
    if span.line > 0 and (span.end_line, span.end_column) <= (span.line, span.column):
        return {"end_line": span.line, "end_column": span.column + 1}
    return {"end_line": span.end_line, "end_column": span.end_column}


@dataclass(frozen=True)
class Label:
    span: Span
    message: str


@dataclass(frozen=True)
class Diagnostic:
    """One error or warning: message (lowercase, names in backticks), where, and help."""

    message: str
    span: Span
    hint: str | None = None
    labels: tuple[Label, ...] = ()
    severity: str = "error"
    code: str = "error"


class SmallprintError(Exception):
    """Raised with every diagnostic of a stage at once (never one at a time)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass
class SourceMap:
    """File name -> text, so that diagnostics can quote the offending line."""

    texts: dict[str, str] = field(default_factory=dict)

    def line(self, file: str, line: int) -> str | None:
        text = self.texts.get(file)
        if text is None or line < 1:
            return None
        lines = text.splitlines()
        return lines[line - 1] if line <= len(lines) else None


def render(diag: Diagnostic, sources: SourceMap) -> str:
    """`file:line:col: error: message`, the source line, a caret, then hints."""
    out = [f"{_where(diag.span)}: {diag.severity}: {diag.message}"]
    out.extend(_quote(diag.span, sources, ""))
    for label in diag.labels:
        out.append(f"{_where(label.span)}: note: {label.message}")
        out.extend(_quote(label.span, sources, ""))
    if diag.hint:
        out.append(f"  = hint: {diag.hint}")
    return "\n".join(out)


def _where(span: Span) -> str:
    """`file:line:col`, or the file alone for a problem of the whole file (no `:0:0`)."""
    return str(span) if span.line > 0 else span.file


TAB_STOP = 4


def char_width(ch: str) -> int:
    """Columns `ch` takes on a terminal: 2 for wide East Asian characters, 0 for combining
    marks, 1 otherwise (a tab is expanded by `display_line`)."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_line(text: str) -> tuple[str, list[int]]:
    """`text` as shown (tabs expanded to the next multiple of `TAB_STOP`), and for each
    character index (and one past the end) the display column where it starts, from 0."""
    shown: list[str] = []
    starts: list[int] = []
    col = 0
    for ch in text:
        starts.append(col)
        if ch == "\t":
            step = TAB_STOP - col % TAB_STOP
            shown.append(" " * step)
            col += step
        else:
            shown.append(ch)
            col += char_width(ch)
    starts.append(col)
    return "".join(shown), starts


def _quote(span: Span, sources: SourceMap, _indent: str) -> list[str]:
    """The source line and a caret line under the span. The span's columns count characters;
    the caret is placed by display width, so it stays under the text after tabs and wide
    characters."""
    text = sources.line(span.file, span.line)
    if text is None:
        return []
    shown, starts = display_line(text)
    first = min(max(span.column - 1, 0), len(text))
    last = first + 1
    if span.end_line == span.line and span.end_column > span.column:
        last = span.end_column - 1
    last = min(last, len(text))
    start = starts[first]
    width = max(starts[last] - start, 1)
    gutter = f"{span.line:>4} | "
    pad = " " * (len(gutter) - 2) + "| "
    return [gutter + shown, pad + " " * start + "^" * width]
