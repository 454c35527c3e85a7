"""Canonical JSON and the hashes of revisions: one definition, used to write and to verify."""

from __future__ import annotations

import hashlib
import json


def canonical_json(value) -> bytes:
    """Serialise `value` the same way every time: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    """The hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def content_hash(records: list[dict]) -> str:
    """The hash of a revision's records, in code order."""
    return sha256(canonical_json(records))


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
