"""The one way the application makes a PDF: WeasyPrint with a URL fetcher that serves only
the project's own static files.

Every PDF (the family plan in `reports.pdf`, the inzage/afschrift export in
`cases.records.services`) goes through `render_pdf`, so every resource a document refers to
goes through `StaticOnlyFetcher`: only files under `static/` (the stylesheet and the vendored
font) can be loaded; `file://`, `data:` and network URLs are refused, so text typed into a
record cannot make the renderer read a local file or call out to the network. It lives in
`cases`, the ground floor, because `cases` may not import `reports`.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A pseudo origin that never resolves (RFC 2606 .invalid): relative URLs in the template
# ("static/css/pdf.css") become https://familiekracht.invalid/static/..., which the
# fetcher maps to files under BASE_DIR / "static" without any network access.
PDF_BASE_URL = "https://familiekracht.invalid/"
STATIC_PREFIX = PDF_BASE_URL + "static/"


class RefusedURL(ValueError):
    """The document asked for something outside the project's static files."""


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only files under `static_root`.

    `requested` and `refused` keep every URL asked for, so tests can check that nothing
    else was fetched.
    """

    def __init__(self, static_root: Path | None = None) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.static_root = (static_root or Path(settings.BASE_DIR) / "static").resolve()
        self.requested: list[str] = []
        self.refused: list[str] = []

    def resolve(self, url: str) -> Path:
        """The local file for `url`, or RefusedURL."""
        if not url.startswith(STATIC_PREFIX):
            raise RefusedURL(f"Refused to fetch {url[:100]!r}: not a static file")
        parts = urlsplit(url)
        if parts.query or parts.fragment:
            raise RefusedURL(f"Refused to fetch {url[:100]!r}: query or fragment")
        relative = unquote(parts.path).removeprefix("/static/")
        path = (self.static_root / relative).resolve()
        # No way out of static/ with "..", symlinks or an absolute path.
        if not path.is_relative_to(self.static_root) or not path.is_file():
            raise RefusedURL(f"Refused to fetch {url[:100]!r}: not a static file")
        return path

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.requested.append(url)
        try:
            path = self.resolve(url)
        except RefusedURL:
            self.refused.append(url)
            raise
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_pdf(
    html: str,
    *,
    base_url: str = PDF_BASE_URL,
    fetcher: StaticOnlyFetcher | None = None,
    pdf_variant: str | None = None,
) -> bytes:
    """`html` as PDF bytes; every URL it refers to is fetched by `fetcher` (a fresh
    StaticOnlyFetcher unless a test passes its own to look at what was asked for).

    `base_url` only decides how relative URLs are spelled before the fetcher sees them;
    it must stay under PDF_BASE_URL for "static/..." links to resolve.
    """
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher or StaticOnlyFetcher())
    return document.write_pdf(pdf_variant=pdf_variant)
