from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from cases.models import AccessAction, AccessLog, AccessOutcome, StoredFile
from reports import pdf, services
from reports.models import ExportState, PlanPdf
from reports.tasks import render_plan_pdf
from tests.cases.plan_factories import GoalFactory

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def request_pdf(client, family, plan, capture):  # type: ignore[no-untyped-def]
    # The test transaction never commits: run the on_commit callbacks (the enqueue) here.
    with capture(execute=True):
        response = client.post(
            reverse("reports:plan_pdf_request", args=[family.pk]), {"plan": plan.pk}
        )
    assert response.status_code == 302
    return client.get(response["Location"])


def download_url(export: PlanPdf) -> str:
    return reverse("reports:plan_pdf_download", args=[export.family_id, export.pk, export.filename])


def files_on_disk() -> list[Path]:
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def read(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


# The document


def test_pdf_holds_title_family_and_every_goal(plan):
    data = pdf.render_plan_pdf(plan)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Gezinsplan" in text
    assert "Gezin Jansen" in text
    for goal in plan.goals.all():
        assert goal.text in " ".join(text.split())
    assert "Naomi Jansen" in text  # members
    assert "Bij ruzie gaan de kinderen naar oma." in text  # safety conditions
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    for number, page_text in enumerate(pages, start=1):
        # Footer with page numbers on every page; the header from page 2 on.
        assert f"Pagina {number} van {len(pages)}" in page_text
        assert "FamilieKracht · vertrouwelijk" in page_text
        if number > 1:
            assert "Gezinsplan · Gezin Jansen" in page_text
    assert "Handtekening" in text  # signature block
    # Network contributions before professional help.
    assert text.index("NETWERKHULP") < text.index("PROHULP")


def test_pdf_is_accessible_dutch_and_embeds_the_vendored_font(plan):
    data = pdf.render_plan_pdf(plan)
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert "/StructTreeRoot" in root  # tagged (PDF/UA)
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title.startswith("Gezinsplan Gezin Jansen")
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp  # PDF/UA identification in the XMP metadata
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or (font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
            )
            descriptor = descriptor.get_object()
            assert "/FontFile2" in descriptor  # embedded
            fonts.add(str(font["/BaseFont"]))
    # The @font-face family (static/fonts), not a system font.
    assert any(f.endswith("+FK-Sans") for f in fonts), fonts


def test_pdf_includes_network_map_and_domain_profile_when_present(plan, monkeypatch):
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">'
        '<text x="5" y="20">{}</text></svg>'
    )
    monkeypatch.setattr(
        "network.ecomap.network_map_svg", lambda f, *a, **k: svg.format("NETWERKKAART")
    )
    monkeypatch.setattr(
        "strengths.charts.domain_profile_svg", lambda f: svg.format("DOMEINPROFIEL")
    )
    html = pdf.plan_html(plan)
    assert "NETWERKKAART" in html and "DOMEINPROFIEL" in html
    assert "Het netwerk" in html
    monkeypatch.setattr("network.ecomap.network_map_svg", lambda f, *a, **k: "")
    monkeypatch.setattr("strengths.charts.domain_profile_svg", lambda f: "")
    assert "Het netwerk" not in pdf.plan_html(plan)


# Safety


def test_user_text_is_escaped_and_nothing_local_is_fetched(plan):
    evil = '<img src="file:///etc/passwd">'
    GoalFactory(plan=plan, text=evil)
    fetcher = pdf.StaticOnlyFetcher()
    data = pdf.render_plan_pdf(plan, fetcher=fetcher)
    assert evil.replace(" ", "") in "".join(pdf_text(data).split())  # shown as text
    assert not any(url.startswith("file:") for url in fetcher.requested)
    assert not any("passwd" in url for url in fetcher.requested)
    assert fetcher.refused == []
    # Only the project's own stylesheet and fonts were loaded.
    assert fetcher.requested
    assert all(url.startswith(pdf.STATIC_PREFIX) for url in fetcher.requested)
    assert any(url.endswith("DejaVuSans.ttf") for url in fetcher.requested)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/x.png",
        "https://example.org/static/css/pdf.css",
        "data:text/plain,hallo",
        pdf.STATIC_PREFIX + "../../../etc/passwd",
        pdf.STATIC_PREFIX + "%2e%2e/%2e%2e/etc/passwd",
        pdf.STATIC_PREFIX + "css/does-not-exist.css",
        pdf.STATIC_PREFIX + "css/pdf.css?x=1",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url):
    fetcher = pdf.StaticOnlyFetcher()
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_static_files():
    fetcher = pdf.StaticOnlyFetcher()
    response = fetcher.fetch(pdf.STATIC_PREFIX + "css/pdf.css")
    assert b"@font-face" in response.read()
    assert response.content_type == "text/css"


