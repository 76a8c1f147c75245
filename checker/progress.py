"""One line of progress on stderr, for the runs a person waits on at a terminal.

`check`, `prove`, `explore` and `diff` take seconds on a real policy. When stderr
is a terminal they say what they are doing on one line, rewritten in place
(carriage return, then erase to the end of the line) and erased when the run
ends, so it never mixes with what the command prints. When stderr is a pipe, a
file or a CI log nothing is written at all: scripts, tests and cached replays
see exactly what they saw before.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import TextIO, TypeVar

T = TypeVar("T")

_ERASE = "\r\x1b[K"


class Progress:
    """A progress line on `stream` (stderr by default), shown only on a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.active = _is_terminal(self.stream) and os.environ.get("TERM") != "dumb"
        self._shown = False

    @classmethod
    def off(cls) -> Progress:
        """One that never writes (for callers that report no progress)."""
        quiet = cls()
        quiet.active = False
        return quiet

    def show(self, text: str) -> None:
        if not self.active:
            return
        width = shutil.get_terminal_size((80, 24)).columns
        # One column short of the width: a full line would wrap on some terminals.
        line = text if len(text) < width else text[: max(width - 2, 0)] + "…"
        self.stream.write(_ERASE + line)
        self.stream.flush()
        self._shown = True

    def each(self, items: Sequence[T], what: Callable[[T], str]) -> Iterator[T]:
        """The items, each announced as `what(item) (i/n)` before the caller works on it."""
        for i, item in enumerate(items, 1):
            self.show(f"{what(item)} ({i}/{len(items)})")
            yield item

    def clear(self) -> None:
        if self._shown:
            self.stream.write(_ERASE)
            self.stream.flush()
            self._shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.clear()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False
