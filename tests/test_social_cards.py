"""sphinxext-opengraph's social cards deferred (``social_cards``): loading the extension no longer
imports matplotlib, its defaults are the real ones, and a site that draws cards still gets them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from labkb.sphinxext.social_cards import defaults

REPO = Path(__file__).resolve().parent.parent

CHECK = """
import sys
from labkb.sphinxext import social_cards
assert social_cards.defer()
import sphinxext.opengraph as og
assert "matplotlib" not in sys.modules, "matplotlib imported with the extension"
deferred = dict(og.DEFAULT_SOCIAL_CONFIG)
real = social_cards.real()
assert "matplotlib" in sys.modules and not getattr(real, "kb_stand_in", False)
assert deferred == real.DEFAULT_SOCIAL_CONFIG, (deferred, real.DEFAULT_SOCIAL_CONFIG)
assert social_cards.real() is real and not social_cards.defer()
print("ok")
"""


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=600, check=False)


def test_the_extension_loads_without_matplotlib_and_with_the_real_defaults() -> None:
    done = _run([sys.executable, "-c", CHECK], REPO)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]


def test_defaults_are_read_only_from_a_literal() -> None:
    assert defaults("X = 1\nDEFAULT_SOCIAL_CONFIG = {'enable': True}\n") == {"enable": True}
    assert defaults("DEFAULT_SOCIAL_CONFIG = dict(enable=True)\n") is None
    assert defaults("DEFAULT_SOCIAL_CONFIG = [1]\n") is None
    assert defaults("OTHER = {}\n") is None


def test_a_site_that_draws_cards_still_gets_them(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["sphinxext.opengraph"]\nogp_site_url = "https://example.org/"\n'
        'ogp_social_cards = {"enable": True}\n', encoding="utf8")
    (src / "index.rst").write_text("Cards\n=====\n\nA page with a card.\n", encoding="utf8")
    done = _run([sys.executable, "-m", "labkb.sphinxext.build_main", "-b", "html", "-q",
                 str(src), str(tmp_path / "out")], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    cards = list((tmp_path / "out" / "_images" / "social_previews").glob("*.png"))
    assert len(cards) == 1, "no social card was drawn"
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf8")
    assert f'<meta property="og:image" content="https://example.org/_images/social_previews/' \
           f'{cards[0].name}" />' in page
