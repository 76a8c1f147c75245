"""Source positions and the one diagnostic type every stage reports with.

A `Span` never takes part in equality (`field(compare=False)` wherever it is
stored), so two trees that differ only in layout compare equal: that is what the
`fmt` round-trip tests rely on.
"""

from __future__ import annotations

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


def _quote(span: Span, sources: SourceMap, _indent: str) -> list[str]:
    text = sources.line(span.file, span.line)
    if text is None:
        return []
    width = 1
    if span.end_line == span.line and span.end_column > span.column:
        width = span.end_column - span.column
    gutter = f"{span.line:>4} | "
    pad = " " * (len(gutter) - 2) + "| "
    return [gutter + text, pad + " " * max(span.column - 1, 0) + "^" * max(width, 1)]
