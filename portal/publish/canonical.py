"""Canonical JSON and the hashes of revisions: one definition, used to write and to verify."""

from __future__ import annotations

import hashlib
import json


def canonical_json(value) -> bytes:
    """Serialise `value` the same way every time: sorted keys, no spaces, UTF-8."""
    return canonical_text(value).encode()


def canonical_text(value) -> str:
    """`canonical_json` before its encoding to UTF-8."""
    return _CANONICAL.encode(value)


# Made once: `json.dumps` with options builds an encoder on every call (a publish encodes every record).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_list(texts: list[str]) -> str:
    """The canonical text of a list given the canonical texts of its values (each encoded once)."""
    return "[" + ",".join(texts) + "]"


def sha256(data: bytes) -> str:
    """The hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def content_hash(records: list[dict]) -> str:
    """The hash of a revision's records, in code order."""
    return sha256(canonical_json(records))


def content_hash_of(encoded: str) -> str:
    """`content_hash` of records given as their canonical text (`canonical_list`)."""
    return sha256(encoded.encode())


def revision_hash(revision) -> str:
    """The chained hash of a revision: its metadata, its content hash and the previous hash."""
    return sha256(
        canonical_json(
            {
                "number": revision.number,
                "department": revision.department.code,
                "kind": revision.kind,
                "created_at": revision.created_at.isoformat(),
                "author": revision.author,
                "source": revision.source,
                "filename": revision.filename,
                "file_sha256": revision.file_sha256,
                "content_sha256": revision.content_sha256,
                "prev_hash": revision.prev_hash,
            }
        )
    )
