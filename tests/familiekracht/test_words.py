"""Words a team notices on day one: edit links, true empty states, errors that say what to
do, a favicon of our own."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.network.factories import NetworkMemberFactory

pytestmark = pytest.mark.django_db


def test_favicon_is_our_own_static_file(alice_client, family):
    html = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    path = finders.find("img/favicon.svg")
    assert path and Path(path).read_text().lstrip().startswith("<svg")
    assert "http" not in Path(path).read_text().replace("http://www.w3.org/2000/svg", "")


@pytest.mark.parametrize(
    "dutch",
    ["wijzigen", "Wijzigen", "Doel wijzigen", "Gebeurtenis wijzigen", "%(name)s wijzigen"],
)
def test_english_edit_links_say_edit(dutch):
    with translation.override("en"):
        english = gettext(dutch)
    assert "edit" in english.lower() and "change" not in english.lower()


def test_network_page_without_members_does_not_claim_everyone_was_seen(alice_client, family):
    url = reverse("network:overview", args=[family.pk])
    html = alice_client.get(url).content.decode()
    assert "Er zijn nog geen netwerkleden om contact mee te houden." in html
    assert "Iedereen is recent gesproken." not in html
    NetworkMemberFactory(family=family, name="Oma Ria")
    html = alice_client.get(url).content.decode()
    assert "Oma Ria" in html and "nog geen contact vastgelegd" in html


def test_error_messages_say_what_to_do():
    # Errors that used to read as statements of fact.
    po = (Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text()
    for old in (
        "De volgende bespreking ligt na deze bespreking.",
        "Een datum in de toekomst kan niet.",
    ):
        assert f'msgid "{old}"\n' not in po
    assert 'msgid "Een datum in de toekomst kan niet; kies vandaag of een eerdere datum."' in po
    assert 'msgid "Kies voor de volgende bespreking een datum na deze bespreking."' in po
