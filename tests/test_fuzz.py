"""Property-based fuzzing (hypothesis) of the loader, the validator and the renderer (issue 6).

Whatever the input: no exception escapes, and every problem is a located warning (path as given,
line within the file, a documented subtype). Examples per test come from a settings profile:
``ci`` (1000, when the environment variable CI is set) or ``dev`` (200); the renderer runs a few
real Sphinx builds only. The number of inputs tried is printed in the terminal summary.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import in_ci, warnings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from labkb.core.loader import Loaded, load_yaml
from labkb.core.schema import KINDS, Context, validate
from test_hostile import TerminalSection

settings.register_profile("ci", max_examples=1000, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=200, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if in_ci() else "dev")

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
REAL_ENTRY = REPO / "docs" / "models" / "moss-vl.yaml"

#: The documented warning subtypes (README, "Warnings").
SUBTYPES = {"yaml", "schema", "ref", "link", "id", "duplicate", "markup", "directive", "bib",
            "encoding", "search", "source", "config"}
PATH = "docs/models/fuzz.yaml"
#: What entries may refer to (moss-vl.yaml's own area and related entry included).
CONTEXT = Context(areas=frozenset({"vision", "language", "multimodal-large-models"}),
                  people=frozenset({"ada"}), entries=frozenset({"alpha", "beta", "moss"}),
                  sources=frozenset({"home"}), require_sources=False)
FIELDS = sorted({info.alias or name for name, info in KINDS["model"].model_fields.items()})

TRIED: Counter[str] = Counter()
SUMMARY = TerminalSection("fuzzing (hypothesis)")


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    SUMMARY.register(request.config)
    yield
    parts = {k: v for k, v in sorted(TRIED.items()) if k.startswith(("load", "validate"))}
    if parts:
        SUMMARY.add(f"loader + validator inputs tried: {sum(parts.values())} ("
                    + ", ".join(f"{k}: {v}" for k, v in parts.items()) + ")")
    if TRIED["render"]:
        SUMMARY.add(f"renderer: {TRIED['render']} Sphinx builds, {TRIED['render entries']} "
                    "generated entries")


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def line_count(text: str) -> int:
    """Lines of a YAML text, as editors number them (YAML's line breaks; after a final break,
    one more, empty, line)."""
    return len(_BREAK.findall(text.removeprefix("\ufeff"))) + 1


def assert_located(problems, text: str | None, path: str = PATH) -> None:
    last = line_count(text) if text is not None else 1
    for problem in problems:
        assert problem.path == path, problem
        assert 1 <= problem.line <= last, (problem, last)
        assert problem.subtype in SUBTYPES, problem
        assert problem.message, problem
        str(problem)  # renders


def check_text(text: str, kind: str = "model") -> None:
    """Load and validate one text: every problem located; what validates, validates again."""
    loaded = load_yaml(text, PATH)
    assert_located(loaded.problems, text)
    for line in loaded.lines.values():
        assert 1 <= line <= line_count(text)
    result = validate(loaded, PATH, "fuzz", kind, CONTEXT)
    assert_located(result.problems, text)
    if result.data is not None:
        assert not loaded.problems
        again = validate(Loaded(data=result.data), PATH, "fuzz", kind, CONTEXT)
        assert again.problems == [] and again.data == result.data


# -- (1) the loader: arbitrary text, and mutations of a real entry ----------------------------------

@given(st.text())
def test_load_arbitrary_text(text):
    TRIED["load: arbitrary text"] += 1
    check_text(text)


#: YAML's own syntax characters, so that random texts reach past the first token more often.
YAMLISH = st.text(alphabet=st.sampled_from([*"abc: -[]{},&*!|>'\"#%@`?\n\t \r\ufeff\\0.",
                                            "\u2028", "\x85", "é", "多"]), max_size=200)


@given(YAMLISH)
def test_load_yaml_like_text(text):
    TRIED["load: YAML-like text"] += 1
    check_text(text, "project")


_REAL = REAL_ENTRY.read_bytes()
MUTATIONS = st.lists(st.tuples(st.sampled_from(["flip", "set", "insert", "delete"]),
                               st.integers(0, len(_REAL) - 1), st.integers(0, 255)),
                     min_size=1, max_size=8)


def mutate(data: bytes, edits: list[tuple[str, int, int]]) -> bytes:
    buf = bytearray(data)
    for op, pos, value in edits:
        pos = min(pos, max(len(buf) - 1, 0))
        if op == "flip" and buf:
            buf[pos] ^= 1 << (value % 8)
        elif op == "set" and buf:
            buf[pos] = value
        elif op == "insert":
            buf.insert(pos, value)
        elif buf:
            del buf[pos]
    return bytes(buf)


@given(MUTATIONS)
def test_load_mutated_real_entry(edits):
    """Byte flips, overwrites, insertions and deletions of docs/models/moss-vl.yaml. Bytes that
    are not UTF-8 (the build reports those files as [kb.encoding] and skips them) become U+FFFD
    here, so the loader sees the rest of the mutated file."""
    TRIED["load: mutated moss-vl.yaml"] += 1
    check_text(mutate(_REAL, edits).decode("utf-8", errors="replace"))


def test_real_entry_is_valid():
    """The seed of the mutations is itself clean (so mutations are what the fuzzer tests)."""
    loaded = load_yaml(_REAL.decode("utf-8"), PATH)
    result = validate(loaded, PATH, "moss-vl", "model")
    assert loaded.problems == [] and result.problems == [] and result.data is not None


# -- (2) the validator: arbitrary data trees, and random values per field --------------------------

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
           | st.dates() | st.datetimes() | st.binary(max_size=10)
           | st.sampled_from(["https://example.org/x", "javascript:alert(1)", "vision", "ada",
                              "alpha", "2020-01-02", "", " ", "x" * 400, "model-index"]))
KEYS = st.sampled_from([*FIELDS, "name", "type", "value", "results", "task", "dataset",
                        "metrics", "source", "url", "link", "description"]) | st.text(max_size=10)
TREES = st.recursive(SCALARS, lambda children: st.lists(children, max_size=5)
                     | st.dictionaries(KEYS, children, max_size=6), max_leaves=40)


@given(TREES, st.sampled_from(["project", "model"]))
def test_validate_arbitrary_data_trees(tree, kind):
    """Data straight from a tree (no line numbers: every problem on line 1)."""
    TRIED["validate: data trees"] += 1
    result = validate(Loaded(data=tree), PATH, "fuzz", kind, CONTEXT)
    assert_located(result.problems, None)
    if result.data is not None:
        again = validate(Loaded(data=result.data), PATH, "fuzz", kind, CONTEXT)
        assert again.problems == [] and again.data == result.data


def _dump(data) -> str | None:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:  # e.g. a dict key YAML cannot represent
        return None


@given(st.dictionaries(KEYS, TREES, max_size=8) | TREES, st.sampled_from(["project", "model"]))
def test_validate_data_trees_through_yaml(tree, kind):
    """The same trees written as YAML and loaded back, so problems carry real lines."""
    TRIED["validate: data trees as YAML"] += 1
    text = _dump(tree)
    if text is not None:
        check_text(text, kind)


def _field_values(name: str):
    valid = {"areas": st.lists(st.sampled_from(["vision", "language", "nope"]), max_size=3),
             "people": st.lists(st.sampled_from(["ada", "bob"]), max_size=2),
             "related": st.lists(st.sampled_from(["alpha", "beta", "gamma"]), max_size=2),
             "year": st.integers(1800, 2200), "release_date": st.dates(),
             "status": st.sampled_from(["planned", "active", "released", "done"]),
             "language": st.lists(st.sampled_from(["en", "zh", "zh-Hans", "EN", "english"])),
             "links": st.dictionaries(st.sampled_from(["code", "paper", "demo", "codes"]),
                                      st.sampled_from(["https://example.org/a", "ftp://x",
                                                       "javascript:alert(1)", "http://a b"]))}
    return valid.get(name, st.nothing()) | TREES


@st.composite
def random_entries(draw):
    """A mapping with the required fields mostly right and random values for other fields."""
    data = {"name": draw(st.text(min_size=1, max_size=20) | TREES),
            "summary": draw(st.text(min_size=1, max_size=40) | st.just("ok")),
            "areas": draw(_field_values("areas"))}
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=8, unique=True)):
        data[name] = draw(_field_values(name))
    return data


@given(random_entries(), st.sampled_from(["project", "model"]))
def test_validate_random_field_values(data, kind):
    TRIED["validate: random field values"] += 1
    text = _dump(data)
    if text is None:
        return
    check_text(text, kind)
    result = validate(Loaded(data=data), PATH, "fuzz", kind, CONTEXT)
    assert_located(result.problems, None)


# -- (3) the renderer: generated entries through a real Sphinx build ---------------------------------

#: Characters that mean something to HTML, MyST, rST or YAML, mixed into arbitrary unicode.
NASTY = ["<script>", "</script>", "<", ">", "&", '"', "'", "`", "{raw}`html <b>x</b>`",
         "```{raw} html\n<script>1</script>\n```", ":", "*", "_", "[", "]", "(", ")", "|",
         "\\", "{{ 7*191 }}", "\n", "\t", "\x00", "\x1b", "\u202e", "\ufeff", "\u2028"]


def _texts(max_size: int):
    pieces = st.lists(st.text(max_size=8) | st.sampled_from(NASTY), min_size=1, max_size=6)
    return pieces.map("".join).map(lambda s: s[:max_size]).filter(lambda s: s.strip())


def generated_entry(kind: str, rnd, texts: list[str]) -> dict:
    """A valid-ish entry with arbitrary unicode in every string field (ids and URLs valid): the
    strings come from hypothesis (``texts``), spread over the fields by its seeded ``rnd``."""

    def text() -> str:
        return rnd.choice(texts)

    def some(make, low: int = 0, high: int = 2) -> list:
        return [make() for _ in range(rnd.randint(low, high))]

    def item() -> dict:
        return {"name": text(), "description": text()} if rnd.random() < 0.7 else {"name": text()}

    data = {"name": text(), "name_zh": text(), "summary": text(),
            "areas": rnd.sample(["vision", "language"], rnd.randint(1, 2)),
            "tags": some(text, 0, 4), "venue": text(), "organization": text(),
            "year": rnd.randint(1990, 2030), "links": {"code": "https://example.org/code"}}
    if kind == "model":
        data.update({
            "modalities": some(text), "parameters": text(),
            "variants": some(lambda: {"name": text(), "parameters": text()}),
            "architecture": some(item), "training_procedure": some(item),
            "training_data": text(), "intended_uses": some(text), "out_of_scope_uses": some(text),
            "capabilities": some(item), "applications": some(item), "significance": some(item),
            "limitations": some(item), "outlook": some(item), "license": text(),
            "pipeline_tag": text(), "library_name": text(), "datasets": some(text),
            # base_model: a reference to an entry (an id), fuzzed as such in test_hostile
            "model-index": [{"name": text(), "results": [{
                "task": {"type": text(), "name": text()},
                "dataset": {"type": text(), "name": text()},
                "metrics": [{"type": text(), "value": text(), "name": text()}],
                "source": {"name": text(), "url": "https://example.org/src"}}]}],
        })
    data["description"] = text()  # last: every line from its first on is the description's
    return data


BUILD_ENTRIES = 50


@settings(max_examples=5, deadline=None, database=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(_texts(120), min_size=10, max_size=40), st.randoms(use_true_random=False))
def test_render_generated_entries(texts, rnd):
    """One real Sphinx build per example, of the hostile root plus 50 generated entries."""
    from sphinx.testing.util import SphinxTestApp

    TRIED["render"] += 1
    TRIED["render entries"] += BUILD_ENTRIES
    tmp = Path(tempfile.mkdtemp(prefix="labkb-fuzz-"))
    try:
        src = tmp / "kb-hostile"
        shutil.copytree(ROOTS / "test-kb-hostile", src)
        description_line: dict[str, int] = {}
        for i in range(BUILD_ENTRIES):
            folder, kind = ("projects", "project") if i % 2 else ("models", "model")
            name = f"{folder}/fuzz-{i}.yaml"
            text = yaml.safe_dump(generated_entry(kind, rnd, texts), allow_unicode=True,
                                  sort_keys=False)
            (src / name).write_text(text, encoding="utf8")
            loaded = load_yaml(text, name)
            assert loaded.problems == [], (text, loaded.problems)
            description_line[name] = loaded.lines[("description",)]
        app = SphinxTestApp("html", srcdir=src, freshenv=True,
                            confoverrides={"html_search_language": "en"})
        try:
            app.build()
            log = app.status.getvalue() + app.warning.getvalue()
            found = warnings(app)
            outdir = Path(app.outdir)
        finally:
            app.cleanup()
        assert "Traceback" not in log
        for warning in found:
            # arbitrary text in the one MyST field may warn (markup, unknown roles ...); nothing
            # else may, and every warning of a generated file is located in its description
            match = re.match(rf"{re.escape(str(src))}/((?:projects|models)/fuzz-\d+\.yaml):(\d+): ",
                             warning)
            assert match, warning
            assert int(match.group(2)) >= description_line[match.group(1)], warning
        for page in outdir.rglob("*.html"):
            check_scripts(page)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


#: The inline scripts the theme writes (alabaster's search box).
THEME_SCRIPTS = {"document.getElementById('searchbox').style.display = \"block\""}


def check_scripts(page: Path) -> None:
    """Every <script> of a page is one the site wrote: a file from _static, the theme's inline
    snippets, or JSON-LD data with no ``<`` in it."""
    raw = page.read_text(encoding="utf8")
    soup = BeautifulSoup(raw, "html.parser")
    for script in soup.find_all("script"):
        if script.get("src"):
            assert re.match(r"^(\.\./)*(_static/[\w./-]+|searchindex\.js)(\?v=[0-9a-f]+)?$",
                            script["src"]), (
                page, str(script)[:300])
        elif script.get("type") == "application/ld+json":
            assert "<" not in script.get_text(), (page, str(script)[:300])
        else:
            assert script.get_text().strip() in THEME_SCRIPTS, (page, str(script)[:300])
    assert raw.count("<script") == len(soup.find_all("script")), page


def test_scripts_check_catches_an_injected_script(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<p>x</p><script>alert(1)</script>', encoding="utf8")
    with pytest.raises(AssertionError):
        check_scripts(page)
