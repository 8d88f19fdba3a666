"""The English translation is complete, keeps its placeholders, and is what an English user sees."""

from __future__ import annotations

import ast
import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases.models import UserPreference
from tests.factories import ContactFactory
from tests.network.factories import NetworkMemberFactory
from tests.phases.helpers import open_phase

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%|\{\w*\}")


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: Path) -> list[dict]:
    """A tiny .po parser: each entry's flags, msgid, msgid_plural and msgstr(s).

    Enough for gettext's own output (makemessages): no obsolete (#~) entries are kept.
    """
    entries: list[dict] = []
    entry: dict = {}
    field: str | None = None

    def flush() -> None:
        if "msgid" in entry:
            entries.append(dict(entry))
        entry.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            field = None
        elif line.startswith("#,"):
            if "msgid" in entry:
                flush()
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#~"):
            continue
        elif line.startswith("#"):
            if "msgid" in entry:
                flush()
        elif line.startswith('"'):
            assert field is not None, f"continuation without a field: {raw!r}"
            entry[field] += _unquote(line)
        else:
            match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
            assert match, f"unexpected line in {path.name}: {raw!r}"
            field = match.group(1)
            entry[field] = _unquote(match.group(2))
    flush()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    if not PO_FILE.exists():
        pytest.fail(f"{PO_FILE} is missing: run makemessages -l en and translate it")
    entries = [e for e in read_po(PO_FILE) if e["msgid"]]  # the header has an empty msgid
    assert len(entries) > 500, "the English catalogue looks truncated"
    return entries


def _translations(entry: dict) -> list[str]:
    if "msgid_plural" in entry:
        return [v for k, v in entry.items() if k.startswith("msgstr[")]
    return [entry["msgstr"]]


def test_every_entry_is_translated_and_none_is_fuzzy(po_entries):
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e.get("flags", set())]
    untranslated = [e["msgid"] for e in po_entries if not all(_translations(e))]
    assert not fuzzy, f"fuzzy entries: {fuzzy[:10]}"
    assert not untranslated, f"untranslated entries: {untranslated[:10]}"
    plural_forms = [e for e in po_entries if "msgid_plural" in e]
    assert plural_forms and all(len(_translations(e)) == 2 for e in plural_forms)


def test_every_placeholder_survives_translation(po_entries):
    broken = []
    for entry in po_entries:
        wanted = set(PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for text in _translations(entry):
            if set(PLACEHOLDER.findall(text)) != wanted:
                broken.append((entry["msgid"], text))
    assert not broken, f"placeholders differ: {broken[:5]}"


def test_the_compiled_catalogue_is_committed_and_matches_the_po(po_entries):
    assert MO_FILE.exists(), "compile with: python manage.py compilemessages -l en"
    with MO_FILE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in po_entries:
        if "msgid_plural" in entry:
            compiled = [
                catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 1),
                catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 2),
            ]
        else:
            compiled = [catalogue.gettext(entry["msgid"])]
        if compiled != _translations(entry):
            stale.append(entry["msgid"])
    assert not stale, f"django.mo is out of date (compilemessages -l en): {stale[:5]}"


def test_translation_is_not_a_copy_of_the_dutch(po_entries):
    # Some words are the same in both languages (Status, Team, Video, names); most are not.
    same = [e["msgid"] for e in po_entries if _translations(e) == [e["msgid"]]]
    assert len(same) < len(po_entries) * 0.05, f"too many entries left in Dutch: {same[:20]}"


@pytest.fixture
def rich_family(family, alice):  # type: ignore[no-untyped-def]
    """The fixture family with a contact, a network member and a running phase."""
    today = timezone.localdate()
    ContactFactory(family=family, author=alice, date=today, minutes=60)
    NetworkMemberFactory(family=family, name="Oma Ria", relation="oma")
    open_phase(family, started_on=today - datetime.timedelta(days=3))
    return family


def _pages(family_id: int) -> dict[str, str]:
    return {
        "caseload": reverse("cases:caseload"),
        "family": reverse("cases:family_detail", args=[family_id]),
        "phases": reverse("phases:family_phases", args=[family_id]),
        "strengths": reverse("strengths:overview", args=[family_id]),
        "network": reverse("network:overview", args=[family_id]),
        "plan": reverse("cases:plan_detail", args=[family_id]),
    }


