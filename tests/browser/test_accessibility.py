"""axe-core (bundled in axe-playwright-python, so offline) on the main page types.

No serious or critical violation is allowed. Fixes live in docs/_templates/ (search button name,
citation list roles, default colour mode) and in ext/labkb/static/labkb.css ("accessibility fixes").
"""

from __future__ import annotations

from collections import Counter

import pytest

from .conftest import DESKTOP, PAGE_TYPES, PHONE, REPORT

# The five page types, plus the references page (the one with a docutils citation list) and the
# comparison page (kb-compare tables, their sources and claims).
PAGES = {**PAGE_TYPES, "references": "references.html", "compare": "models/compare.html"}
SETTINGS = {
    "desktop-light": {"viewport": DESKTOP, "color_scheme": "light"},
    "desktop-dark": {"viewport": DESKTOP, "color_scheme": "dark"},
    "phone-light": {"viewport": PHONE, "color_scheme": "light", "is_mobile": True},
}
BLOCKING = {"serious", "critical"}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    # Experimental in axe, so off by default; pydata-sphinx-theme's search button failed it.
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


@pytest.fixture(scope="module")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        from .conftest import unavailable
        unavailable("axe-playwright-python is not installed (pip install axe-playwright-python)")
    return Axe()


def describe(violation: dict) -> str:
    nodes = violation["nodes"]
    targets = "; ".join(" ".join(map(str, n["target"])) for n in nodes[:3])
    more = f" (+{len(nodes) - 3} more)" if len(nodes) > 3 else ""
    return f"{violation['id']} ({violation['impact']}) x{len(nodes)}: {targets}{more}"


@pytest.mark.parametrize("setting", SETTINGS)
def test_no_serious_violations(new_page, axe, setting: str) -> None:
    watched = new_page(**SETTINGS[setting])
    blocking: dict[str, list[str]] = {}
    for path in PAGES.values():
        watched.goto(path)
        violations = axe.run(watched.page, options=AXE_OPTIONS).response["violations"]
        impacts = Counter(v["impact"] for v in violations)
        counts = ", ".join(f"{impacts[i]} {i}" for i in ("critical", "serious", "moderate", "minor")
                           if impacts[i]) or "none"
        REPORT.append(f"axe {setting} {path}: {counts}")
        if bad := [describe(v) for v in violations if v["impact"] in BLOCKING]:
            blocking[path] = bad
    assert not blocking, f"axe ({setting}):\n" + "\n".join(
        f"{path}:\n  " + "\n  ".join(found) for path, found in blocking.items())
