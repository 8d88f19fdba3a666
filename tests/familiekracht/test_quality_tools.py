"""The page checks used by the browser journeys must be able to fail."""

from __future__ import annotations

from tests.quality import html_errors


def test_html_checker_reports_errors_and_passes_valid_html():
    errors = html_errors(
        {
            "broken": "<!doctype html><html lang=nl><head><title>x</title></head>"
            "<body><div><p>a</span></body></html>",
            "valid": "<!doctype html><html lang=nl><head><title>x</title></head>"
            "<body><p>a</p></body></html>",
        }
    )
    assert any(e.startswith("broken:") and "span" in e for e in errors)
    assert not any(e.startswith("valid:") for e in errors)


def test_axe_finds_a_missing_label(browser_page):
    from tests.quality import axe_violations

    browser_page.set_content(
        "<!doctype html><html lang='nl'><head><title>t</title></head>"
        "<body><main><input type='text'></main></body></html>"
    )
    assert "label" in {v["id"] for v in axe_violations(browser_page)}