ENGLISH = {
    "caseload": ["My caseload", "Dedicated care worker", "Hours this month", "Log out"],
    "family": ["Family members", "Add family member", "No safety flag.", "Record contact"],
    "phases": ["Current phase", "Start phase", "Phase history", "Extra hours on relapse"],
    "strengths": ["Inclusion check", "Add assessment", "No assessments yet."],
    "network": [
        "Who cares that things go well for your child(ren)?",
        "Network map of Gezin Jansen",
        "Household in the centre.",
        "Network meetings",
    ],
    "plan": ["This family does not have a family plan yet.", "Start family plan"],
}

DUTCH = {
    "caseload": ["Mijn caseload", "Vaste hulpverlener", "Uren deze maand", "Uitloggen"],
    "family": [
        "Gezinsleden",
        "Gezinslid toevoegen",
        "Geen veiligheidssignaal.",
        "Contact vastleggen",
    ],
    "phases": ["Huidige fase", "Startfase", "Fasegeschiedenis", "Extra uren bij terugval"],
    "strengths": ["Inclusiecheck", "Meetmoment toevoegen", "Nog geen meetmomenten."],
    "network": [
        "Wie vinden het belangrijk",
        "Netwerkkaart van Gezin Jansen",
        "Huishouden in het midden.",
        "Netwerkbijeenkomsten",
    ],
    "plan": ["Dit gezin heeft nog geen gezinsplan.", "Gezinsplan beginnen"],
}


def test_an_english_user_sees_english_everywhere(alice, alice_client, rich_family):
    UserPreference.objects.create(user=alice, language="en")
    for name, url in _pages(rich_family.pk).items():
        response = alice_client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Language"] == "en", name
        html = response.content.decode()
        for text in ENGLISH[name]:
            assert text in html, f"{name}: {text!r} missing"
        for text in DUTCH[name]:
            assert text not in html, f"{name}: Dutch {text!r} still shown"


def _assert_language(html: str, shown: list[str], hidden: list[str], page: str) -> None:
    for text in shown:
        assert text in html, f"{page}: {text!r} missing"
    for text in hidden:
        assert text not in html, f"{page}: Dutch {text!r} still shown"


def test_an_english_psychologist_sees_the_caseload_in_english(
    psychologist, psychologist_client, rich_family
):
    UserPreference.objects.create(user=psychologist, language="en")
    response = psychologist_client.get(reverse("reports:caseload"))
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    _assert_language(
        response.content.decode(),
        shown=[
            "1 active family",
            "Hours / budget",
            "Hours per week (4 wks)",
            "Severity trend",
            "Open reminders",
            "Next review",
            "Workload per coach",
            "Case review planned",
        ],
        hidden=[
            "actief gezin",
            "Uren / budget",
            "Uren per week",
            "Verloop ernst",
            "Open herinneringen",
            "Volgende bespreking",
            "Belasting per coach",
            "Casusbespreking gepland",
        ],
        page="caseload",
    )


def test_an_english_coordinator_sees_the_team_report_in_english(
    coordinator, coordinator_client, rich_family
):
    UserPreference.objects.create(user=coordinator, language="en")
    response = coordinator_client.get(reverse("reports:team_report"), {"year": 2025})
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    _assert_language(
        response.content.decode(),
        shown=[
            "Team report Amsterdam Zuidoost, 2025",
            "Export (CSV)",
            "Print version",
            "Families per status and per phase (now)",
            "Shared decision making (SDM-Q-9, 0–100)",
            "Exit questionnaire (averages, 1–5)",
            "No questionnaires yet.",
        ],
        hidden=[
            "Teamrapport",
            "Exporteren",
            "Afdrukversie",
            "Gezinnen per status",
            "Samen beslissen",
            "Eindvragenlijst",
            "Nog geen vragenlijsten.",
        ],
        page="team report",
    )


def test_english_form_errors_and_messages(alice, alice_client, family):
    UserPreference.objects.create(user=alice, language="en")
    url = reverse("cases:contact_create", args=[family.pk])
    response = alice_client.post(url, {"date": "2999-01-01", "minutes": "5", "kind": "home_visit"})
    html = response.content.decode()
    assert "A date in the future is not possible; choose today or an earlier date." in html
    assert "Een datum in de toekomst kan niet; kies vandaag of een eerdere datum." not in html


def test_dutch_stays_the_default(alice_client, rich_family):
    for name, url in _pages(rich_family.pk).items():
        response = alice_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, name
        assert response["Content-Language"] == "nl", name
        html = response.content.decode()
        for text in DUTCH[name]:
            assert text in html, f"{name}: Dutch {text!r} missing"
        for text in ENGLISH[name]:
            assert text not in html, f"{name}: English {text!r} shown by default"
