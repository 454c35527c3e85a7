"""Measure the personal-data detector on the sample city: every kind's screened texts.

Usage: .venv/bin/python scripts/bench_privacy.py [--content DIR] [--rounds N]

The sample city is written to contain no personal data, so every finding in it
is a false positive. The script reads every disclosure file through the portal's
readers and declarations, screens what an upload screens (every free-text field
and table column, `portal.privacy.places`; the departments', the city's and the
item's own published numbers being public) and reports, per kind, how many items
have a finding; then the detector's throughput in items per second, and, as a
check of the other side, how many of the complaint cases with a generated ID,
mobile, landline or bank card written into them (in one of the usual spellings)
are caught and fully redacted.
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

from portal.ingest.readers import read  # noqa: E402
from portal.privacy import places  # noqa: E402
from portal.privacy.detect import Public, detect  # noqa: E402
from portal.privacy.normalize import fold  # noqa: E402
from portal.privacy.numbers import PROVINCES, id_check_digit, luhn_digit  # noqa: E402
from portal.privacy.public import contacts_in  # noqa: E402
from portal.privacy.redact import redact  # noqa: E402
from portal.schemas import KINDS  # noqa: E402


def records(content: Path) -> dict[str, list[dict]]:
    """Every valid record of every kind in the content directory, by kind (read as the loader reads)."""
    spellings = {}
    with (content / "departments.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            spellings[row["部门编码"]] = spellings[row["部门名称"]] = row["部门编码"]
    found: dict[str, list[dict]] = {name: [] for name in KINDS}
    for name, kind in KINDS.items():
        for path in sorted(content.glob(f"disclosures/*/{name}.{kind.file_format}")):
            sheet = read(path.name, path.read_bytes(), kind)
            found[name] += kind.validate(sheet.rows, spellings).records
    return found


def findings(kind, record: dict, public: Public) -> list:
    """What an upload's review would show for one record."""
    known = places.with_contacts(public, places.contacts(kind, [record]))
    return [f for place in places.places(kind, record) for f in detect(place.text, known)]


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
    """Report the false-positive rate per kind, the throughput and the seeded catch rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=Path(__file__).resolve().parent.parent / "content")
    parser.add_argument("--rounds", type=int, default=20, help="Passes over the items for the timing.")
    args = parser.parse_args()
    by_kind, public = records(args.content), public_of(args.content)

    total = hits = 0
    for name, rows in by_kind.items():
        kind = KINDS[name]
        texts = dict.fromkeys(place.label for record in rows for place in places.places(kind, record))
        flagged = [r for r in rows if findings(kind, r, public)]
        total, hits = total + len(rows), hits + len(flagged)
        print(f"false positives, {name} ({'、'.join(texts)}): {len(flagged)} of {len(rows)} items "
              f"({len(flagged) / max(len(rows), 1):.2%})")
        for record in flagged:
            found = [f"{f.category}:{f.value}" for f in findings(kind, record, public)]
            print(f"  {kind.key(record)}: {', '.join(found)}")
    print(f"false positives, every kind: {hits} of {total} items ({hits / max(total, 1):.2%})")

    started = time.perf_counter()
    for _round in range(args.rounds):
        for name, rows in by_kind.items():
            for record in rows:
                findings(KINDS[name], record, public)
    elapsed = time.perf_counter() - started
    print(f"throughput (detect, every screened text): {args.rounds * total / elapsed:,.0f} items/s")

    rng = random.Random(2024)
    cases = by_kind["complaints"]
    caught = survived = 0
    started = time.perf_counter()
    for case in cases:
        canonical, written = seeded(rng)
        text = case["summary"].replace("反映,", f"反映(电话/证件 {written}),", 1)
        caught += any(f.confidence == "high" for f in detect(text, public))
        survived += canonical in re.sub(r"[\s\-()+]", "", fold(redact(text, public)).text)
    elapsed = time.perf_counter() - started
    print(f"seeded cases caught at high confidence: {caught}/{len(cases)}; "
          f"values surviving redaction: {survived}")
    print(f"throughput (detect + redact, seeded): {len(cases) / elapsed:,.0f} cases/s")


if __name__ == "__main__":
    main()
