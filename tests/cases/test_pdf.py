"""The one PDF renderer: every PDF the application makes fetches only the project's static files."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from cases import pdf
from cases.records import services as records_services

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def fetchers(monkeypatch):
    """Every StaticOnlyFetcher the renderer makes, to see what a document asked for."""
    made: list[pdf.StaticOnlyFetcher] = []

    class Recording(pdf.StaticOnlyFetcher):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(pdf, "StaticOnlyFetcher", Recording)
    return made


def hostile_html(tmp_path) -> tuple[str, str]:
    secret = tmp_path / "secret.css"
    secret.write_text('body::before { content: "GEHEIM UIT BESTAND"; }')
    html = (
        '<!doctype html><html><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="file://{secret}">'
        '<link rel="stylesheet" href="https://example.org/x.css">'
        '</head><body><p>Afschrift</p><img src="static/../../etc/passwd"></body></html>'
    )
    return html, f"file://{secret}"


def test_inzage_pdf_refuses_file_and_network_urls(
    family, coordinator, tmp_path, monkeypatch, fetchers
):
    html, secret_url = hostile_html(tmp_path)
    monkeypatch.setattr(records_services, "render_to_string", lambda *a, **k: html)
    data = records_services.family_export_pdf(family, by=coordinator)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Afschrift" in text
    assert "GEHEIM" not in text  # the local file was not read
    assert len(fetchers) == 1
    refused = fetchers[0].refused
    assert secret_url in refused
    assert "https://example.org/x.css" in refused
    assert fetchers[0].requested == refused  # nothing outside static was served


def test_inzage_pdf_still_renders_the_real_export(family, coordinator, fetchers):
    data = records_services.family_export_pdf(family, by=coordinator)
    assert family.case_number in pdf_text(data)
    assert fetchers and fetchers[0].refused == []


def test_render_pdf_serves_static_files_only(tmp_path):
    html, secret_url = hostile_html(tmp_path)
    html = html.replace("</head>", '<link rel="stylesheet" href="static/css/pdf.css"></head>')
    fetcher = pdf.StaticOnlyFetcher()
    data = pdf.render_pdf(html, fetcher=fetcher)
    assert "GEHEIM" not in pdf_text(data)
    assert pdf.STATIC_PREFIX + "css/pdf.css" in fetcher.requested
    assert pdf.STATIC_PREFIX + "css/pdf.css" not in fetcher.refused
    assert secret_url in fetcher.refused
