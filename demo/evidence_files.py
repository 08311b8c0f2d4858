"""The demo's evidence exports, generated with a fixed seed: a ticket export from the
service desk (Windows-1250, semicolons, as Polish Excel saves it; Polish and English
tickets) and a post-delivery NPS survey (UTF-8 with a BOM, commas). Same seed, same bytes.

Run `python -m demo.evidence_files DIR` to write them as files
(`northwind-tickets.csv`, `northwind-nps.csv`); `flask seed-demo` imports them onto the demo's
current blueprint, so the demo's insights show where they came from.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from datetime import date, timedelta
from pathlib import Path

SEED = 2026
START = date(2026, 1, 5)
DAYS = 84

# theme: (category in the export, weight, Polish texts, English texts)
TICKET_THEMES = [
    (
        "Potwierdzenia",
        30,
        [
            "Nie dostałem potwierdzenia zamówienia {order}, dzwonię już drugi raz",
            "Brak potwierdzenia zamówienia od dwóch dni, proszę o termin dostawy",
            "Gdzie jest potwierdzenie zamówienia {order}? Sklep musi planować półki",
        ],
        [
            "Still no order confirmation for {order} after two days",
            "Where is my confirmation? We need the delivery date for {order}",
        ],
    ),
    (
        "Dostawa",
        26,
        [
            "Brakuje {n} kartonów w dostawie {order}",
            "Niepełna dostawa, brak {n} palet, towar potrzebny na sobotę",
            "Dostawa {order} przyszła bez części towaru",
        ],
        [
            "Short delivery on {order}: {n} boxes missing",
            "Delivery {order} arrived incomplete again",
        ],
    ),
    (
        "Faktury",
        18,
        [
            "Faktura do {order} nie zgadza się z zamówieniem",
            "Na fakturze są pozycje, których nie dostaliśmy",
            "Proszę o korektę faktury, ilości nie zgadzają się z dostawą",
        ],
        [
            "Invoice for {order} does not match the PO",
            "We were invoiced for goods that never arrived",
        ],
    ),
    (
        "Śledzenie",
        10,
        [
            "Strona śledzenia przesyłki nie pokazuje dostawy {order}",
            "Link do śledzenia z e-maila nie działa",
        ],
        ["The tracking page shows nothing for {order}", "Tracking link in the e-mail is broken"],
    ),
    (
        "Sklep internetowy",
        10,
        [
            "Sklep pokazywał dostępność, a towaru nie było",
            "Dostępność w sklepie internetowym była błędna dla {n} pozycji",
        ],
        ["Web shop showed stock that was not there", "Availability online was wrong again"],
    ),
    (
        "",
        6,
        ["Proszę o zmianę adresu e-mail do kontaktu", "Czy możemy dostać nowy katalog?"],
        ["Please update our contact person", "Can you send the new catalogue?"],
    ),
]

# theme: (weight, score range, Polish comments, English comments)
SURVEY_THEMES = [
    (
        35,
        (9, 10),
        ["Kierowca bardzo uprzejmy, rozładunek sprawny", "Kierowca pomógł wnieść palety"],
        ["Friendly driver, quick hand-over", "The driver helped us unload, great service"],
    ),
    (
        30,
        (0, 5),
        ["Potwierdzenie zamówienia przychodzi za późno", "Czekamy na potwierdzenie zamówienia"],
        ["The order confirmation comes far too late", "Waiting ages for the order confirmation"],
    ),
    (
        20,
        (2, 6),
        ["Niepełna dostawa, znowu braki", "Dostawa z brakami, trzeba dzwonić"],
        ["Short delivery again", "Delivery incomplete, had to call the desk"],
    ),
    (
        15,
        (6, 8),
        ["Ogólnie w porządku", "Bez uwag"],
        ["Fine overall", "No comments"],
    ),
]


def _day(rng: random.Random) -> date:
    return START + timedelta(days=rng.randrange(DAYS))


def _pick(rng: random.Random, themes, weight_at: int):
    return rng.choices(themes, weights=[t[weight_at] for t in themes])[0]


def tickets_csv(rows: int = 240, seed: int = SEED) -> bytes:
    """The service desk's ticket export: id, created, channel, category, subject, text."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Nr zgłoszenia", "Utworzono", "Kanał", "Kategoria", "Treść"])
    for n in range(rows):
        category, _w, polish, english = _pick(rng, TICKET_THEMES, 1)
        texts = polish if rng.random() < 0.65 else english
        order = f"ZAM-{rng.randint(40000, 49999)}"
        text = rng.choice(texts).format(order=order, n=rng.randint(2, 9))
        created = _day(rng)
        channel = rng.choice(("telefon", "e-mail", "e-mail", "formularz"))
        writer.writerow([f"NW-{10001 + n}", created.strftime("%d.%m.%Y"), channel, category, text])
    return out.getvalue().encode("cp1250")


def survey_csv(rows: int = 120, seed: int = SEED + 1) -> bytes:
    """The post-delivery NPS survey: response id, submitted, score 0–10, comment."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Response ID", "Submitted", "NPS score", "Verbatim"])
    for n in range(rows):
        _w, (low, high), polish, english = _pick(rng, SURVEY_THEMES, 0)
        text = rng.choice(polish if rng.random() < 0.5 else english)
        writer.writerow([f"R{5001 + n}", _day(rng).isoformat(), rng.randint(low, high), text])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else ".")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "northwind-tickets.csv").write_bytes(tickets_csv())
    (folder / "northwind-nps.csv").write_bytes(survey_csv())
    print(f"Wrote northwind-tickets.csv and northwind-nps.csv to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
