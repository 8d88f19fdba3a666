"""The family plan as a PDF document, rendered with WeasyPrint.

The HTML comes from a Django template (user text escaped), and every resource the
document refers to goes through `StaticOnlyFetcher`: only the project's own files under
`static/` (the stylesheet and the vendored font) can be loaded; `file://`, `data:` and
network URLs are refused, so a plan's text cannot make the renderer read a local file or
call out to the network.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cases.models import FamilyPlan

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


def plan_context(plan: FamilyPlan) -> dict[str, Any]:
    """What the PDF template shows; the same SVGs as the family pages, where they exist."""
    from network.ecomap import network_map_svg
    from strengths.charts import domain_profile_svg

    family = plan.family
    return {
        "plan": plan,
        "family": family,
        "members": list(family.members.all()),
        "goals": list(plan.goals.select_related("owner")),
        "actions": list(plan.actions.in_plan_order().select_related("member", "goal")),
        # Both functions promise a complete, safe <svg> string ("" when there is nothing).
        "network_svg": network_map_svg(family),
        "domain_svg": domain_profile_svg(family),
        "printed_at": timezone.localtime(),
    }


def plan_html(plan: FamilyPlan) -> str:
    with translation.override("nl"):
        return render_to_string("reports/pdf/plan.html", plan_context(plan))


def render_plan_pdf(plan: FamilyPlan, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """The plan as PDF/UA-1 bytes, Dutch, with the vendored font embedded."""
    html = plan_html(plan)
    fetcher = fetcher or StaticOnlyFetcher()
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant="pdf/ua-1")
