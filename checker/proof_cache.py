"""Answers kept per definition: proofs, violations, and functions whose lints found nothing.

Editing one rule should not cost a proof of every property. A property's proof
depends only on its cone (`checker/cones.py`: the property, the functions,
constants, records and enums it reaches); so does what the lints find in a
function (with the rule it `opposes`). Each such answer is kept in the user's
cache folder under the digest of its cone, the solver settings and smallprint's
own fingerprint, and reused while all of those are unchanged, whatever else in
the policy changed.

Only answers that hold on every machine are kept: `proved` (a fact about the
cone; its bounds are part of it), "the lints found nothing", and a violation
whose counterexample was found in a context of its own (so it depends on the
property's query alone); since its explanation points into the source, a
violation is keyed by its cone with source positions, and any edit that moves
a line of its cone computes it again. Anything `unknown` and every lint finding
are always recomputed.

The command line uses this unless `--no-cache`; the Python API only after
`CompiledPolicy.keep_answers()`.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

from smallprint.grammar.cache import write_atomically
from smallprint.model import core

from .cones import Cones
from .results import ListBound, ProofResult, Proved, Violated

KEEP = 4096  # entries (each a few bytes); the least recently used go first


class KeptAnswers:
    """The kept answers for one program under one set of solver settings."""

    def __init__(self, program: core.Program, settings: str, folder: Path) -> None:
        from .result_cache import code_fingerprint

        self.program = program
        self.folder = folder
        self.cones = Cones(program)
        self.placed = Cones(program, positions=True)  # for answers that show source positions
        self.reused = 0  # proofs answered from the cache so far
        self._clean: dict[tuple[str, str], bool] = {}
        self._salt = code_fingerprint() + settings.encode()

    @classmethod
    def open(cls, program: core.Program, settings: str) -> KeptAnswers | None:
        """The answers kept in the user's cache folder (None: caching is off or impossible)."""
        from .result_cache import answers_folder, prune

        folder = answers_folder("answers")
        if folder is None:
            return None
        prune(folder, KEEP)
        return cls(program, settings, folder)

    def _path(self, what: str, roots: list[tuple[str, str]], detail: str = "", placed: bool = False) -> Path:
        h = hashlib.sha256(self._salt)
        digest = (self.placed if placed else self.cones).digest(roots)
        h.update(f"\0{what}\0{detail}\0{digest}".encode())
        return self.folder / f"{what}-{h.hexdigest()[:40]}.{'pickle' if placed else 'json'}"

    # ---- proofs ---------------------------------------------------------------------
    def proved(self, name: str, timeout_ms: int) -> Proved | None:
        path = self._path("proved", [("property", name)], str(timeout_ms))
        try:
            data = json.loads(path.read_text("utf-8"))
            bounds = tuple(ListBound(str(p), int(n)) for p, n in data["bounds"])
            os.utime(path)  # recently used: kept longest
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.reused += 1
        return Proved(name, self.program.properties[name].span, bounds, vacuous=data.get("vacuous") is True)

    def keep_proof(self, result: ProofResult, timeout_ms: int) -> None:
        if isinstance(result, Proved):
            data = {
                "property": result.prop,
                "bounds": [[b.path, b.bound] for b in result.bounds],
                "vacuous": result.vacuous,
            }
            path = self._path("proved", [("property", result.prop)], str(timeout_ms))
            write_atomically(path, json.dumps(data).encode())

    def violation(self, name: str, timeout_ms: int) -> Violated | None:
        """A kept violation of `name`: its cone is unchanged and sits at the same places
        (the counterexample's explanation points into the source)."""
        path = self._path("violated", [("property", name)], str(timeout_ms), placed=True)
        try:
            result = pickle.loads(path.read_bytes())
            os.utime(path)
        except Exception:  # a damaged or foreign cache entry is a miss, never a failure
            return None
        if not isinstance(result, Violated) or result.prop != name:
            return None
        self.reused += 1
        return result

    def keep_violation(self, result: Violated, timeout_ms: int) -> None:
        """Keep a violation whose counterexample depends on its query alone (found in a
        context of its own: `CompiledPolicy.isolated_minimum`), never another."""
        path = self._path("violated", [("property", result.prop)], str(timeout_ms), placed=True)
        write_atomically(path, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))

    # ---- lints ----------------------------------------------------------------------
    def _lint_roots(self, name: str) -> list[tuple[str, str]]:
        f = self.program.functions[name]
        roots = [("function", name)]
        if isinstance(f, core.RuleDef) and f.opposes is not None:
            roots.append(("function", f.opposes))
        return roots

    def lint_clean(self, name: str, detail: str) -> bool:
        """Whether the lints of `name` found nothing before (`detail`: their settings).
        Asked twice per function by `check` (how many to lint, then the lints): the
        answer is remembered for this program."""
        key = (name, detail)
        if key not in self._clean:
            path = self._path("clean", self._lint_roots(name), detail)
            try:
                os.utime(path)  # recently used: kept longest
                self._clean[key] = True
            except OSError:
                self._clean[key] = False
        return self._clean[key]

    def keep_lint_clean(self, name: str, detail: str) -> None:
        write_atomically(self._path("clean", self._lint_roots(name), detail), b'{"findings": []}')
        self._clean[(name, detail)] = True
