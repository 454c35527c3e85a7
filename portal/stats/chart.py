"""A chart as data: its title, labels and series — what the SVG, the data table and the CSV share."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n.formats import format_decimal, format_percent

# How a chart's numbers are written: counts whole, scores to the published decimal, shares as %.
UNITS = ("count", "score", "share", "days", "rank")


@dataclass
class Chart:
    """One chart: `kind` is bar (vertical), hbar (horizontal) or line; one or more series."""

    name: str
    title: str
    kind: str
    labels: list[str]
    series: list[tuple[str, list]] = field(default_factory=list)
    unit: str = "count"
    description: str = ""

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}")
        for _, values in self.series:
            if len(values) != len(self.labels):
                raise ValueError("every series needs one value per label")

    def formatted(self, value) -> str:
        """A value as the chart writes it, in the current locale (— for none)."""
        if value is None:
            return "—"
        if self.unit == "share":
            return format_percent(value, "#,##0.0%")
        if self.unit == "score":
            return format_decimal(value, "#,##0.0")
        if self.unit == "days":
            return format_decimal(value, "#,##0.#")
        return format_decimal(value, "#,##0")

    def axis_label(self, value) -> str:
        """A value on the chart's axis: whole numbers (shares as whole percents)."""
        if self.unit == "share":
            return format_percent(value, "#,##0%")
        return format_decimal(value, "#,##0.#")

    def rows(self) -> list[list]:
        """The chart's numbers as table rows: the label, then each series' value (raw)."""
        return [[label, *(values[i] for _, values in self.series)] for i, label in enumerate(self.labels)]

    def summary(self) -> str:
        """The chart in words, for readers who cannot see it: each label with its values."""
        parts = []
        for i, label in enumerate(self.labels):
            values = " / ".join(self.formatted(values[i]) for _, values in self.series)
            parts.append(f"{label} {values}")
        return f"{self.title}: " + "; ".join(parts)

    def is_empty(self) -> bool:
        """True when there is nothing to draw."""
        return not self.labels or all(v in (None, 0) for _, values in self.series for v in values)

    def as_data(self) -> dict:
        """The chart as plain values for the JSON twin."""
        return {"name": self.name, "title": self.title, "unit": self.unit, "labels": list(self.labels),
                "series": [{"name": name, "values": list(values)} for name, values in self.series]}
