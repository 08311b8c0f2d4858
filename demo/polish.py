"""`seed-demo --lang pl`: a Polish demo workspace of its own, not a translation of the
English one. A Polish maker of invoicing and ERP software for small firms (Księgowo) maps
how a business client is onboarded, from the signed order to the first invoice sent through
KSeF, the national e-invoicing system, and the first month's support.

The pain is concentrated on purpose: most of it traces down to the data importer and the
single onboarding manager, so the root-cause ranking tells a story in Polish too.
Demo only: the password is published in README.
"""

from __future__ import annotations

from datetime import date, timedelta

from accounts import services as accounts
from accounts.models import Role, User, Workspace
from backlog import services as backlog
from backlog.models import (
    BacklogSettings,
    Horizon,
    ImprovementTask,
    Insight,
    InsightKind,
    MoSCoW,
    TaskStatus,
)
from blueprint import services
from blueprint.models import (
    BuyingRole,
    Channel,
    Element,
    ElementKind,
    EvidenceSource,
    Persona,
)
from demo.blueprints import CatalogEntry, Step, _build
from demo.sharing import seed_share_link

POLISH_WORKSPACE = "Księgowo — wdrożenia klientów"
# The Polish demo user reads Rootline in Polish, with times in Warsaw.
POLISH_USER = ("agnieszka@example.com", "Agnieszka Wiśniewska")
# The English demo's users join it too, so either login can see both workspaces.
MEMBERS = {
    "demo@example.com": Role.EDITOR,
    "editor@example.com": Role.EDITOR,
    "viewer@example.com": Role.VIEWER,
}

E, C, F, B, S = (
    ElementKind.PHYSICAL_EVIDENCE,
    ElementKind.CUSTOMER_ACTION,
    ElementKind.FRONTSTAGE,
    ElementKind.BACKSTAGE,
    ElementKind.SUPPORT,
)

CATALOG = [
    CatalogEntry(
        "opiekun",
        ElementKind.PERSON,
        "Opiekun wdrożenia",
        "Prowadzi nowe firmy przez konfigurację i import danych.",
        "Jeden opiekun na 40 nowych firm w miesiącu; terminy po dwóch dniach",
    ),
    CatalogEntry("wsparcie", ElementKind.PERSON, "Dział wsparcia", "Czat i telefon, 8:00–18:00."),
    CatalogEntry("sprzedaz", ElementKind.PERSON, "Zespół sprzedaży", "Oferty i umowy."),
    CatalogEntry(
        "importer",
        ElementKind.SYSTEM,
        "Importer danych z Excela i CSV",
        "Wczytuje kontrahentów, towary i salda otwarcia.",
        "Źle rozpoznaje kodowanie plików z programów księgowych (Windows-1250)",
    ),
    CatalogEntry(
        "ksef",
        ElementKind.SYSTEM,
        "Bramka KSeF",
        "Wysyła faktury do Krajowego Systemu e-Faktur i odbiera numery KSeF.",
        "Token autoryzacyjny wygasa bez ostrzeżenia",
    ),
    CatalogEntry("billing", ElementKind.SYSTEM, "System rozliczeń", "Abonamenty i faktury."),
    CatalogEntry("crm", ElementKind.SYSTEM, "CRM", "Firmy, osoby kontaktowe, zgłoszenia."),
]

