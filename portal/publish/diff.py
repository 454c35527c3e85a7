"""What a set of records would change against what is live."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Diff:
    """Codes added, changed ({code: {field: [old, new]}}), withdrawn, and unchanged."""

    added: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, list]] = field(default_factory=dict)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        """True when publishing would change nothing."""
        return not (self.added or self.changed or self.withdrawn)

    def counts(self) -> dict[str, int]:
        """The preview counts shown before publishing."""
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "withdrawn": len(self.withdrawn),
            "unchanged": self.unchanged,
        }


def field_changes(old: dict, new: dict) -> dict[str, list]:
    """The fields whose values differ, as {field: [old, new]}."""
    return {
        name: [old.get(name), new.get(name)]
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    }


def compute(live: dict[str, dict], incoming: dict[str, dict]) -> Diff:
    """Compare live records with incoming ones, both keyed by code."""
    diff = Diff()
    for code, record in incoming.items():
        if code not in live:
            diff.added.append(code)
            continue
        changes = field_changes(live[code], record)
        if changes:
            diff.changed[code] = changes
        else:
            diff.unchanged += 1
    diff.withdrawn = [code for code in live if code not in incoming]
    return diff
