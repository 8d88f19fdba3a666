"""Shared steps of the browser journeys: page checks and keyboard moves."""

from __future__ import annotations

import json
from typing import Any

from tests.quality import assert_valid_html, axe_violations

PASSWORD = "secret-pass-123"


# Marks every visible control of the forms in <main>: one mark per control, one per radio
# group (Tab enters a group once; the arrow keys move inside it). Returns the marks.
_MARK_CONTROLS = """() => {
  const marks = new Set();
  const controls = document.querySelectorAll(
    'main form input, main form select, main form textarea, main form button');
  controls.forEach((el, i) => {
    if (el.type === 'hidden' || el.disabled || el.getClientRects().length === 0) return;
    const form = [...document.forms].indexOf(el.form);
    const mark = el.type === 'radio'
      ? `radio ${form} ${el.name}`
      : `${el.tagName} ${el.name || el.textContent.trim()} ${i}`;
    el.dataset.keyboardMark = mark;
    marks.add(mark);
  });
  document.body.tabIndex = -1;
  document.body.focus();
  document.body.removeAttribute('tabindex');
  return [...marks];
}"""
_FOCUSED = "() => document.activeElement && document.activeElement.dataset.keyboardMark || null"
_UNMARK = "() => document.querySelectorAll('[data-keyboard-mark]')"
_UNMARK += ".forEach(el => el.removeAttribute('data-keyboard-mark'))"


class PageChecks:
    """Checks every page a journey visits: axe-core, Tab reaches every form control, and the
    HTML is kept for one run of the Nu HTML checker.

    Findings are gathered rather than raised at once, so one failing run lists every page
    that needs a fix; `assert_clean` fails on any of them.
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.html: dict[str, str] = {}
        self.violations: dict[str, list[dict[str, Any]]] = {}
        self.unreachable: dict[str, list[str]] = {}

    def check(self, name: str) -> None:
        assert name not in self.html, f"page name used twice: {name}"
        self.page.wait_for_load_state()
        found = axe_violations(self.page)
        if found:
            self.violations[f"{name} ({self.page.url})"] = found
        self.html[name] = self.page.content()
        if missed := self.keyboard_misses():
            self.unreachable[f"{name} ({self.page.url})"] = missed

    def keyboard_misses(self, *, limit: int = 200) -> list[str]:
        """Tab from the top of the page through it; return the form controls never focused."""
        page = self.page
        todo = set(page.evaluate(_MARK_CONTROLS))
        for _ in range(limit):
            if not todo:
                break
            page.keyboard.press("Tab")
            todo.discard(page.evaluate(_FOCUSED))
        page.evaluate(_UNMARK)
        return sorted(todo)

    def assert_clean(self) -> None:
        assert self.html, "the journey checked no pages"
        assert self.violations == {}, "axe violations:\n" + json.dumps(self.violations, indent=1)
        assert self.unreachable == {}, f"not reachable with Tab: {self.unreachable}"
        assert_valid_html(self.html)


def login(page: Any, checks: PageChecks, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    checks.check(f"login ({username})")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def is_focused(locator: Any) -> bool:
    return bool(locator.evaluate("el => el === document.activeElement"))


def tab_to(page: Any, locator: Any, *, limit: int = 60) -> None:
    """Press Tab until `locator` has the focus: proves it is reachable by keyboard."""
    for _ in range(limit):
        if is_focused(locator):
            return
        page.keyboard.press("Tab")
    assert is_focused(locator), f"not reachable with Tab in {limit} steps: {locator}"