ONBOARDING = {
    "name": "Wdrożenie klienta biznesowego",
    "goal": "Dowiedzieć się, dlaczego co piąta nowa firma rezygnuje przed pierwszą fakturą "
    "i gdzie gubi się czas między umową a pierwszą wysyłką do KSeF.",
    "scope": "Od podpisania umowy do pierwszego miesiąca pracy z programem.",
    "stages": ["Umowa", "Konfiguracja konta", "Import danych", "Pierwsza faktura", "Wsparcie"],
    "elements": [
        Step("e_umowa", 0, E, "Umowa i cennik w PDF", {"channel": Channel.EMAIL}),
        Step(
            "c_zamawia",
            0,
            C,
            "Zamawia pakiet dla firmy",
            {"emotion": 1, "channel": Channel.WEB, "evidence_source": EvidenceSource.CRM},
        ),
        Step("f_oferta", 0, F, "Handlowiec przedstawia ofertę", {"channel": Channel.PHONE}),
        Step("b_nip", 0, B, "Weryfikacja NIP i danych z rejestru"),
        Step("s_konto", 0, S, "Założenie konta w systemie rozliczeń"),
        Step("e_powitanie", 1, E, "E-mail powitalny z linkiem aktywacyjnym"),
        Step(
            "c_aktywuje",
            1,
            C,
            "Aktywuje konto i zaprasza księgową",
            {"emotion": 0, "channel": Channel.WEB},
        ),
        Step("f_kreator", 1, F, "Kreator konfiguracji firmy", {"channel": Channel.WEB}),
        Step(
            "b_uprawnienia",
            1,
            B,
            "Nadanie uprawnień użytkownikom",
            {"fail_point": True, "fail_note": "Zaproszenie księgowej trafia do spamu"},
        ),
        Step("e_szablon", 2, E, "Szablon importu kontrahentów (.xlsx)"),
        Step(
            "c_importuje",
            2,
            C,
            "Importuje kontrahentów i towary",
            {
                "emotion": -2,
                "channel": Channel.WEB,
                "duration_minutes": 90,
                "tolerance_minutes": 20,
                "evidence_source": EvidenceSource.CALL_CENTRE,
            },
        ),
        Step(
            "f_pomoc",
            2,
            F,
            "Opiekun wdrożenia pomaga przy imporcie",
            {"wait_point": True, "channel": Channel.PHONE, "end_stage": 3},
        ),
        Step(
            "b_mapowanie",
            2,
            B,
            "Walidacja i mapowanie pól importu",
            {"fail_point": True, "fail_note": "Znaki „ąćęłńóśźż” zamieniają się w krzaki"},
        ),
        Step("e_podglad", 3, E, "Podgląd pierwszej faktury"),
        Step(
            "c_wystawia",
            3,
            C,
            "Wystawia pierwszą fakturę",
            {"emotion": -1, "moment_of_truth": True, "channel": Channel.WEB},
        ),
        Step(
            "f_ksef",
            3,
            F,
            "Połączenie z KSeF",
            {"fail_point": True, "fail_note": "Błąd autoryzacji bez wyjaśnienia"},
        ),
        Step("b_wysylka", 3, B, "Wysyłka faktury do KSeF i odbiór numeru"),
        Step("e_abonament", 4, E, "Faktura za abonament"),
        Step(
            "c_czat",
            4,
            C,
            "Zgłasza problem przez czat",
            {"emotion": -2, "channel": Channel.CHAT, "wait_point": True},
        ),
        Step("f_odpowiedz", 4, F, "Dział wsparcia odpowiada na zgłoszenie"),
        Step("b_eskalacja", 4, B, "Eskalacja do zespołu produktu"),
    ],
    "links": [
        ("c_zamawia", "c_aktywuje", "next"),
        ("c_aktywuje", "c_importuje", "next"),
        ("c_importuje", "c_wystawia", "next"),
        ("c_wystawia", "c_czat", "next"),
        ("c_zamawia", "e_umowa", "relies_on"),
        ("c_zamawia", "f_oferta", "relies_on"),
        ("f_oferta", "sprzedaz", "performed_by"),
        ("f_oferta", "b_nip", "relies_on"),
        ("b_nip", "s_konto", "relies_on"),
        ("s_konto", "billing", "uses"),
        ("c_aktywuje", "e_powitanie", "relies_on"),
        ("c_aktywuje", "f_kreator", "relies_on"),
        ("f_kreator", "b_uprawnienia", "relies_on"),
        ("b_uprawnienia", "crm", "uses"),
        ("c_importuje", "e_szablon", "relies_on"),
        ("c_importuje", "f_pomoc", "relies_on"),
        ("f_pomoc", "opiekun", "performed_by"),
        ("f_pomoc", "b_mapowanie", "relies_on"),
        ("b_mapowanie", "importer", "uses"),
        ("c_wystawia", "e_podglad", "relies_on"),
        ("c_wystawia", "f_ksef", "relies_on"),
        ("f_ksef", "b_wysylka", "relies_on"),
        ("b_wysylka", "ksef", "uses"),
        ("c_czat", "f_odpowiedz", "relies_on"),
        ("f_odpowiedz", "wsparcie", "performed_by"),
        ("f_odpowiedz", "b_eskalacja", "relies_on"),
        ("b_eskalacja", "opiekun", "performed_by"),
    ],
}