def test_a_stylesheet_pointing_outside_static_is_refused_while_rendering(plan, settings, tmp_path):
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the pdf")
    (static / "css" / "pdf.css").write_text(
        f'body {{ background: url("file://{secret}"); }}\n'
        'h1 { background: url("../../secret.png"); }'
    )
    fetcher = pdf.StaticOnlyFetcher(static_root=static)
    data = pdf.render_plan_pdf(plan, fetcher=fetcher)
    assert data.startswith(b"%PDF-")
    assert f"file://{secret}" in fetcher.refused
    assert not any("secret" in url for url in set(fetcher.requested) - set(fetcher.refused))


# The request, the task and the file


def test_button_renders_and_stores_the_pdf(
    family, plan, coordinator, coordinator_client, django_capture_on_commit_callbacks
):
    response = request_pdf(coordinator_client, family, plan, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    export = PlanPdf.objects.get()
    assert export.state == ExportState.DONE
    assert export.requested_by == coordinator
    assert export.plan_number == plan.number
    assert export.file_path == f"plans/{family.pk}/{export.pk}.pdf"
    # Written through the family's register of stored files (cases.storage).
    assert StoredFile.objects.get(name=export.file_path).family == family
    data = (Path(settings.MEDIA_ROOT) / export.file_path).read_bytes()
    assert export.checksum_sha256 == hashlib.sha256(data).hexdigest()
    assert export.size == len(data)
    body = response.content.decode()
    assert "Klaar" in body
    assert download_url(export) in body
    assert download_url(export).endswith(f"/gezinsplan-{family.case_number.lower()}-v1.pdf")


def test_enqueued_only_after_commit(family, plan, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = services.plan_pdf_request(family=family, plan=plan, by=alice)
    export.refresh_from_db()
    assert export.state == ExportState.QUEUED  # nothing ran inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()
    export.refresh_from_db()
    assert export.state == ExportState.DONE


def test_task_is_idempotent(family, plan, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        export = services.plan_pdf_request(family=family, plan=plan, by=alice)
    render_plan_pdf.delay(export.pk)
    export.refresh_from_db()
    first_checksum, first_finished = export.checksum_sha256, export.finished_at
    render_plan_pdf.delay(export.pk)  # a second delivery of the same request
    export.refresh_from_db()
    assert export.attempts == 1
    assert export.checksum_sha256 == first_checksum and export.finished_at == first_finished
    assert files_on_disk() == [Path(settings.MEDIA_ROOT) / services.export_name(export)]
    assert StoredFile.objects.count() == 1


def test_redelivered_running_task_makes_one_file(family, plan, alice):
    # A worker died mid-render: the message comes back with the export still "running".
    export = PlanPdf.objects.create(
        family=family, plan=plan, plan_number=1, requested_by=alice, state=ExportState.RUNNING
    )
    render_plan_pdf.delay(export.pk)
    render_plan_pdf.delay(export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.DONE
    assert len(files_on_disk()) == 1
    assert StoredFile.objects.get().name == export.file_path


def test_task_declares_reliability_options():
    assert render_plan_pdf.acks_late is True
    assert render_plan_pdf.reject_on_worker_lost is True
    assert render_plan_pdf.max_retries == 3
    assert render_plan_pdf.retry_backoff
    assert Exception in render_plan_pdf.autoretry_for


def test_failure_in_process_shows_mislukt_and_retry_works(
    family, plan, alice, alice_client, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []

    def broken(plan, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(plan.pk)
        raise OSError("schijf vol")

    monkeypatch.setattr(pdf, "render_plan_pdf", broken)
    response = request_pdf(alice_client, family, plan, django_capture_on_commit_callbacks)
    assert response.status_code == 200  # the failure does not break the page
    export = PlanPdf.objects.get()
    assert len(calls) == 1  # in-process: one attempt, then the retry button
    assert export.state == ExportState.FAILED
    assert "schijf vol" in export.error
    body = response.content.decode()
    assert "Mislukt" in body and "Opnieuw proberen" in body
    assert not files_on_disk()
    assert not StoredFile.objects.exists()

    monkeypatch.undo()
    retry = reverse("reports:plan_pdf_retry", args=[family.pk, export.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_client.post(retry).status_code == 302
    export.refresh_from_db()
    assert export.state == ExportState.DONE
    assert export.error == ""


def test_worker_retries_until_the_last_attempt(family, plan, alice, monkeypatch):
    def broken(plan, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("tijdelijk")

    monkeypatch.setattr(pdf, "render_plan_pdf", broken)
    export = PlanPdf.objects.create(family=family, plan=plan, plan_number=1, requested_by=alice)
    # Called as on a worker before the last retry: the error goes to autoretry (re-raised).
    with pytest.raises(OSError, match="tijdelijk"):
        render_plan_pdf(export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.QUEUED and "tijdelijk" in export.error
    # The last retry: recorded as failed ("mislukt"), not raised again.
    result = render_plan_pdf.apply(args=[export.pk], retries=render_plan_pdf.max_retries)
    assert result.successful()
    export.refresh_from_db()
    assert export.state == ExportState.FAILED


def test_request_needs_write_access_and_a_plan_of_this_family(
    family, plan, bob_client, charlie_client, alice_client, team, alice
):
    url = reverse("reports:plan_pdf_request", args=[family.pk])
    assert bob_client.post(url, {"plan": plan.pk}).status_code == 403
    assert charlie_client.post(url, {"plan": plan.pk}).status_code == 404
    assert alice_client.get(url).status_code == 405
    from tests.cases.plan_factories import PlanFactory
    from tests.factories import FamilyFactory

    other_plan = PlanFactory(family=FamilyFactory(team=team, coach=alice), number=1)
    response = alice_client.post(url, {"plan": other_plan.pk}, follow=True)
    assert "Kies een versie van het gezinsplan" in response.content.decode()
    assert not PlanPdf.objects.exists()


def test_retry_gate(family, plan, alice, bob_client, charlie_client):
    export = PlanPdf.objects.create(
        family=family, plan=plan, plan_number=1, requested_by=alice, state=ExportState.FAILED
    )
    url = reverse("reports:plan_pdf_retry", args=[family.pk, export.pk])
    assert bob_client.post(url).status_code == 403
    assert charlie_client.post(url).status_code == 404
    export.refresh_from_db()
    assert export.state == ExportState.FAILED


# The download: only through the access gate, logged as an export


@pytest.fixture
def export(family, plan, alice):  # type: ignore[no-untyped-def]
    export = services.plan_pdf_request(family=family, plan=plan, by=alice)
    render_plan_pdf.delay(export.pk)
    export.refresh_from_db()
    return export


def test_download_is_the_stored_pdf_and_logged_as_export(export, alice, alice_client):
    response = alice_client.get(download_url(export))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert export.filename in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = read(response)
    assert hashlib.sha256(data).hexdigest() == export.checksum_sha256
    assert "Gezin Jansen" in pdf_text(data)
    assert AccessLog.objects.filter(
        user=alice,
        family_id_ref=export.family_id,
        action=AccessAction.EXPORT,
        outcome=AccessOutcome.ALLOWED,
    ).exists()


def test_read_only_colleague_may_download(export, bob_client):
    assert bob_client.get(download_url(export)).status_code == 200


def test_outsider_gets_404_and_is_logged(export, charlie, charlie_client):
    assert charlie_client.get(download_url(export)).status_code == 404
    assert AccessLog.objects.filter(
        user=charlie, action=AccessAction.EXPORT, outcome=AccessOutcome.DENIED
    ).exists()


def test_anonymous_is_sent_to_login(export, client):
    response = client.get(download_url(export))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_name_other_family_or_unfinished_is_404(export, alice_client, alice, team, plan):
    wrong = reverse(
        "reports:plan_pdf_download", args=[export.family_id, export.pk, "andere-naam.pdf"]
    )
    assert alice_client.get(wrong).status_code == 404
    from tests.factories import FamilyFactory

    other = FamilyFactory(team=team, coach=alice)
    foreign = reverse("reports:plan_pdf_download", args=[other.pk, export.pk, export.filename])
    assert alice_client.get(foreign).status_code == 404
    queued = PlanPdf.objects.create(
        family=export.family, plan=plan, plan_number=1, requested_by=alice
    )
    assert alice_client.get(download_url(queued)).status_code == 404
    assert alice_client.post(download_url(export)).status_code == 405


def test_media_is_not_served_publicly(export, alice_client, settings):
    assert not settings.MEDIA_URL or settings.MEDIA_URL in ("/", "")
    response = alice_client.get("/media/" + export.file_path)
    assert response.status_code == 404


def test_download_serves_only_the_exports_own_file_from_the_storage(export, alice_client):
    # A row pointing elsewhere (another file, a path out of the storage) serves nothing.
    for elsewhere in ("plans/0/1.pdf", "../../etc/passwd", "families/1/brief.pdf"):
        PlanPdf.objects.filter(pk=export.pk).update(file_path=elsewhere)
        assert alice_client.get(download_url(export)).status_code == 404
    # The export's own name, but the file is gone from the storage: 404, not an error.
    PlanPdf.objects.filter(pk=export.pk).update(file_path=services.export_name(export))
    default_storage.delete(services.export_name(export))
    assert alice_client.get(download_url(export)).status_code == 404
