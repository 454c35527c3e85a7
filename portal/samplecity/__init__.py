"""The sample city 华松市 (fictional admin code 990100): departments and all five disclosure kinds.

`generate` is deterministic: one `random.Random(seed)` feeds every choice, so the
same seed writes byte-identical files. `scale` multiplies power items, services
(with their commitments) and complaint cases, for benchmarks with a larger city.
"""

from __future__ import annotations

import pathlib
import random

from ..schemas import DEPARTMENTS, KINDS
from . import appraisals, complaints, departments, guides, powers, services, writer

# Service guides at scale 1; the towns share what the 市直部门 leave of this total.
TOTAL_SERVICES = 120


def _child(master: random.Random) -> random.Random:
    # Each stage gets its own stream so that editing one stage's word lists does
    # not reshuffle every other stage's output.
    return random.Random(master.getrandbits(64))


def _town_counts(rng: random.Random, depts: list[departments.Dept]) -> dict[str, int]:
    towns = [d for d in depts if d.category == "乡镇街道"]
    city = sum(len(guides.GUIDES[d.key].strip().splitlines()) for d in depts if d.category == "市直部门")
    share, extra = divmod(max(len(towns), TOTAL_SERVICES - city), len(towns))
    lucky = set(rng.sample([t.code for t in towns], k=extra))
    return {t.code: share + (t.code in lucky) for t in towns}


def generate(outdir: pathlib.Path, seed: int = 2024, scale: int = 1) -> dict[str, int]:
    """Write the sample city under `outdir` and return the number of records per kind.

    Writes `departments.csv` and `disclosures/<部门编码>/<kind>.csv|yaml` (a file
    only where the department has rows of that kind). Stale kind files under
    `disclosures/` are removed first; nothing else in `outdir` is touched.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    outdir = pathlib.Path(outdir)
    master = random.Random(seed)
    depts = departments.build(_child(master))
    power_rng, service_rng, complaint_rng, appraisal_rng, draw_rng = (_child(master) for _ in range(5))

    linked = {line.split("|")[0].split("/")[0]
              for block in guides.GUIDES.values() for line in block.strip().splitlines()}
    town_counts = _town_counts(_child(master), depts)
    used_windows: dict[str, set] = {}
    data: dict[str, dict[str, list[dict]]] = {d.code: {} for d in depts}
    for dept in depts:
        entries = powers.entries_for(dept, draw_rng)
        data[dept.code]["powers"] = powers.build(power_rng, dept, entries, scale, keep=linked)
    powers.withdraw(power_rng, [r for kinds in data.values() for r in kinds["powers"]],
                    {d.code: d for d in depts})
    for dept in depts:
        rows = data[dept.code]["powers"]
        guides_rows, promises = services.build(service_rng, dept, rows, scale, used_windows,
                                               town_counts.get(dept.code))
        data[dept.code].update(services=guides_rows, commitments=promises)

    # Complaints speak of the services as published at scale 1 (first copy only).
    matters = {code: [(c["name"], c["committed_days"], "和".join(g["service_object"]))
                      for c, g in zip(kinds["commitments"], kinds["services"])]
               [: len(kinds["commitments"]) // scale] for code, kinds in data.items()}
    cases = complaints.build(complaint_rng, depts, matters, scale)
    confirmed: dict[tuple[str, int], int] = {}
    for case in cases:
        data[case["department"]].setdefault("complaints", []).append(case)
        if case["finding"] != "不属实":
            key = (case["department"], int(case["code"][:4]))
            confirmed[key] = confirmed.get(key, 0) + 1
    for code, records in appraisals.build(appraisal_rng, depts, confirmed, scale).items():
        data[code]["appraisals"] = records

    writer.write_csv(outdir / "departments.csv", DEPARTMENTS, [d.row() for d in depts])
    root = outdir / "disclosures"
    writer.clear_disclosures(root)
    counts = {"departments": len(depts)} | {name: 0 for name in KINDS}
    for code, kinds in data.items():
        for name, kind in KINDS.items():
            records = kinds.get(name) or []
            if records:
                writer.write(root / code / f"{name}.{kind.file_format}", kind, records)
                counts[name] += len(records)
    return counts