P, OPP, OB, COMP = (
    InsightKind.PAIN_POINT,
    InsightKind.OPPORTUNITY,
    InsightKind.OBSERVATION,
    InsightKind.COMPLIMENT,
)
# (key, element title, kind, title, severity, frequency, source, reference)
INSIGHTS = [
    (
        "krzaki",
        "Importuje kontrahentów i towary",
        P,
        "Import zamienia polskie znaki w krzaki",
        5,
        4,
        EvidenceSource.CALL_CENTRE,
        "Zgłoszenia #2311, #2318, #2340",
    ),
    (
        "czekanie",
        "Opiekun wdrożenia pomaga przy imporcie",
        P,
        "Dwa dni czekania na termin z opiekunem",
        4,
        4,
        EvidenceSource.SURVEY,
        "Ankieta po wdrożeniu, 48% komentarzy",
    ),
    (
        "ksef_blad",
        "Połączenie z KSeF",
        P,
        "Nie wiadomo, czy faktura trafiła do KSeF",
        5,
        3,
        EvidenceSource.INTERVIEW,
        "„Wysłałam fakturę i do dziś nie wiem, czy klient ją dostał.” — właścicielka biura "
        "rachunkowego",
    ),
    (
        "spam",
        "Nadanie uprawnień użytkownikom",
        P,
        "Księgowa nie dostaje zaproszenia",
        3,
        3,
        EvidenceSource.CALL_CENTRE,
        "Czat, wrzesień: 37 rozmów",
    ),
    (
        "jpk",
        "Importuje kontrahentów i towary",
        OPP,
        "Import wprost z pliku JPK poprzedniego programu",
        3,
        2,
        EvidenceSource.WORKSHOP,
        "Warsztat z biurami rachunkowymi, Łódź",
    ),
    (
        "kreator",
        "Kreator konfiguracji firmy",
        COMP,
        "Kreator konfiguracji jest jasny i szybki",
        2,
        4,
        EvidenceSource.SURVEY,
        "NPS, komentarze pozytywne",
    ),
    (
        "godziny",
        "Zgłasza problem przez czat",
        OB,
        "Najwięcej zgłoszeń przychodzi po 18:00, w dniu zamknięcia miesiąca",
        3,
        3,
        EvidenceSource.CRM,
        "Raport zgłoszeń, III kwartał",
    ),
]

# (title, status, owner, team, due in days, horizon, MoSCoW, impact, effort, insights, targets)
TASKS = [
    (
        "Rozpoznawanie kodowania Windows-1250 w imporcie",
        TaskStatus.IN_PROGRESS,
        POLISH_USER[0],
        "Zespół produktu",
        10,
        Horizon.QUICK_WIN,
        MoSCoW.MUST,
        5,
        2,
        ["krzaki"],
        ["Walidacja i mapowanie pól importu"],
    ),
    (
        "Samodzielne umawianie terminu z opiekunem",
        TaskStatus.PLANNED,
        "editor@example.com",
        "Wdrożenia",
        30,
        Horizon.SHORT_TERM,
        MoSCoW.SHOULD,
        4,
        3,
        ["czekanie"],
        ["Opiekun wdrożenia"],
    ),
    (
        "Status wysyłki do KSeF przy każdej fakturze",
        TaskStatus.PLANNED,
        POLISH_USER[0],
        "Zespół produktu",
        45,
        Horizon.SHORT_TERM,
        MoSCoW.MUST,
        5,
        3,
        ["ksef_blad"],
        ["Połączenie z KSeF"],
    ),
    (
        "Ostrzeżenie tydzień przed wygaśnięciem tokenu KSeF",
        TaskStatus.IDEA,
        None,
        "Zespół produktu",
        None,
        Horizon.QUICK_WIN,
        MoSCoW.SHOULD,
        4,
        1,
        ["ksef_blad"],
        ["Bramka KSeF"],
    ),
    (
        "Zaproszenia wysyłane z domeny z poprawnym SPF i DKIM",
        TaskStatus.DONE,
        "viewer@example.com",
        "IT",
        -12,
        Horizon.QUICK_WIN,
        MoSCoW.MUST,
        3,
        1,
        ["spam"],
        ["Nadanie uprawnień użytkownikom"],
    ),
    (
        "Import z pliku JPK",
        TaskStatus.IDEA,
        None,
        "Zespół produktu",
        None,
        Horizon.LONG_TERM,
        MoSCoW.COULD,
        3,
        5,
        ["jpk"],
        ["Importer danych z Excela i CSV"],
    ),
    (
        "Dyżur wsparcia w dniach zamknięcia miesiąca",
        TaskStatus.DROPPED,
        "demo@example.com",
        "Dział wsparcia",
        None,
        Horizon.SHORT_TERM,
        MoSCoW.WONT,
        2,
        4,
        ["godziny"],
        ["Dział wsparcia"],
    ),
]


