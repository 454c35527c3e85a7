"""Measure the personal-data detector on the sample city's complaint cases.

Usage: .venv/bin/python scripts/bench_privacy.py [--content DIR] [--rounds N]

The sample city's 300 complaint cases are written to contain no personal data,
so every finding in them is a false positive: the script reports how many cases
have one (投诉摘要 alone, and 投诉摘要 + 整改措施), then the detector's throughput
in cases per second, and, as a check of the other side, how many of the same
cases with a generated ID, mobile, landline or bank card written into them (in
one of the usual spellings) are caught and fully redacted.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from portal.privacy.detect import Public, detect  # noqa: E402
from portal.privacy.normalize import fold  # noqa: E402
from portal.privacy.numbers import PROVINCES, id_check_digit, luhn_digit  # noqa: E402
from portal.privacy.public import contacts_in  # noqa: E402
from portal.privacy.redact import redact  # noqa: E402

FIELDS = ("投诉摘要", "整改措施")


def cases(content: Path) -> list[dict]:
    """Every complaint case of the content directory."""
    found = []
    for path in sorted(content.glob("disclosures/*/complaints.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            found += list(csv.DictReader(f))
    return found


def public_of(content: Path) -> Public:
    """The departments' and the city's public numbers and addresses, as the portal builds them."""
    contacts, addresses = set(), []
    with (content / "departments.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            contacts |= contacts_in(row["咨询电话"]) | contacts_in(row["投诉电话"])
            addresses.append(fold(row["办公地址"]).text)
    city = yaml.safe_load((content / "city.yaml").read_text(encoding="utf-8"))
    contacts |= contacts_in(str(city.get("效能投诉电话", "")))
    return Public(frozenset(contacts), tuple(addresses))


def seeded(rng: random.Random) -> tuple[str, str]:
    """(canonical digits, as written) of a random ID, mobile, landline or bank card."""
    kind = rng.choice(("id", "mobile", "landline", "card"))
    if kind == "id":
        born = f"{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        first = rng.choice(sorted(PROVINCES)) + f"{rng.randrange(10**4):04d}" + born + f"{rng.randrange(1000):03d}"
        value = first + id_check_digit(first)
        return value, rng.choice([value, f"{value[:6]} {value[6:14]} {value[14:]}"])
    if kind == "mobile":
        value = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        return value, rng.choice([
            value, f"+86 {value[:3]} {value[3:7]} {value[7:]}", f"{value[:3]}-{value[3:7]}-{value[7:]}",
            value.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        ])
    if kind == "landline":
        area = rng.choice(["010", "021", "0571", "0999"])
        number = f"{rng.randint(2, 9)}{rng.randrange(10**7):07d}"
        return area + number, rng.choice([f"{area}-{number}", f"({area}){number}", f"{area}-{number}转801"])
    partial = "62" + "".join(str(rng.randrange(10)) for _ in range(rng.randint(14, 16)))
    value = partial + luhn_digit(partial)
    return value, rng.choice([value, " ".join(value[i:i + 4] for i in range(0, len(value), 4))])


def main() -> None:
    """Report the false-positive rate, the throughput and the seeded catch rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=Path(__file__).resolve().parent.parent / "content")
    parser.add_argument("--rounds", type=int, default=20, help="Passes over the cases for the timing.")
    args = parser.parse_args()
    rows, public = cases(args.content), public_of(args.content)

    summary_hits = [r for r in rows if detect(r["投诉摘要"], public)]
    any_hits = [r for r in rows if any(detect(r[f], public) for f in FIELDS)]
    print(f"cases: {len(rows)}")
    print(f"false positives, 投诉摘要: {len(summary_hits)} cases ({len(summary_hits) / len(rows):.2%})")
    print(f"false positives, 投诉摘要 + 整改措施: {len(any_hits)} cases ({len(any_hits) / len(rows):.2%})")
    for row in any_hits:
        found = [f"{f.category}:{f.value}" for field in FIELDS for f in detect(row[field], public)]
        print(f"  {row['案件编号']}: {', '.join(found)}")

    started = time.perf_counter()
    for _round in range(args.rounds):
        for row in rows:
            for field in FIELDS:
                detect(row[field], public)
    elapsed = time.perf_counter() - started
    print(f"throughput (detect, both fields): {args.rounds * len(rows) / elapsed:,.0f} cases/s")

    rng = random.Random(2024)
    caught = survived = 0
    started = time.perf_counter()
    for row in rows:
        canonical, written = seeded(rng)
        text = row["投诉摘要"].replace("反映,", f"反映(电话/证件 {written}),", 1)
        caught += any(f.confidence == "high" for f in detect(text, public))
        survived += canonical in re.sub(r"[\s\-()+]", "", fold(redact(text, public)).text)
    elapsed = time.perf_counter() - started
    print(f"seeded cases caught at high confidence: {caught}/{len(rows)}; "
          f"values surviving redaction: {survived}")
    print(f"throughput (detect + redact, seeded): {len(rows) / elapsed:,.0f} cases/s")


if __name__ == "__main__":
    main()
