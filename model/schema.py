"""JSON Schema (draft 2020-12) of an input record or enum, for `smallprint schema`.

The schema accepts what `model/values.py::decode` accepts, using the very
patterns decode matches strings against (`formats.string_pattern`), so the two
cannot drift apart. What a schema cannot say, and decode still checks:

* record invariants (listed in each record's `description`);
* exact numbers: a JSON Schema integer is any number with a zero fractional
  part (`3.0`, `1e2`), and decode agrees when it reads the JSON with
  `values.loads` (exact decimals); a validator that reads numbers as floats
  also takes `1.0000000000000000001` for an integer, which decode refuses.

Nested records and enums are `$defs`, referenced by name; the requested type
is the root itself.
"""

from __future__ import annotations

from smallprint.model import core
from smallprint.model.formats import string_pattern
from smallprint.model.types import (
    BOOL,
    DAYS,
    INT,
    TEXT,
    EnumT,
    ListT,
    OptT,
    RecordT,
    Type,
    WindowT,
)
from smallprint.model.values import Json

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(program: core.Program, type_name: str) -> dict[str, Json]:
    """The schema of the record or enum `type_name`; KeyError when there is none."""
    builder = _Builder(program)
    if type_name in program.records:
        root = builder.record(type_name, as_root=True)
    elif type_name in program.enums:
        root = builder.enum(type_name)
    else:
        raise KeyError(type_name)
    out: dict[str, Json] = {"$schema": DRAFT, "title": type_name}
    assert isinstance(root, dict)
    out.update(root)
    # Sorted so the output is the same whatever order the records were reached in.
    defs = {name: builder.defs[name] for name in sorted(builder.defs)}
    if defs:
        out["$defs"] = defs
    return out


def chosen_fields(program: core.Program) -> dict[tuple[str, str], list[str]]:
    """(record, field) -> the plans that choose that field of that record."""
    out: dict[tuple[str, str], list[str]] = {}
    for plan in program.plans.values():
        params = {p.name: p.ty for p in plan.params}
        for choice in plan.choices:
            ty: Type = params[choice.param]
            steps = [*choice.path, *choice.field_path] if choice.each else list(choice.path)
            owner: str | None = None
            fname = ""
            for depth, i in enumerate(steps):
                if choice.each and depth == len(choice.path) and isinstance(ty, ListT):
                    ty = ty.elem  # from the list to its elements
                if not isinstance(ty, RecordT):
                    break
                owner = ty.name
                fname, ty = program.records[owner].fields[i]
            if owner is not None:
                out.setdefault((owner, fname), []).append(plan.name)
    return out


class _Builder:
    def __init__(self, program: core.Program) -> None:
        self.program = program
        self.defs: dict[str, Json] = {}
        self.root: str | None = None
        self.chosen = chosen_fields(program)

    def ref(self, name: str) -> Json:
        if name == self.root:
            return {"$ref": "#"}
        if name not in self.defs:
            self.defs[name] = {}  # placeholder: a record may be reached again while built
            if name in self.program.records:
                self.defs[name] = self.record(name)
            else:
                self.defs[name] = self.enum(name)
        return {"$ref": f"#/$defs/{name}"}

    def enum(self, name: str) -> Json:
        return {"type": "string", "enum": list(self.program.enums[name].variants)}

    def record(self, name: str, as_root: bool = False) -> Json:
        if as_root:
            self.root = name
        decl = self.program.records[name]
        properties: dict[str, Json] = {f: self.type(t) for f, t in decl.fields}
        # Optionals may be left out (none); and a field a plan chooses, in the input of
        # `optimize` (which fills it in). A list must be given, `[]` for none.
        required: list[Json] = [
            f for f, t in decl.fields if not isinstance(t, OptT) and (name, f) not in self.chosen
        ]
        for f, _ in decl.fields:
            plans = self.chosen.get((name, f))
            if plans is not None:
                field_schema = properties[f]
                assert isinstance(field_schema, dict)
                field_schema["description"] = (
                    f"chosen by plan {', '.join(f'`{p}`' for p in plans)}: `smallprint optimize` fills it in "
                    "(leave it out); `ask` and `test` read the value given"
                )
        out: dict[str, Json] = {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        if decl.invariants:
            names = ", ".join(inv.name for inv in decl.invariants)
            out["description"] = f"invariants (checked on input, not by this schema): {names}"
        return out

    def type(self, ty: Type) -> Json:
        if isinstance(ty, OptT):
            return {"anyOf": [self.type(ty.inner), {"type": "null"}]}
        if isinstance(ty, ListT):
            return {"type": "array", "items": self.type(ty.elem), "maxItems": ty.bound}
        if isinstance(ty, RecordT | EnumT):
            return self.ref(ty.name)
        if isinstance(ty, WindowT):
            end = self.type(ty.elem)
            window: Json = {
                "type": "object",
                "properties": {"from": end, "to": end},
                "required": ["from", "to"],
                "additionalProperties": False,
            }
            return {"anyOf": [window, {"type": "null"}]}
        if ty == BOOL:
            return {"type": "boolean"}
        if ty == INT:
            return {"type": "integer"}
        if ty == TEXT:
            return {"type": "string"}
        pattern = string_pattern(ty)
        if pattern is None:
            raise ValueError(f"no JSON form for `{ty}`")
        # `(?!\n)`: Python's `$` (which jsonschema uses) also matches before a final newline.
        text: Json = {"type": "string", "pattern": f"^(?:{pattern})$(?!\n)"}
        # Days may also be a plain number of days.
        return {"anyOf": [{"type": "integer"}, text]} if ty == DAYS else text
