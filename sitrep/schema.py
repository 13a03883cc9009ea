"""The JSON Schema of a document result, generated from the record dataclasses.

``sitrep.records`` is the source of truth: this module walks its dataclasses and type hints, adds
the codebook's vocabularies (ACLED types, PLOVER events, stances, qualifiers), and writes
``sitrep/data/document.schema.json`` (``python -m sitrep.schema``). A test fails when the checked-in
file and the generated one differ, and validates real ``extract`` output against it.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any

from sitrep import records
from sitrep.records import DocumentResult

SCHEMA_PATH = Path(__file__).parent / "data" / "document.schema.json"
SCHEMA_ID = "https://sitrep.invalid/schema/document.schema.json"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

# Dataclass fields that ``to_dict`` leaves out (kept for the Python API only) or writes only when
# they have content.
OMITTED: dict[str, frozenset[str]] = {"DocumentResult": frozenset({"text"})}
OPTIONAL: dict[str, frozenset[str]] = {"DocumentResult": frozenset({"counts"})}
# Strings that hold ISO dates.
DATE_FIELDS = frozenset({"published", "event_date", "date_start", "date_end"})
# The codebook's closed vocabularies, by (class, field).
VOCABULARIES: dict[tuple[str, str], list[Any]] = {
    ("Event", "sub_event_type"): sorted(records.ACLED_TYPES),
    ("Event", "event_type"): sorted({t for t, _ in records.ACLED_TYPES.values()}),
    ("Event", "disorder_type"): sorted({d for _, d in records.ACLED_TYPES.values()}),
    ("Plover", "event"): list(records.PLOVER_EVENTS),
    ("Claim", "stance"): list(records.STANCES),
    ("Count", "qualifier"): list(records.QUALIFIERS),
    ("Actor", "inter"): sorted(records.INTER_CODES),
    ("Location", "geo_precision"): [1, 2, 3],
    ("Location", "where_prec"): list(range(1, 8)),
    ("Event", "time_precision"): [1, 2, 3],
}
BOUNDS: dict[tuple[str, str], tuple[float, float]] = {
    ("Event", "confidence"): (0.0, 1.0),
    ("Location", "lat"): (-90.0, 90.0),
    ("Location", "lon"): (-180.0, 180.0),
    ("Place", "lat"): (-90.0, 90.0),
    ("Place", "lon"): (-180.0, 180.0),
}
_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    date: {"type": "string", "pattern": DATE_PATTERN},
    Any: {},
}


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def type_schema(self, hint: Any) -> dict[str, Any]:
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            inner = self.type_schema(options[0]) if len(options) == 1 else {
                "anyOf": [self.type_schema(a) for a in options]}
            return _nullable(inner) if len(options) < len(args) else inner
        if origin is list:
            return {"type": "array", "items": self.type_schema(args[0])}
        if origin is tuple:
            # Fixed-length tuples (spans) are written as JSON arrays.
            return {"type": "array", "prefixItems": [self.type_schema(a) for a in args],
                    "minItems": len(args), "maxItems": len(args), "items": False}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.type_schema(args[1])}
        if dataclasses.is_dataclass(hint):
            return {"$ref": f"#/$defs/{self.define(hint)}"}
        if hint in _SCALARS:
            return dict(_SCALARS[hint])
        raise TypeError(f"no JSON Schema for {hint!r}")

    def define(self, cls: type) -> str:
        name = cls.__name__
        if name in self.defs:
            return name
        self.defs[name] = {}  # reserve the name first: records may refer to each other
        hints = typing.get_type_hints(cls, vars(records))
        properties: dict[str, Any] = {}
        required: list[str] = []
        for f in dataclasses.fields(cls):
            if f.name in OMITTED.get(name, ()):
                continue
            schema = self.type_schema(hints[f.name])
            schema = _refine(schema, name, f.name)
            properties[f.name] = schema
            if f.name not in OPTIONAL.get(name, ()):
                required.append(f.name)
        definition: dict[str, Any] = {"type": "object"}
        doc = (cls.__doc__ or "").strip()
        if doc and not doc.startswith(f"{name}("):  # skip the dataclass-generated signature
            definition["description"] = " ".join(doc.split())
        definition.update(properties=properties, required=required, additionalProperties=False)
        self.defs[name] = definition
        return name


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema or "anyOf" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    if "type" not in schema:
        return schema  # Any: null is already allowed
    return {**schema, "type": [schema["type"], "null"]}


def _refine(schema: dict[str, Any], cls: str, name: str) -> dict[str, Any]:
    schema = dict(schema)
    nullable = isinstance(schema.get("type"), list) or schema.get("anyOf", [{}])[-1] == {
        "type": "null"}
    if (cls, name) in VOCABULARIES:
        schema["enum"] = [*VOCABULARIES[cls, name], *([None] if nullable else [])]
    if (cls, name) in BOUNDS:
        schema["minimum"], schema["maximum"] = BOUNDS[cls, name]
    if name in DATE_FIELDS and "pattern" not in schema and "type" in schema:
        schema["pattern"] = DATE_PATTERN
    return schema


def document_schema() -> dict[str, Any]:
    """The draft 2020-12 JSON Schema of one document result (``DocumentResult.to_dict()``)."""
    builder = _Builder()
    root = builder.define(DocumentResult)
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "sitrep document result",
        "description": "One JSON object per input report (shared/contract/CODEBOOK.md); "
                       "generated from sitrep.records by sitrep.schema.",
    }
    schema.update(builder.defs.pop(root))
    schema["$defs"] = dict(sorted(builder.defs.items()))
    return schema


def render() -> str:
    return json.dumps(document_schema(), indent=2, ensure_ascii=False) + "\n"


def load() -> dict[str, Any]:
    """The checked-in schema, for validating output without importing the generator's inputs."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(result: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` when a document result breaks the contract."""
    import jsonschema

    jsonschema.validate(result, load(), cls=jsonschema.Draft202012Validator)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else SCHEMA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
