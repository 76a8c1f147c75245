"""A small Wadler/Prettier-style layout engine for `fmt`.

A document is text, a list of documents, or one of the nodes below. A `Group`
prints flat (every `Line` a space, every soft line nothing) when all of it fits
in the remaining width, else breaks its own lines (not those of the groups inside
it, which decide for themselves). A hard line or a comment inside a group breaks
it and every group around it: a comment cannot share its line with the code after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

Doc: TypeAlias = "str | list[Doc] | Line | Group | Nest | IfBreak | Suffix"


@dataclass(frozen=True)
class Line:
    soft: bool = False  # flat: nothing instead of a space
    hard: bool = False  # always a line break


@dataclass
class Group:
    parts: list[Doc]
    broken: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.broken = _forces_break(self.parts)


@dataclass(frozen=True)
class Nest:
    """The line breaks inside `parts` indent `by` more columns."""

    by: int
    parts: Doc


@dataclass(frozen=True)
class IfBreak:
    """`text` only when the enclosing group is broken (a trailing comma)."""

    text: str


@dataclass(frozen=True)
class Suffix:
    """A trailing comment: printed at the end of the line it is on, before the break."""

    text: str


LINE = Line()
SOFTLINE = Line(soft=True)
HARDLINE = Line(hard=True)


def _forces_break(doc: Doc) -> bool:
    if isinstance(doc, list):
        return any(_forces_break(d) for d in doc)
    if isinstance(doc, Line):
        return doc.hard
    if isinstance(doc, Group):
        return doc.broken
    if isinstance(doc, Nest):
        return _forces_break(doc.parts)
    return isinstance(doc, Suffix)


_Entry = tuple[int, bool, Doc]  # indentation, flat, document


def _fits(doc: Doc, rest: list[_Entry], room: int) -> bool:
    """`doc` flat, then what follows it in its own modes up to the next line break,
    within `room` columns."""
    todo: list[tuple[bool, Doc]] = [(True, doc)]
    ri = len(rest)
    while room >= 0:
        if not todo:
            if ri == 0:
                return True
            ri -= 1
            todo.append((rest[ri][1], rest[ri][2]))
            continue
        flat, d = todo.pop()
        if isinstance(d, str):
            room -= len(d)
        elif isinstance(d, list):
            todo.extend((flat, x) for x in reversed(d))
        elif isinstance(d, Line):
            if d.hard or not flat:
                return True
            room -= 0 if d.soft else 1
        elif isinstance(d, Group):
            todo.append((flat and not d.broken, d.parts))
        elif isinstance(d, Nest):
            todo.append((flat, d.parts))
        elif isinstance(d, IfBreak) and not flat:
            room -= len(d.text)
    return False


def render(doc: Doc, indent: int, width: int) -> list[str]:
    """The lines of `doc`, its first starting at column `indent` (already indented)."""
    lines: list[str] = []
    line: list[str] = [" " * indent]
    col = indent
    suffixes: list[str] = []
    stack: list[_Entry] = [(indent, False, doc)]
    while stack:
        ind, flat, d = stack.pop()
        if isinstance(d, str):
            line.append(d)
            col += len(d)
        elif isinstance(d, list):
            stack.extend((ind, flat, x) for x in reversed(d))
        elif isinstance(d, Group):
            stays_flat = flat or (not d.broken and _fits(d.parts, stack, width - col))
            stack.append((ind, stays_flat, d.parts))
        elif isinstance(d, Nest):
            stack.append((ind + d.by, flat, d.parts))
        elif isinstance(d, Line):
            if flat and not d.hard:
                if not d.soft:
                    line.append(" ")
                    col += 1
                continue
            line.extend("  " + s for s in suffixes)
            suffixes.clear()
            lines.append("".join(line).rstrip())
            line, col = [" " * ind], ind
        elif isinstance(d, IfBreak):
            if not flat:
                line.append(d.text)
                col += len(d.text)
        elif isinstance(d, Suffix):
            suffixes.append(d.text)
    line.extend("  " + s for s in suffixes)
    lines.append("".join(line).rstrip())
    return lines
