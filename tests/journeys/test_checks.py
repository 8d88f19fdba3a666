"""The keyboard check of the journeys must be able to fail."""

from __future__ import annotations

import pytest

from tests.journeys.helpers import PageChecks

pytestmark = [pytest.mark.browser]

PAGE = """<!doctype html><html lang="nl"><head><title>t</title></head><body>
<nav><a href="#x">elders</a></nav>
<main><form>
  <label for="a">A</label><input id="a" name="a">
  <label for="b">B</label><input id="b" name="b" tabindex="-1">
  <fieldset><legend>C</legend>
    <label><input type="radio" name="c" value="1"> een</label>
    <label><input type="radio" name="c" value="2"> twee</label>
  </fieldset>
  <input type="hidden" name="h">
  <button type="submit">Opslaan</button>
</form></main></body></html>"""


def test_keyboard_check_names_only_controls_tab_cannot_reach(browser_page):
    browser_page.set_content(PAGE)
    misses = PageChecks(browser_page).keyboard_misses()
    assert misses == ["INPUT b 1"]
