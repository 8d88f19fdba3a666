from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_form_wide_errors_are_announced(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong-password"})
    body = response.content.decode()
    assert response.status_code == 200
    start = body.index('<div class="alert alert-block alert-danger"')
    assert 'role="alert"' in body[start : body.index(">", start)]


@pytest.mark.parametrize(
    "name",
    ["cases:member_create", "cases:contact_create", "network:agreement_create"],
)
def test_every_form_page_has_the_one_error_summary(alice_client, family, name):
    """One summary per form, announced (role="alert"), focusable for js/form_errors.js,
    with each field error linked to its field; nothing saved."""
    # Not an empty POST: the views treat that as a first visit (request.POST or None).
    response = alice_client.post(reverse(name, args=[family.pk]), {"x": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("data-error-summary") == 1
    start = body.index("data-error-summary")
    tag = body[body.rindex("<div", 0, start) : body.index(">", start)]
    assert 'role="alert"' in tag and 'tabindex="-1"' in tag
    summary = body[start : body.index("</div>", start)]
    assert "Niet opgeslagen" in summary
    field = next(f for f in response.context["form"] if f.errors and not f.is_hidden)
    assert f'href="#{field.id_for_label}"' in summary
    assert "js/form_errors.js" in body


def test_a_valid_page_has_no_error_summary(alice_client, family):
    body = alice_client.get(reverse("cases:member_create", args=[family.pk])).content.decode()
    assert "data-error-summary" not in body
