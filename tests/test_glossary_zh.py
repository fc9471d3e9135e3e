"""Chinese search terms from the glossary (``core/glossary_zh``): looking for a phrase's letters
first finds exactly what the patterns alone find."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from labkb.core import glossary_zh
from labkb.core.glossary_zh import GLOSSARY, chinese_keywords


def _patterns_alone(texts: list[str]) -> list[str]:
    joined = "\n".join(texts)
    found: dict[str, None] = {}
    for _, pattern, zh in glossary_zh._PATTERNS:
        if pattern.search(joined):
            found.setdefault(zh, None)
    return list(found)


PHRASES = sorted(GLOSSARY)
WORDS = st.one_of(st.sampled_from(PHRASES), st.sampled_from(PHRASES).map(str.upper),
                  st.sampled_from(PHRASES).map(str.title),
                  st.sampled_from(["-", " ", "_", "x", "İ", "ı", "ſ", "K", "\n", "中文", "é"]),
                  st.text(max_size=3))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(WORDS, max_size=8).map("".join), max_size=3))
def test_phrases_found_are_those_the_patterns_find(texts: list[str]) -> None:
    assert chinese_keywords(texts) == _patterns_alone(texts)


def test_turkish_and_other_case_letters_still_match() -> None:
    assert all(phrase.isascii() for phrase in PHRASES)
    assert "可解释性" in chinese_keywords(["İNTERPRETABILITY of models"])  # İ matches i, as before
    assert chinese_keywords(["ſearch"]) == _patterns_alone(["ſearch"])
    assert chinese_keywords(["multi-task learning"]) == _patterns_alone(["multi-task learning"])
