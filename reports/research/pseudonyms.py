"""Stable pseudonyms: HMAC-SHA256 with the secret from the environment and the project's key.

The secret (settings.RESEARCH_SECRET, from the environment) never reaches the database;
the project's `key_id` makes the key differ per project, so two projects' datasets cannot
be linked on their pseudonyms, while one project's datasets can (the same family keeps its
pseudonym from one download to the next).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PSEUDONYM_LENGTH = 16


class Pseudonymiser:
    def __init__(self, key_id: str, secret: str | None = None) -> None:
        secret = settings.RESEARCH_SECRET if secret is None else secret
        if not secret:
            raise ImproperlyConfigured("RESEARCH_SECRET is not set: no research dataset.")
        self._key = hmac.new(secret.encode(), f"project:{key_id}".encode(), hashlib.sha256).digest()

    def _hash(self, kind: str, pk: int) -> str:
        digest = hmac.new(self._key, f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()
        return digest[:PSEUDONYM_LENGTH]

    def family(self, pk: int) -> str:
        return "G" + self._hash("family", pk)

    def member(self, pk: int) -> str:
        return "P" + self._hash("member", pk)

    def professional(self, pk: int) -> str:
        return "H" + self._hash("professional", pk)

    def element(self, pk: int) -> str:
        return "W" + self._hash("working_element", pk)
