"""How often Python's cyclic garbage collector runs in a smallprint process.

A command (and the worker that lints beside `check`) builds a policy's many
small objects, keeps nearly all of them until it exits, and makes little
cyclic garbage. At the collector's default pace (a pass every 700 allocations,
a full pass every hundred or so) walking those live objects took about a
quarter of loading the AliExpress suite from the parse cache, and one full pass
over an optimiser's terms about 0.1 s. Rarer passes still reclaim cycles. The
Python API leaves the pace to the program that embeds it.
"""

from __future__ import annotations

import gc

COMMAND_THRESHOLD = (100_000, 50, 100)


def pace_for_a_command() -> None:
    gc.set_threshold(*COMMAND_THRESHOLD)
