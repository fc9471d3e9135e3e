"""Charts drawn once per data: a cached chart is read back, not drawn again, and is the same SVG."""

from __future__ import annotations

from pathlib import Path

import pytest
from labkb.outputs import charts


def test_a_cached_chart_is_read_back_not_drawn(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    args = (["2023", "2024"], {"papers": [1, 3]}, "Papers per year")
    plain = charts.bar_svg(*args)
    assert charts.bar_svg(*args, cache=tmp_path) == plain  # drawn, then kept
    assert len(list(tmp_path.glob("*.svg"))) == 1

    def no_drawing(*_: object) -> str:
        raise AssertionError("drawn again")

    monkeypatch.setattr(charts, "_draw", no_drawing)
    assert charts.bar_svg(*args, cache=tmp_path) == plain
    with pytest.raises(AssertionError):  # other data is drawn
        charts.bar_svg(["2023"], {"papers": [1]}, "Papers per year", cache=tmp_path)


def test_the_cache_keeps_a_bounded_number_of_charts(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "KEEP", 3)
    monkeypatch.setattr(charts, "_draw", lambda labels, *_: f"<svg>{labels}</svg>")
    for year in range(6):
        charts.papers_per_year_svg([2000 + year], "t", cache=tmp_path)
    assert len(list(tmp_path.glob("*.svg"))) == 3
    assert not list(tmp_path.glob(".*"))  # no temporary files left


def test_an_unwritable_cache_still_gives_the_chart(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert "<svg" in charts.bar_svg(["a"], {"n": [1]}, "t", cache=blocked / "charts")
