"""Shared steps of the browser journeys: page checks and keyboard moves."""

from __future__ import annotations

import json
from typing import Any

from tests.quality import assert_valid_html, axe_violations

PASSWORD = "secret-pass-123"


class PageChecks:
    """Runs axe-core on every page a journey visits and keeps its HTML for one validator run.

    Violations are gathered rather than raised at once, so one failing run lists every page
    that needs a fix; `assert_clean` fails on any violation or HTML error.
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.html: dict[str, str] = {}
        self.violations: dict[str, list[dict[str, Any]]] = {}

    def check(self, name: str) -> None:
        assert name not in self.html, f"page name used twice: {name}"
        self.page.wait_for_load_state()
        found = axe_violations(self.page)
        if found:
            self.violations[f"{name} ({self.page.url})"] = found
        self.html[name] = self.page.content()

    def assert_clean(self) -> None:
        assert self.html, "the journey checked no pages"
        assert self.violations == {}, "axe violations:\n" + json.dumps(self.violations, indent=1)
        assert_valid_html(self.html)


def login(page: Any, checks: PageChecks, username: str) -> None:
    page.goto("/login/")
    checks.check(f"login ({username})")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("navigation", name="Hoofdnavigatie").wait_for()


def is_focused(locator: Any) -> bool:
    return bool(locator.evaluate("el => el === document.activeElement"))


def tab_to(page: Any, locator: Any, *, limit: int = 60) -> None:
    """Press Tab until `locator` has the focus: proves it is reachable by keyboard."""
    for _ in range(limit):
        if is_focused(locator):
            return
        page.keyboard.press("Tab")
    assert is_focused(locator), f"not reachable with Tab in {limit} steps: {locator}"
