"""Destruction leaves nothing of the family behind: not in any table, not in any file.

The family gets a row of every model that hangs from it (found by introspection, so a model
added later without a row here fails the test), one unique string in every text field of
every row and in every stored file; then it is destroyed through the real service, and the
whole database and the whole storage are searched for that string.
"""

from __future__ import annotations

import datetime
import io
import json
import uuid
from decimal import Decimal

import pypdf
import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import connection, models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases.agenda import services as agenda_services
from cases.comments.services import comment_add
from cases.documents import services as document_services
from cases.handover.services import coach_change
from cases.models import (
    ActionSource,
    ClientStatement,
    Consent,
    ContactRevision,
    DestructionRecord,
    Family,
    FamilyPlan,
    LegalMeasure,
    Member,
    RecordsExport,
    StoredFile,
    TaskState,
    Trajectory,
)
from cases.partners import services as partner_services
from cases.portal import own_services
from cases.portal import services as portal_services
from cases.records.services import case_pseudonym
from cases.storage import family_file_save
from cases.todo import services as task_services
from network.models import (
    Agreement,
    AgreementEvaluation,
    Evaluation,
    Krachtgezin,
    KrachtgezinMatch,
    NetworkMeeting,
    NetworkMember,
    RespiteStay,
)
from phases.models import (
    AftercareCheckin,
    ExtraHours,
    PhaseEpisode,
    PhaseExtension,
    Reminder,
    Transition,
)
from reports import services as report_services
from reports.models import CaseReview, ExportState, PlanPdf
from reports.supervision.services import supervision_session_create
from strengths.models import MemberAnalysis, TimelineEvent
from tests.cases.plan_factories import ActionFactory, GoalFactory, PlanFactory
from tests.factories import ContactFactory, FamilyFactory, MemberFactory
from tests.reports.helpers import scored_moment

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Introspection: what hangs from a family ---------------------------------------------


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def family_models() -> list[type[models.Model]]:
    """Family and every model (in every app, many-to-many tables included) with a foreign
    key to one of them, hidden relations (related_name="+") too."""
    reachable = [Family]
    candidates = apps.get_models(include_auto_created=True)
    changed = True
    while changed:
        changed = False
        for model in candidates:
            if model not in reachable and any(
                f.related_model in reachable for f in _foreign_keys(model)
            ):
                reachable.append(model)
                changed = True
    return reachable


