"""The building blocks of the document's JSON Schemas: plain types, references, optional values, objects."""

from __future__ import annotations

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
URL = {"type": "string", "format": "uri-reference"}  # relative to the site, as every twin writes them
DATE_TIME = {"type": "string", "format": "date-time"}


def ref(name: str) -> dict:
    """A reference to the component schema called `name`."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    """`schema`, or null (an optional field left empty)."""
    if "$ref" in schema or "type" not in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    found = {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        found["enum"] = [*schema["enum"], None]
    return found


def obj(properties: dict, required: list[str] | None = None, **extra) -> dict:
    """An object with these properties, all of them always present unless `required` says otherwise."""
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required, **extra}
