"""Bad input in the existing cases forms: a clear Dutch error or harmless text, never a
500 and never someone else's data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import AccessLog, Contact, Family, Member
from tests.factories import ContactFactory, FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
NUL_MESSAGE = "De invoer bevat een ongeldig teken (NUL). Verwijder het en probeer het opnieuw."


def contact_data(**overrides):  # type: ignore[no-untyped-def]
    return {"date": "2025-01-10", "minutes": "60", "kind": "home_visit", "note": "", **overrides}


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"minutes": "abc"}, "Voer een geheel getal in"),
        ({"minutes": "100000"}, "Maximaal 720 minuten"),
        ({"minutes": "-5"}, "Minimaal 5 minuten"),
        ({"date": "10/01/2025x"}, "Voer een geldige datum in"),
        ({"kind": "teleport"}, "Selecteer een geldige keuze"),
        ({"domains": ["child", "mars"]}, "Selecteer een geldige keuze"),
        ({"note": "x" * 20_001}, "niet meer dan 20.000 tekens"),
    ],
)
def test_contact_form_bad_input(family, alice_client, overrides, message):
    response = alice_client.post(
        reverse("cases:contact_create", args=[family.pk]), contact_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_form_rejects_a_member_of_another_family(family, alice_client):
    stranger = MemberFactory(family=FamilyFactory(team=family.team))
    response = alice_client.post(
        reverse("cases:contact_create", args=[family.pk]),
        contact_data(members_present=[stranger.pk]),
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_of_another_family_cannot_be_edited_through_this_one(family, alice, alice_client):
    other = FamilyFactory(team=family.team, coach=alice)
    contact = ContactFactory(family=other, author=alice, minutes=60)
    response = alice_client.post(
        reverse("cases:contact_edit", args=[family.pk, contact.pk]),
        contact_data(minutes="30", version=contact.version),
    )
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.minutes == 60


def test_member_of_another_family_cannot_be_edited_through_this_one(family, alice, alice_client):
    stranger = MemberFactory(family=FamilyFactory(team=family.team, coach=alice), name="Vreemd")
    response = alice_client.post(
        reverse("cases:member_edit", args=[family.pk, stranger.pk]),
        {"name": "Overgenomen", "role": "child"},
    )
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.name == "Vreemd"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": "x" * 121}, "niet meer dan 120 tekens"),
        ({"name": ""}, "Dit veld is verplicht"),
        ({"date_of_birth": "1 januari"}, "Voer een geldige datum in"),
        ({"role": "king"}, "Selecteer een geldige keuze"),
    ],
)
def test_member_form_bad_input(family, alice_client, overrides, message):
    data = {"name": "Sara", "role": "child", "lives_in_household": "on", **overrides}
    response = alice_client.post(reverse("cases:member_create", args=[family.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert family.members.count() == 2


def family_data(own_team, **overrides):  # type: ignore[no-untyped-def]
    return {
        "case_number": "FK-NEW-1",
        "display_name": "Gezin Nieuw",
        "area": "",
        "team": own_team.pk,
        "status": "referred",
        "referrer": "gp",
        "referrer_detail": "",
        "referral_date": "2025-01-10",
        **overrides,
    }


def test_family_create_works(team, coordinator_client):
    response = coordinator_client.post(reverse("cases:family_create"), family_data(team))
    assert response.status_code == 302
    assert Family.objects.filter(case_number="FK-NEW-1").exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("case_number", "x" * 33, "niet meer dan 32 tekens"),
        ("display_name", "x" * 121, "niet meer dan 120 tekens"),
        ("referrer_detail", "x" * 201, "niet meer dan 200 tekens"),
        ("referral_date", "2999-01-01", "toekomst"),
        ("referral_date", "gisteren", "Voer een geldige datum in"),
        ("status", "gone", "Selecteer een geldige keuze"),
        ("team", "abc", "Selecteer een geldige keuze"),
    ],
)
def test_family_form_bad_input(team, coordinator_client, field, value, message):
    response = coordinator_client.post(
        reverse("cases:family_create"), family_data(team, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Family.objects.filter(case_number="FK-NEW-1").exists()


def test_family_form_rejects_another_teams_team_and_coach(
    team, other_team, charlie, coordinator_client
):
    for overrides in ({"team": other_team.pk}, {"coach": charlie.pk}, {"involved": [charlie.pk]}):
        response = coordinator_client.post(
            reverse("cases:family_create"), family_data(team, **overrides)
        )
        assert response.status_code == 200, overrides
        assert "Selecteer een geldige keuze" in response.content.decode(), overrides
    assert not Family.objects.filter(case_number="FK-NEW-1").exists()


def test_safety_note_too_long_is_refused(family, alice_client):
    response = alice_client.post(
        reverse("cases:family_safety", args=[family.pk]),
        {"safety_flag": "on", "safety_note": "x" * 2001},
        follow=True,
    )
    assert response.status_code == 200
    assert "niet meer dan 2.000 tekens" in response.content.decode()
    family.refresh_from_db()
    assert not family.safety_flag


def test_family_search_with_odd_input_is_no_error(family, bob_client):
    for q in ("x" * 500, "%' OR 1=1 --", SCRIPT):
        response = bob_client.get(reverse("cases:family_list"), {"q": q, "page": "abc"})
        assert response.status_code == 200
        assert SCRIPT not in response.content.decode()
        # The search itself is a POST; the term is shown back escaped, never as markup.
        response = bob_client.post(reverse("cases:family_list"), {"q": q, "page": "abc"})
        assert response.status_code == 200
        assert SCRIPT not in response.content.decode()
    # A NUL byte is refused with a message (familiekracht.middleware.RefuseNulMiddleware).
    response = bob_client.get(reverse("cases:family_list"), {"q": "\x00", "page": "abc"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    response = bob_client.post(reverse("cases:family_list"), {"q": "\x00", "page": "abc"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_script_in_text_fields_is_shown_as_text(family, alice, alice_client, coordinator_client):
    Family.objects.filter(pk=family.pk).update(
        display_name=SCRIPT, area=SCRIPT, referrer_detail=SCRIPT
    )
    Member.objects.filter(family=family).update(name=SCRIPT)
    ContactFactory(family=family, author=alice, note=SCRIPT)
    alice_client.post(
        reverse("cases:family_safety", args=[family.pk]),
        {"safety_flag": "on", "safety_note": SCRIPT},
    )
    pages = [
        reverse("cases:family_detail", args=[family.pk]),
        reverse("cases:family_list"),
        reverse("cases:caseload"),
        reverse("cases:family_edit", args=[family.pk]),
        reverse("cases:records", args=[family.pk]),
        reverse("cases:member_edit", args=[family.pk, family.members.first().pk]),
    ]
    for url in pages:
        content = alice_client.get(url).content.decode()
        assert SCRIPT not in content, url
        assert ESCAPED in content, url
    content = coordinator_client.get(reverse("cases:access_log", args=[family.pk])).content
    assert SCRIPT.encode() not in content


def test_every_text_field_has_a_maximum_length():
    """Models of every app: a TextField or CharField without max_length is unbounded input."""
    from django.apps import apps
    from django.db import models

    ours = {"cases", "phases", "network", "strengths", "reports"}
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in ours
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.max_length
    ]
    assert not unbounded, unbounded


# --- Every integer input has bounds that fit the database ---------------------------------

BIGINT_MAX = 9_223_372_036_854_775_807
APPS = ("cases", "phases", "network", "strengths", "reports")


def _form_classes():  # type: ignore[no-untyped-def]
    """Every Form and ModelForm defined in a forms module of our apps (found, not listed)."""
    import importlib
    import inspect
    import pkgutil

    from django import forms

    found = []
    for app in APPS:
        package = importlib.import_module(app)
        # Sub-packages too (cases.plan.forms, cases.records.forms).
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if not info.name.endswith("forms"):
                continue
            module = importlib.import_module(info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    found.append(cls)
    return found


FORM_CLASSES = _form_classes()


def test_the_form_walk_finds_the_forms():
    names = {cls.__name__ for cls in FORM_CLASSES}
    assert {"ContactForm", "EventForm", "KrachtgezinForm", "DefinitionForm", "YearForm"} <= names


@pytest.mark.parametrize(
    "form_class", FORM_CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__name__}"
)
def test_every_integer_field_is_bounded(form_class):
    from django import forms

    # The class's fields: declared ones and those a ModelForm makes from its model.
    unbounded = [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.IntegerField)  # DecimalField is one too
        and not (
            field.max_value is not None
            and field.min_value is not None
            and -BIGINT_MAX - 1 <= field.min_value <= field.max_value <= BIGINT_MAX
        )
    ]
    assert not unbounded, unbounded


# --- Ids in URLs beyond what the database holds: 404, and the attempt is logged -----------

URL_APPS = ("cases", "phases", "network", "strengths", "reports")
OUT_OF_RANGE = (0, BIGINT_MAX + 1, 10**30)
STR_ARGUMENTS = {"perspective": "joint", "filename": "gezinsplan.pdf"}


def _url_patterns():  # type: ignore[no-untyped-def]
    """name -> URL pattern, for every URL of our apps that takes an id."""
    from django.urls import URLResolver, get_resolver

    def patterns(resolver):  # type: ignore[no-untyped-def]
        # Included URL modules without a namespace of their own (cases/plan/urls.py)
        # keep their names in the app's namespace.
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from patterns(pattern)
            else:
                yield pattern

    found = {}
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in URL_APPS:
            for pattern in patterns(entry):
                if _ids(pattern.pattern):
                    found[f"{entry.namespace}:{pattern.name}"] = pattern.pattern
    return found


def _ids(pattern) -> set[str]:  # type: ignore[no-untyped-def]
    return {k for k, c in pattern.converters.items() if c.regex == "[0-9]+"}


def _url(name: str, **ids: int) -> str:
    """The URL `name` with the given ids, 1 for any other id and a harmless word for text."""
    pattern = URL_PATTERNS[name]
    kwargs = {
        k: ids.get(k, 1) if k in _ids(pattern) else STR_ARGUMENTS[k] for k in pattern.converters
    }
    return reverse(name, kwargs=kwargs)


URL_PATTERNS = _url_patterns()
FAMILY_URLS = [name for name, pattern in URL_PATTERNS.items() if "family_id" in _ids(pattern)]
OTHER_ID_URLS = [name for name, pattern in URL_PATTERNS.items() if _ids(pattern) - {"family_id"}]


def test_the_url_walk_finds_the_family_pages():
    assert {"cases:family_detail", "cases:contact_edit", "reports:plan_pdf_share"} <= set(
        FAMILY_URLS
    )
    assert len(FAMILY_URLS) > 40


def test_family_id_out_of_range_is_404_and_logged_as_denied(alice_client):
    response = alice_client.get("/families/9223372036854775808/")
    assert response.status_code == 404
    row = AccessLog.objects.get(action="read")
    assert (row.outcome, row.family_id_ref, row.object) == (
        "denied",
        None,
        "gezin-id buiten bereik",
    )
    response = alice_client.get("/families/0/")
    assert response.status_code == 404
    assert (
        AccessLog.objects.filter(
            outcome="denied", family_id_ref=None, object="gezin-id buiten bereik"
        ).count()
        == 2
    )


@pytest.mark.parametrize("name", FAMILY_URLS)
def test_every_family_page_with_an_id_out_of_range_is_404(name, coordinator_client):
    for value in OUT_OF_RANGE:
        for method in ("get", "post"):
            url = _url(name, family_id=value)
            before = AccessLog.objects.count()
            response = getattr(coordinator_client, method)(url)
            assert response.status_code in (404, 405), (url, method, response.status_code)
            if response.status_code == 404:
                row = AccessLog.objects.order_by("-pk").first()
                assert AccessLog.objects.count() == before + 1, (url, method)
                assert (row.outcome, row.family_id_ref) == ("denied", None), (url, method)


@pytest.mark.parametrize("name", OTHER_ID_URLS)
def test_every_other_id_out_of_range_is_404(name, family, coordinator_client):
    ids = _ids(URL_PATTERNS[name]) - {"family_id"}
    for value in OUT_OF_RANGE:
        for method in ("get", "post"):
            url = _url(name, family_id=family.pk, **dict.fromkeys(ids, value))
            response = getattr(coordinator_client, method)(url)
            assert response.status_code in (404, 405), (url, method, response.status_code)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite cannot compare ids beyond 64 bits in an IN (...) lookup (OverflowError)",
)
def test_ids_out_of_range_in_form_choices_are_a_form_error(family, alice_client):
    response = alice_client.post(
        reverse("cases:contact_create", args=[family.pk]),
        contact_data(members_present=[str(10**20)]),
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        ("strengths:analysis_create", "member"),
        ("network:agreement_create", "meeting"),
    ],
)
@pytest.mark.parametrize("value", [str(10**30), "\u00b2", "0"])
def test_ids_in_query_strings_are_no_error(family, alice_client, query, value):
    name, parameter = query
    response = alice_client.get(reverse(name, args=[family.pk]), {parameter: value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", [str(10**30), "\u00b2"])
def test_team_in_the_phase_definitions_query_is_no_error(coordinator_client, value):
    response = coordinator_client.get(reverse("phases:definitions"), {"team": value})
    assert response.status_code == 404


# --- NUL bytes are refused everywhere, before any view or log runs -------------------------


def test_nul_in_a_query_string_is_400_with_a_dutch_message(family, alice_client):
    before = AccessLog.objects.count()
    response = alice_client.get(reverse("cases:family_detail", args=[family.pk]), {"page": "\x00"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert AccessLog.objects.count() == before


def test_nul_in_a_posted_form_is_400_and_saves_nothing(family, alice_client):
    response = alice_client.post(
        reverse("cases:contact_create", args=[family.pk]), contact_data(note="eerst\x00dan")
    )
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not Contact.objects.exists()
    assert not AccessLog.objects.exclude(action="login").exists()


def test_nul_in_a_field_name_or_the_path_is_400(family, alice_client):
    response = alice_client.post(
        reverse("cases:contact_create", args=[family.pk]), {"no\x00te": "x"}
    )
    assert response.status_code == 400
    response = alice_client.get(f"/families/{family.pk}/reports/plan-pdf/1/a%00.pdf")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not AccessLog.objects.exclude(action="login").exists()


def test_nul_in_json_or_other_bodies_is_400(family, alice_client):
    url = reverse("cases:contact_create", args=[family.pk])
    for body, content_type in (
        ('{"note": "a\\u0000b"}', "application/json"),
        ("a\x00b", "text/plain"),
    ):
        response = alice_client.post(url, body, content_type=content_type)
        assert response.status_code == 400, content_type
        assert NUL_MESSAGE in response.content.decode()
    assert not Contact.objects.exists()


def test_nul_at_log_in_is_400_before_anything_is_logged(client):
    response = client.post(reverse("login"), {"username": "ali\x00ce", "password": "x"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not AccessLog.objects.exists()


def test_nul_in_a_cookie_is_400(client):
    # Cookie values are unquoted as Python's http.cookies does: "\\000" becomes NUL.
    response = client.get(reverse("login"), HTTP_COOKIE='sessionid="\\000abcdefghijkl"')
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert response.cookies["sessionid"].value == ""  # the bad cookie is removed