def family_rows(family: Family) -> dict[type[models.Model], set[object]]:
    """Per model, the primary keys of the rows that hang from `family` through foreign keys."""
    rows: dict[type[models.Model], set[object]] = {Family: {family.pk}}
    changed = True
    while changed:
        changed = False
        for model in family_models()[1:]:
            query = models.Q()
            for field in _foreign_keys(model):
                if rows.get(field.related_model):  # type: ignore[arg-type]
                    query |= models.Q(**{f"{field.attname}__in": rows[field.related_model]})  # type: ignore[index]
            if not query:
                continue
            pks = set(model._base_manager.filter(query).values_list("pk", flat=True))
            if pks != rows.get(model, set()):
                rows[model] = pks
                changed = True
    return rows


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """Fields that hold text a person typed (or could): no choices, no keys."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.is_relation
    ]


# JSON fields that hold codes or dates the application parses, not free text: they cannot
# carry the string without breaking the pages. Every other JSON field of a family model
# must carry it; a new JSON field has to be put on one side or the other.
CODE_JSON_FIELDS = {
    ("cases.Contact", "domains"): "codes of LifeDomain",
    ("cases.FamilyPlan", "evaluation_dates"): "ISO dates",
    ("network.NetworkMember", "support_types"): "codes of SupportType",
}


def json_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.JSONField) and (model._meta.label, f.name) not in CODE_JSON_FIELDS
    ]


def _holds(token: str, value: object) -> bool:
    return token in (value if isinstance(value, str) else json.dumps(value))


# Storage names of files that exist: they must stay the file's real name (ids only), so
# the string goes into the file name of another stored file instead (see `build`).
STORAGE_NAME_FIELDS = {("cases.StoredFile", "name"), ("reports.PlanPdf", "file_path")}


def _names_a_stored_file(model: type[models.Model], field: models.Field, value: str) -> bool:
    return (
        (model._meta.label, field.name) in STORAGE_NAME_FIELDS
        and bool(value)
        and default_storage.exists(value)
    )


def plant(token: str, family: Family) -> None:
    """Put `token` in every text field (and free-text JSON field) of every row of the family."""
    for model, pks in family_rows(family).items():
        fields = text_fields(model) + json_fields(model)
        for row in model._base_manager.filter(pk__in=pks).values(
            "pk", *(f.attname for f in fields)
        ):
            changes: dict[str, object] = {}
            for field in fields:
                value = row[field.attname]
                if _holds(token, value or "") or _names_a_stored_file(model, field, value):
                    continue
                if isinstance(field, models.JSONField):
                    changes[field.attname] = {"value": value, "note": token}
                else:
                    changes[field.attname] = f"{token} {value or ''}".strip()[: field.max_length]
            if changes:
                model._base_manager.filter(pk=row["pk"]).update(**changes)


# --- Searching everything -----------------------------------------------------------------


def database_hits(token: str) -> list[str]:
    """Every table.column of the whole database (any app, any type) holding `token`,
    plus the decoded sessions (stored signed and compressed, so LIKE cannot see inside)."""
    hits = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT 1 FROM {quote(table)} "  # names from introspection, quoted
                    f"WHERE CAST({quote(column.name)} AS TEXT) LIKE %s LIMIT 1",
                    [f"%{token}%"],
                )
                if cursor.fetchone():
                    hits.append(f"{table}.{column.name}")
    for session in Session.objects.all():
        if token in json.dumps(session.get_decoded()):
            hits.append(f"{Session._meta.db_table}.session_data (decoded)")
    return hits


def storage_files(folder: str = "") -> list[str]:
    """Every file name in the default storage (MEDIA_ROOT here), any depth."""
    if folder and not default_storage.exists(folder):
        return []
    folders, files = default_storage.listdir(folder)
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += storage_files(f"{folder}{sub}/")
    return names


def file_text(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    text = data.decode("latin-1")
    if data.startswith(b"%PDF-"):
        # PDF text is compressed and font-encoded: search what a reader would see too.
        reader = pypdf.PdfReader(io.BytesIO(data))
        text += "\n".join(page.extract_text() for page in reader.pages)
    return text


def files_with(token: str) -> list[str]:
    return [name for name in storage_files() if token in file_text(name)]


def empty_folders(settings) -> list[str]:  # type: ignore[no-untyped-def]
    root = settings.MEDIA_ROOT
    if not root.exists():
        return []
    return [str(p) for p in root.rglob("*") if p.is_dir() and not any(p.iterdir())]


# --- A family with every kind of record ------------------------------------------------


def _pdf_with(title: str) -> bytes:
    """A real (blank) PDF whose metadata holds `title`, readable in its bytes."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build(family: Family, *, coach, colleague, coordinator, token: str) -> FamilyPlan:  # type: ignore[no-untyped-def]
    """One or more rows of every model that hangs from the family, through the services
    where the test needs them to behave as in use."""
    mother = MemberFactory(family=family, name="Naomi", role="mother", has_parental_authority=True)
    child = MemberFactory(family=family, name="Noah", date_of_birth=datetime.date(2012, 1, 1))
    family.involved.add(colleague)

    # cases
    # The family portal: the mother's account, and an invitation for Noah not used yet.
    portal_token = portal_services.portal_invitation_create(member=mother, by=coach)
    portal_account, _device, _codes = portal_services.portal_account_create(
        invitation=portal_services.invitation_for_token(portal_token),
        password="een-lang-wachtwoord-42",  # noqa: S106
        totp=None,
    )
    portal_services.portal_invitation_create(member=child, by=coach)
    # Messages in the portal: one from the mother, one answer from the coach.
    mother_user = mother.portal_accounts.get().user
    portal_services.portal_message_write(
        family=family, member=mother, by=mother_user, text=f"Vraag over school {token}"
    )
    portal_services.staff_message_write(family=family, by=coach, text=f"Antwoord {token}")
    # What the mother does in the portal: her statement, a copy asked and refused, one open.
    own_services.portal_statement_add(member=mother, by=portal_account.user, text="Mijn woorden")
    asked = own_services.copy_request_add(member=mother)
    own_services.copy_request_refuse(copy_request=asked, by=coordinator, reason="Net gehad")
    own_services.copy_request_add(member=mother)
    contact = ContactFactory(family=family, author=coach, note="Gesprek over school")
    contact.members_present.set([mother, child])
    ContactRevision.objects.create(
        contact=contact,
        changed_by=coach,
        before={"note": f"Eerste notitie {token}"},
        after={"note": f"Gesprek over school {token}"},
    )
    plan = PlanFactory(family=family, number=1, created_by=coach)
    plan.agreed_members.set([mother])
    goal = GoalFactory(plan=plan, owner=child, text="Noah gaat elke dag naar school")
    ActionFactory(plan=plan, goal=goal, member=mother, source=ActionSource.FAMILY)
    # Comments on the file (cases.comments), each of its three targets; the colleague's
    # comments notify the coach.
    comment_add(family=family, by=colleague, text="Goed gesprek", contact=contact)
    # A working element ticked on the contact (the team's list stays, the tick goes).
    contact.working_elements.add(family.team.working_elements.first())
    comment_add(family=family, by=colleague, text="Meetbaar?", goal=goal)
    # The mother's reaction to the goal in the portal (it notifies the coach).
    own_services.goal_reaction_add(
        goal=goal, member=mother, by=portal_account.user, text="Dat lukt ons"
    )
    comment_add(family=family, by=colleague, text="Netwerk eerst", plan=plan)
    ClientStatement.objects.create(
        family=family, given_by="moeder", text="Eigen woorden", recorded_by=coach
    )
    consent = Consent.objects.create(
        family=family,
        given_by_member=mother,
        organisation="Huisarts",
        purpose="plan",
        valid_from=timezone.localdate(),
        recorded_by=coach,
    )
    # Noah is 14: the mother with gezag and Noah both agree (Jeugdwet).
    consent.given_by_members.set([mother, child])
    consent.concerns_members.set([child])
    LegalMeasure.objects.create(
        family=family,
        member=child,
        kind="ots",
        starts_on=TODAY() - datetime.timedelta(days=30),
        ends_on=TODAY() + datetime.timedelta(days=300),
        institution=f"GI {token}",
        note=f"OTS van Noah {token}",
        recorded_by=coach,
    )
    # A stored file of another kind in another folder: only the register finds it. Its
    # name carries the string, so the register's name column is searched too.
    family_file_save(
        family=family,
        name=f"documents/{family.pk}/verslag-{token}.txt",
        content=f"Verslag van het gesprek met Naomi {token}".encode(),
        kind="document",
    )
    # The agenda, tasks and documents (cases/agenda, cases/todo, cases/documents).
    appointment = agenda_services.appointment_create(
        family=family,
        by=coach,
        kind="home_visit",
        date=TODAY(),
        starts_at=datetime.time(9),
        ends_at=datetime.time(10),
        coach=coach,
        purpose="Afspraak met Naomi",
        members=[mother],
        colleagues=[colleague],
    )
    appointment.contact = contact
    appointment.save(update_fields=["contact"])
    task_services.task_create(
        family=family,
        by=coach,
        title="School van Noah bellen",
        owner=coach,
        due_on=TODAY(),
        source="plan_action",
        plan_action=plan.actions.first(),
        contact=contact,
    )
    referral_letter = document_services.document_upload(
        family=family,
        by=coach,
        content=_pdf_with(f"Verwijsbrief voor Naomi {token}"),
        original_name="verwijsbrief-naomi.pdf",
        kind="referral",
        date=TODAY(),
        members=[mother],
        description="Verwijsbrief huisarts",
    )
    # Shared with the family in its portal.
    document_services.document_share(document=referral_letter, by=coach)
    trajectory = Trajectory.objects.create(
        family=family,
        number=1,
        referrer="other",
        referrer_detail="Buurtteam",
        referral_date=TODAY(),
        created_by=coordinator,
    )
    # A handover: the history row (reason, note) and the new coach's notification.
    coach_change(family=family, coach=colleague, by=coordinator, reason="Verlof", note="Zie de map")
    coach_change(family=family, coach=coach, by=coordinator, reason="Terug van verlof")
    # Partners (team configuration, not the family's) named by the file: a referral with
    # its history, the regisseur and a partner's professional present at the contact.
    partner = partner_services.partner_create(
        team=family.team, data={"name": "Buurtteam", "kind": "neighbourhood_team"}
    )
    person = partner_services.partner_contact_create(
        partner=partner, data={"name": "Sandra", "role": "regisseur"}
    )
    made = partner_services.referral_create(
        family=family,
        partner=partner,
        by=coach,
        reason="Hulp bij de schulden van Naomi",
        asked_on=TODAY(),
        members=[mother],
        notes="Wachttijd navragen",
    )
    partner_services.referral_status_change(
        referral=made, by=coach, status="waiting", on=TODAY(), note="Plek over vier weken"
    )
    partner_services.family_regisseur_set(family=family, contact=person)
    contact.colleagues_present.add(colleague)
    contact.partner_contacts_present.add(person)

    # phases
    episode = PhaseEpisode.objects.create(
        family=family,
        kind="start",
        started_on=TODAY() - datetime.timedelta(days=20),
        planned_end=TODAY() + datetime.timedelta(days=10),
        weeks_min=2,
        weeks_max=4,
        hours_min=Decimal("5"),
        hours_max=Decimal("10"),
    )
    ExtraHours.objects.create(
        episode=episode, hours=Decimal("4"), reason="Terugval", added_by=coach
    )
    Transition.objects.create(
        family=family,
        from_step="start",
        to_step="analysis",
        effective_on=TODAY(),
        note="Klaar voor de analyse",
        proposed_by=coach,
    )
    PhaseExtension.objects.create(
        family=family,
        episode=episode,
        previous_end=episode.planned_end,
        new_end=episode.planned_end + datetime.timedelta(days=14),
        reason="Verhuizing",
        agreed_with="Naomi",
        proposed_by=coach,
    )
    AftercareCheckin.objects.create(
        family=family,
        planned_on=TODAY(),
        held_on=TODAY(),
        how_it_goes="Het gaat goed",
        needs_help=True,
        notes="Vraagt opnieuw hulp",
        recorded_by=coach,
        recorded_at=timezone.now(),
        reopened_as=trajectory,
    )
    Reminder.objects.create(
        recipient=coach,
        family=family,
        kind="no_contact",
        subject=f"family:{family.pk}",
        due_on=TODAY(),
    )

    # network
    grandma = NetworkMember.objects.create(
        family=family,
        name="Oma Ria",
        relation="oma",
        circle="family",
        contribution="Haalt de kinderen op",
        phone="0612345678",
    )
    grandma.contacts.add(contact)
    grandma.appointments.add(appointment)
    meeting = NetworkMeeting.objects.create(
        family=family,
        kind="netwerkberaad",
        date=TODAY(),
        other_participants="leerkracht",
        outcomes="Oma helpt op woensdag",
        created_by=coach,
    )
    meeting.family_members.set([mother])
    meeting.network_members.set([grandma])
    agreement = Agreement.objects.create(
        family=family,
        who_kind="network_member",
        network_member=grandma,
        family_member=mother,
        what="Ophalen van school",
        frequency="elke woensdag",
        meeting=meeting,
        goal=goal,
    )
    evaluation = Evaluation.objects.create(
        meeting=meeting, date=TODAY(), note="Gaat goed", created_by=coach
    )
    AgreementEvaluation.objects.create(
        evaluation=evaluation, agreement=agreement, outcome="happened"
    )
    # The Krachtgezin is the team's pool (it stays); its matching is the family's record.
    krachtgezin = Krachtgezin.objects.create(
        team=family.team, name="Familie de Vries", contact_person="Els de Vries"
    )
    KrachtgezinMatch.objects.create(
        krachtgezin=krachtgezin,
        family=family,
        intro_date=TODAY(),
        intro_third_person="de gezinscoach",
        click_family="yes",
        click_krachtgezin="yes",
        safety="yes",
        goals="Rust op woensdag",
        intro_note="Goede klik",
    )
    now = timezone.now()
    RespiteStay.objects.create(
        krachtgezin=krachtgezin,
        child=child,
        start=now,
        end=now + datetime.timedelta(hours=8),
        note="Een dag",
    )

    # strengths
    moment = scored_moment(family, coach, kind="start", date=TODAY(), severity=2)
    moment.sheets.get().scores.update(own_words="Het is zwaar")
    MemberAnalysis.objects.create(
        family=family,
        member=mother,
        date=TODAY(),
        filled_in_by="zelf",
        strengths="Doorzetten",
        recorded_by=coach,
    )
    event = TimelineEvent.objects.create(
        family=family,
        year=2019,
        precision="year",
        kind="move",
        description="Verhuisd",
        created_by=coach,
    )
    event.members.set([mother, child])

    # reports (the plan PDF itself comes from the share page, in the test)
    review = CaseReview.objects.create(
        family=family, date=TODAY(), notes="Besproken", decisions="Doorgaan", created_by=coach
    )
    review.participants.set([coach, coordinator])
    # Discussed in the coach's supervision: the link goes, the coach's session stays.
    supervision_session_create(
        team=family.team,
        coach=coach,
        date=TODAY(),
        kind="work_supervision",
        by=coordinator,
        families=[family],
    )
    report_services.sdm_record(
        family=family, member=mother, moment="start", date=TODAY(), items=[3] * 9, by=coach
    )
    # The professional's own SDM about the family.
    report_services.professional_sdm_record(
        family=family, professional=coach, moment="start", date=TODAY(), items=[4] * 9
    )
    report_services.exit_record(
        family=family,
        member=mother,
        date=TODAY(),
        answers={"result": 4, "coach_rating": 5, "network_role": 3, "own_control": 4},
        comments="Het gaat beter",
        by=coach,
    )
    # A failed earlier attempt: no file, so its file column carries the string.
    PlanPdf.objects.create(
        family=family,
        plan=plan,
        plan_number=1,
        requested_by=coach,
        state=ExportState.FAILED,
        error="schijf vol",
    )
    # A failed inzage/afschrift: no files, so its columns carry the string.
    RecordsExport.objects.create(
        family=family, requested_by=coach, format="pdf", state=TaskState.FAILED, error="kapot"
    )
    return plan


