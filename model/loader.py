"""Files and folders -> a checked policy.

A policy is a folder: every `.sp` file directly inside it is one module
(subfolders are separate policies, e.g. the published versions of a policy).
A single file given as a path is loaded with the modules of its folder that it
imports, transitively. Every problem of every file is reported at once.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from smallprint.grammar.cache import cache_dir, write_atomically
from smallprint.grammar.span import Diagnostic, SmallprintError, SourceMap, Span
from smallprint.model import ast, core
from smallprint.model.elaborate import elaborate

SUFFIX = ".sp"


@lru_cache(maxsize=1)
def _builder_fingerprint() -> bytes:
    """Changes whenever the grammar or the tree builder does, invalidating cached trees."""
    import smallprint.grammar.span as span_mod
    import smallprint.model.ast as ast_mod

    h = hashlib.sha256()
    grammar = Path(span_mod.__file__).with_name("smallprint.lark")
    here = Path(ast_mod.__file__)
    for path in (grammar, here, here.with_name("from_tree.py"), here.with_name("from_tree_exprs.py")):
        h.update(path.read_bytes())
    return h.digest()


def module_from_text(text: str, file: str) -> ast.Module:
    """Parse one module, through a cache of syntax trees keyed by file name and text.

    Parsing is most of the cost of loading a policy; a tree already built for the
    same text (with the same grammar and builder) is read back instead. Files with
    syntax errors are never cached, so their diagnostics are always fresh.
    """
    # The parser (and Lark) is imported only when a tree is not in the cache.
    folder = cache_dir()
    if folder is None:
        from smallprint.model.from_tree import module_from_text as build

        return build(text, file)
    key = hashlib.sha256(_builder_fingerprint() + file.encode() + b"\0" + text.encode()).hexdigest()[:32]
    path = folder / f"tree-{key}.pickle"
    try:
        cached = pickle.loads(path.read_bytes())
        if isinstance(cached, ast.Module):
            return cached
    except Exception:  # a damaged or foreign cache entry is a miss, never a failure
        pass
    from smallprint.model.from_tree import module_from_text as build

    module = build(text, file)
    write_atomically(path, pickle.dumps(module, protocol=pickle.HIGHEST_PROTOCOL))
    return module


@dataclass(frozen=True)
class Policy:
    """A checked policy and where it came from."""

    root: Path
    program: core.Program
    modules: tuple[ast.Module, ...]
    sources: SourceMap = field(compare=False)

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(m.file for m in self.modules)


def policy_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix == SUFFIX and p.is_file())
    return [path]


def _display(path: Path) -> str:
    """Paths in diagnostics are relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def parse_files(files: list[Path], sources: SourceMap) -> list[ast.Module]:
    modules: list[ast.Module] = []
    errors: list[Diagnostic] = []
    for f in files:
        name = _display(f)
        try:
            text = f.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(Diagnostic(f"cannot read `{name}`: {exc}", Span(name, 0, 0, 0, 0), code="io"))
            continue
        sources.texts[name] = text
        try:
            modules.append(module_from_text(text, name))
        except SmallprintError as exc:
            errors.extend(exc.diagnostics)
    if errors:
        raise SmallprintError(errors)
    return modules


def load_policy(path: str | Path) -> Policy:
    """Load and check the policy at `path` (a folder, or one file and its imports)."""
    p = Path(path)
    if not p.exists():
        raise SmallprintError(
            [Diagnostic(f"no such file or folder: `{path}`", Span(str(path), 0, 0, 0, 0), code="io")]
        )
    sources = SourceMap()
    if p.is_dir():
        files = policy_files(p)
        if not files:
            raise SmallprintError(
                [Diagnostic(f"`{path}` holds no `{SUFFIX}` files", Span(str(path), 0, 0, 0, 0), code="io")]
            )
        modules = parse_files(files, sources)
        root = p
    else:
        root = p.parent
        modules = _with_imports(p, sources)
    program = elaborate(modules)
    return Policy(root, program, tuple(modules), sources)


def _with_imports(path: Path, sources: SourceMap) -> list[ast.Module]:
    first = parse_files([path], sources)
    modules = {m.name: m for m in first}
    available = {f.stem: f for f in policy_files(path.parent) if f != path}
    pending = [imp for m in first for imp in m.imports]
    while pending:
        name = pending.pop()
        if name in modules or name not in available:
            continue  # an unknown module is reported by the checker, with a suggestion
        for m in parse_files([available[name]], sources):
            modules[m.name] = m
            pending.extend(m.imports)
    return list(modules.values())


def load_text(text: str, file: str = "<text>") -> core.Program:
    """Check a single module given as text (for tests and embedding)."""
    return elaborate([module_from_text(text, file)])


def load_texts(texts: dict[str, str]) -> Policy:
    """Check several modules given as {file name: text}; module names are the file stems."""
    sources = SourceMap(dict(texts))
    modules: list[ast.Module] = []
    errors: list[Diagnostic] = []
    for name, text in texts.items():
        try:
            modules.append(module_from_text(text, name))
        except SmallprintError as exc:
            errors.extend(exc.diagnostics)
    if errors:
        raise SmallprintError(errors)
    return Policy(Path("."), elaborate(modules), tuple(modules), sources)
