"""Other apps add pages and home cards to the portal through settings (cases imports none)."""

from __future__ import annotations

import importlib
import sys
import types

import pytest
from django.http import HttpResponse
from django.urls import clear_url_caches, path, reverse

import cases.portal.urls
import familiekracht.urls
from cases.portal import extensions
from cases.portal.extensions import PortalCard, PortalNav


@pytest.fixture
def extra_section(settings, tmp_path):
    module = types.ModuleType("portal_extra_for_test")

    def page(request):
        from cases.portal.gate import portal_access

        access = portal_access(request, obj="testpagina")
        return HttpResponse(f"member {access.member.pk}")

    module.urlpatterns = [path("extra/", page, name="extra_for_test")]
    module.NAV = [PortalNav(key="extra", url_name="portal:extra_for_test", label="Extra")]
    module.card = lambda request, access: PortalCard(
        template="portal/test_extra_card.html", context={"text": f"kaart {access.member.pk}"}
    )
    template_dir = tmp_path / "portal"
    template_dir.mkdir()
    (template_dir / "test_extra_card.html").write_text("<p id='extra-card'>{{ card.text }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    sys.modules[module.__name__] = module
    urlconfs, sections = list(settings.PORTAL_URLCONFS), list(settings.PORTAL_SECTIONS)
    settings.PORTAL_URLCONFS = [module.__name__]
    settings.PORTAL_SECTIONS = [module.__name__]
    extensions._modules.cache_clear()

    importlib.reload(cases.portal.urls)
    importlib.reload(familiekracht.urls)
    clear_url_caches()
    yield module
    del sys.modules[module.__name__]
    # Back to the project's own sections (the reports' questionnaires), for later tests.
    settings.PORTAL_URLCONFS = urlconfs
    settings.PORTAL_SECTIONS = sections
    extensions._modules.cache_clear()
    importlib.reload(cases.portal.urls)
    importlib.reload(familiekracht.urls)
    clear_url_caches()


def test_a_section_adds_a_page_a_menu_item_and_a_card(extra_section, parent_client, parent_account):
    client, account = parent_client, parent_account
    url = reverse("portal:extra_for_test")
    assert url == "/gezin/extra/"
    assert client.get(url).content.decode() == f"member {account.member_id}"
    home = client.get(reverse("portal:home")).content.decode()
    assert f"<p id='extra-card'>kaart {account.member_id}</p>" in home
    assert 'href="/gezin/extra/"' in home
