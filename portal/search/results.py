"""What a search returns: one page of hits, with facet counts over all of them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Hit:
    """One search result."""

    kind: str
    code: str
    title: str
    department: str
    text: str  # the searchable text the snippet is cut from
    in_title: bool = False
    exact: bool = False


@dataclass
class Results:
    """One page of results, with facet counts over all of them."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    page: int
    pages: int
    page_size: int
