"""Matching an evidence file to a blueprint's steps: 100,000 ticket rows against 200 steps,
beside a bare pass of the same file, and the ratio.

Ours: the file read as an upload is (`blueprint.evidence.files.read_file`: the encoding and
delimiter found, every row kept), every row's cells read by the mapping (dates parsed,
content hashes for the re-import check), every row matched (step column, category mapping,
then rapidfuzz's token_set_ratio on normalised, stemmed text against titles, descriptions
and aliases), and the proposals per step. The database half (the known-hash lookup and the
bulk insert) is not timed here.
Baseline: the same bytes decoded, `csv.reader` over them, and `rapidfuzz.process.extractOne`
of each row's text against the 200 step titles (its defaults), nothing else.
Target: ours ≤ 3× the baseline. Times are CPU time of this process (`time.process_time`),
so a machine busy with other work does not skew the ratio. Peak memory: tracemalloc's peak
over our pass (measured in a second run, since tracing slows it).
Run: .venv/bin/python benchmarks/evidence.py [--quick]   (--quick: 10,000 rows)
"""

from __future__ import annotations

import csv
import io
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import process  # noqa: E402

from blueprint.evidence import files, matching, proposals, rows  # noqa: E402

QUICK = "--quick" in sys.argv
ROWS = 10_000 if QUICK else 100_000
STEPS = 200
TARGET = 3.0
SEED = 22

NOUNS = (
    "płatność faktura dostawa paczka konto hasło zamówienie zwrot reklamacja kurier infolinia "
    "aplikacja logowanie koszyk rabat subskrypcja umowa licznik odczyt awaria order invoice "
    "delivery parcel account password refund complaint courier hotline app login basket "
    "discount subscription contract meter reading outage"
).split()
VERBS = (
    "nie działa nie przyszła odrzucona spóźniona zgubiona błędna zablokowane "
    "failed never arrived rejected late lost wrong blocked"
).split(" ")
FILLER = (
    "proszę o pilny kontakt od tygodnia czekam już trzeci raz piszę w tej sprawie "
    "please help I have been waiting for a week this is the third time"
).split()


def build(seed: int = SEED) -> tuple[bytes, list[matching.Step]]:
    rng = random.Random(seed)
    steps = []
    for i in range(STEPS):
        a, b = rng.sample(NOUNS, 2)
        steps.append(matching.Step(i + 1, f"{a.capitalize()} {b} {i}", f"Krok {a} i {b}"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["nr", "utworzono", "kanał", "kategoria", "treść"])
    for n in range(ROWS):
        words = [*rng.sample(NOUNS, 2), rng.choice(VERBS), *rng.sample(FILLER, 5)]
        rng.shuffle(words)
        day = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2026"
        writer.writerow(
            [f"Z-{n}", day, "telefon", rng.choice(("", "", "Płatności")), " ".join(words)]
        )
    return out.getvalue().encode("cp1250"), steps


def ours(content: bytes, steps: list[matching.Step]) -> tuple[int, int]:
    table = files.read_file(content, "tickets.csv")
    mapping = rows.ColumnMapping(
        text="treść", reference="nr", date="utworzono", category="kategoria"
    )
    read, problems = rows.read_rows(table, mapping)
    assert not problems
    hashes = {r.content_hash for r in read}
    matcher = matching.Matcher(steps, {"Płatności": 1})
    matches = [matcher.match(r.text, r.step, r.category) for r in read]
    found = proposals.propose(read, matches, {s.element_id: s.title for s in steps})
    matched = sum(1 for m in matches if m.element_id is not None)
    assert len(hashes) == len(read)
    return matched, len(found)


def bare(content: bytes, steps: list[matching.Step]) -> int:
    text = content.decode("cp1250")
    titles = [s.title for s in steps]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    next(reader)
    n = 0
    for row in reader:
        process.extractOne(row[4], titles)
        n += 1
    return n


def main() -> int:
    content, steps = build()
    print(f"{ROWS:,} rows ({len(content) / 1e6:.1f} MB, Windows-1250, semicolons) vs {STEPS} steps")
    start = time.process_time()
    assert bare(content, steps) == ROWS
    baseline = time.process_time() - start
    start = time.process_time()
    matched, steps_found = ours(content, steps)
    ours_time = time.process_time() - start
    tracemalloc.start()
    ours(content, steps)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ratio = ours_time / baseline
    print(f"baseline (csv.reader + process.extractOne): {baseline:6.2f} s CPU")
    print(
        f"ours (read, parse, hash, match, propose):   {ours_time:6.2f} s CPU  "
        f"({matched:,} matched to {steps_found} steps)"
    )
    print(f"ratio {ratio:.2f}× (target ≤ {TARGET:.0f}×: {'met' if ratio <= TARGET else 'missed'})")
    print(f"peak memory of our pass: {peak / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