def seed_polish_demo(password: str) -> Workspace:
    """The Polish demo workspace, its Polish user (language pl, Europe/Warsaw) and the
    English demo's users as members. The caller commits."""
    email, name = POLISH_USER
    owner = accounts.find_user(email) or accounts.create_user(email, name, password)
    accounts.change_preferences(owner, "pl", "Europe/Warsaw")
    workspace = accounts.create_workspace(POLISH_WORKSPACE, owner)
    for member, role in MEMBERS.items():
        if accounts.find_user(member) is not None:
            accounts.add_member(workspace, member, role)
    blueprint = _seed_blueprint(workspace.id, owner)
    _seed_backlog(workspace.id, blueprint.id, owner)
    seed_share_link(blueprint, owner.id, label="Dla zarządu")
    return workspace


def _seed_blueprint(workspace_id: int, owner: User):
    persona = services.save_persona(
        Persona(workspace_id=workspace_id),
        {
            "name": "Żaneta, główna księgowa biura rachunkowego",
            "segment": "Biura rachunkowe i małe firmy usługowe, 3–25 osób",
            "buying_role": BuyingRole.DECISION_MAKER,
            "goals": "Przenieść klientów biura do nowego programu bez przestoju w fakturowaniu.",
            "needs": "Pewność, że każda faktura trafiła do KSeF; import danych bez poprawek.",
            "pains": "Ręczne poprawianie importu; telefon do wsparcia w dniu zamknięcia miesiąca.",
            "jobs_to_be_done": "Co miesiąc wystawić i rozliczyć faktury kilkudziesięciu klientów.",
        },
    )
    services.save_persona(
        Persona(workspace_id=workspace_id),
        {
            "name": "Łukasz, właściciel firmy instalacyjnej",
            "segment": "Mikrofirmy, 1–9 osób",
            "buying_role": BuyingRole.BUDGET_HOLDER,
            "pains": "Zapłacił za abonament, a przez dwa tygodnie nie wystawił żadnej faktury.",
        },
    )
    catalog = {
        entry.key: services.add_catalog_element(
            workspace_id,
            entry.kind,
            {
                "title": entry.title,
                "description": entry.description,
                "fail_point": bool(entry.fail_note),
                "fail_note": entry.fail_note,
            },
        )
        for entry in CATALOG
    }
    return _build(
        workspace_id,
        ONBOARDING,
        catalog,
        persona_id=persona.id,
        owner_id=owner.id,
        review_cadence_days=60,
        last_reviewed_on=date.today() - timedelta(days=12),
    )


def _seed_backlog(workspace_id: int, blueprint_id: int, owner: User) -> None:
    from sqlalchemy import select

    from extensions import db

    elements = {
        e.title: e
        for e in db.session.scalars(select(Element).where(Element.workspace_id == workspace_id))
    }
    today = date.today()
    insights = {}
    for n, (key, seen_at, kind, title, severity, frequency, source, ref) in enumerate(INSIGHTS):
        insights[key] = backlog.save_insight(
            Insight(workspace_id=workspace_id, author_id=owner.id),
            {
                "kind": kind,
                "title": title,
                "severity": severity,
                "frequency": frequency,
                "evidence_source": source,
                "evidence_reference": ref,
                "observed_on": today - timedelta(days=4 + 5 * n),
                "blueprint_id": blueprint_id,
                "element_id": elements[seen_at].id,
            },
        )
    users = {
        u.email: u.id
        for u in db.session.scalars(select(User).where(User.email.in_([POLISH_USER[0], *MEMBERS])))
    }
    for title, status, who, team, due, horizon, moscow, impact, effort, keys, targets in TASKS:
        backlog.save_task(
            ImprovementTask(workspace_id=workspace_id),
            {
                "title": title,
                "status": status,
                "owner_id": users.get(who),
                "team": team,
                "due_on": today + timedelta(days=due) if due is not None else None,
                "horizon": horizon,
                "moscow": moscow,
                "impact": impact,
                "effort": effort,
            },
            [insights[k].id for k in keys],
            [elements[t].id for t in targets],
        )
    db.session.add(
        BacklogSettings(workspace_id=workspace_id, framework="value_effort", quadrant_threshold=3)
    )
    db.session.flush()