def _family_page_names() -> list[str]:
    """Every named URL that takes only a family id: the pages of one family."""
    names = []

    def walk(patterns, namespace):  # type: ignore[no-untyped-def]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and set(pattern.pattern.regex.groupindex) == {"family_id"}
            ):
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def use_and_destroy(family, plan, coordinator_client, capture, token):  # type: ignore[no-untyped-def]
    """What a coordinator does with the file, then the destruction itself."""
    plant(token, family)
    family.refresh_from_db()
    consent = Consent.objects.get(family=family)
    # Every page of the family, and a search for it.
    for name in _family_page_names():
        coordinator_client.get(reverse(name, kwargs={"family_id": family.pk}))
    coordinator_client.get(reverse("cases:family_list"), {"q": token})
    # The plan as PDF for the organisation that has consent, rendered by the real task.
    with capture(execute=True):
        response = coordinator_client.post(
            reverse("reports:plan_pdf_share", args=[family.pk]),
            {"plan": plan.pk, "organisation": consent.organisation},
        )
    assert response.status_code == 302
    export = PlanPdf.objects.get(family=family, state=ExportState.DONE)
    plant(token, family)  # the rows the share made
    export.refresh_from_db()
    download = coordinator_client.get(
        reverse("reports:plan_pdf_download", args=[family.pk, export.pk, export.filename])
    )
    assert download.status_code == 200
    assert token in "".join(
        page.extract_text()
        for page in pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages
    )

    # Every model that hangs from a family has a row here, with the string in every text
    # field: a model added later without a row in `build` fails here.
    rows = family_rows(family)
    missing = [m._meta.label for m in family_models() if not rows.get(m)]
    assert not missing, f"give these models a row in build(): {missing}"
    expected_columns = set()
    unknown = [
        key
        for key in CODE_JSON_FIELDS
        if not any((m._meta.label, f.name) == key for m in family_models() for f in m._meta.fields)
    ]
    assert not unknown, f"no such fields (renamed?): {unknown}"
    for model, pks in rows.items():
        for field in text_fields(model) + json_fields(model):
            values = list(
                model._base_manager.filter(pk__in=pks).values_list(field.attname, flat=True)
            )
            assert any(_holds(token, v) for v in values), (model._meta.label, field.name)
            assert all(_holds(token, v) or _names_a_stored_file(model, field, v) for v in values), (
                model._meta.label,
                field.name,
            )
            expected_columns.add(f"{model._meta.db_table}.{field.column}")
    # The search itself sees them all, and the files carry the string.
    assert expected_columns <= set(database_hits(token))
    assert StoredFile.objects.filter(family=family).count() == 3  # plan PDF, report, document
    assert sorted(files_with(token)) == sorted(
        StoredFile.objects.filter(family=family).values_list("name", flat=True)
    )

    data = {
        "reason": "client_request",
        "requested_by": "parent",
        "requested_on": timezone.localdate().isoformat(),
        "confirm_case_number": family.case_number,
    }
    # Through the real view and service (cases.records.services.family_destroy); the files
    # go after commit.
    with capture(execute=True):
        response = coordinator_client.post(reverse("cases:family_destroy", args=[family.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:destruction_register")
    assert not Family.objects.filter(pk=family.pk).exists()


@pytest.fixture
def destroyed(  # type: ignore[no-untyped-def]
    team, alice, bob, coordinator, coordinator_client, django_capture_on_commit_callbacks
):
    """The token, and the facts of a family with everything, after its destruction."""
    token = "zq" + uuid.uuid4().hex[:14]
    family = FamilyFactory(team=team, coach=alice, display_name="Gezin Jansen")
    bystander = FamilyFactory(team=team, coach=alice, display_name="Gezin Bakker")
    MemberFactory(family=bystander, name="Sara Bakker")
    plan = build(family, coach=alice, colleague=bob, coordinator=coordinator, token=token)
    family.refresh_from_db()
    use_and_destroy(family, plan, coordinator_client, django_capture_on_commit_callbacks, token)
    return {"token": token, "case_number": family.case_number, "bystander": bystander}


def test_nothing_of_the_family_is_left_in_records_or_files(destroyed, settings):
    token = destroyed["token"]
    hits = database_hits(token)
    assert [hit for hit in hits if not hit.startswith("cases_accesslog.")] == []
    assert files_with(token) == []
    assert storage_files() == []
    assert empty_folders(settings) == []
    assert not StoredFile.objects.exists()
    # Only this family went.
    assert Member.objects.filter(family=destroyed["bystander"], name="Sara Bakker").exists()
    # The register keeps the destruction, without personal data.
    record = DestructionRecord.objects.get()
    values = json.dumps(list(DestructionRecord.objects.values().get().values()), default=str)
    for personal in (token, destroyed["case_number"], "Jansen", "Naomi", "Noah"):
        assert personal not in values
    assert record.case_ref == case_pseudonym(destroyed["case_number"])


def test_nothing_of_the_family_is_left_in_the_access_log(destroyed):
    # The log keeps only what the gate decided: no text a user typed (the share recipient
    # carried the token), and no case number from a download URL.
    for value in (destroyed["token"], destroyed["case_number"]):
        hits = database_hits(value)
        assert [hit for hit in hits if hit.startswith("cases_accesslog.")] == []
