"""Every validation problem is one located warning (file:line: field: message [kb.subtype]),
and every other entry still builds."""

from __future__ import annotations

import pytest
from conftest import copy_root
from helpers import card_names, html, warnings
from labkb.core.loader import load_yaml
from labkb.core.schema import Context, json_schema, validate

BROKEN = {
    "projects/syntax.yaml": "name: Syntax\nsummary: [unclosed\nareas: [vision]\n",
    "projects/types.yaml": "name: Types\nsummary: ok\nareas: [vision]\nyear: soon\n",
    "projects/missing.yaml": "name: Missing\nareas: [vision]\n",
    "projects/unknown.yaml": "name: Unknown\nsummary: ok\nareas: [vision]\ntgas: [x]\n",
    "projects/refs.yaml": ("name: Refs\nsummary: ok\nareas: [vision, visoin]\npeople: [bob]\n"
                           "related: [alpha, nope]\n"),
    "projects/badlink.yaml": ("name: Badlink\nsummary: ok\nareas: [vision]\nlinks:\n"
                              "  code: javascript:alert(1)\n  paper: https://example.org/p\n"),
    "models/alpha.yaml": "name: Alpha again\nsummary: dup\nareas: [vision]\n",
    "projects/Bad_Id.yaml": "name: Bad\nsummary: ok\nareas: [vision]\n",
    "projects/list.yaml": "- name: a\n",
    "projects/empty.yaml": "",
    "projects/dupkey.yaml": "name: A\nname: B\nsummary: ok\nareas: [vision]\n",
}

EXPECTED = [
    ("projects/syntax.yaml:3", "(the construct starts on line 2)", "kb.yaml"),
    ("projects/types.yaml:4", "year: Input should be a valid integer", "kb.schema"),
    ("projects/missing.yaml:1", "summary: required field is missing", "kb.schema"),
    ("projects/unknown.yaml:4", "tgas: unknown field (did you mean 'tags'?)", "kb.schema"),
    ("projects/refs.yaml:3", "areas[1]: unknown research area 'visoin' (did you mean 'vision'?)",
     "kb.ref"),
    ("projects/refs.yaml:4", "people[0]: unknown person 'bob'", "kb.ref"),
    ("projects/refs.yaml:5", "related[1]: unknown entry 'nope'", "kb.ref"),
    ("projects/badlink.yaml:5", "links.code: must be an http:// or https:// URL", "kb.link"),
    ("projects/alpha.yaml:1", "duplicate entry id 'alpha' (first defined in", "kb.duplicate"),
    # alpha is now a model, so links to the project alpha dangle
    ("hosts/rst.rst:9", "unknown project id 'alpha'", "ref.project"),
    ("index.md:48", "unknown project id 'alpha'", "ref.project"),
    ("projects/Bad_Id.yaml:1", "invalid id 'Bad_Id'", "kb.id"),
    ("projects/list.yaml:1", "the file must hold a mapping, not a list", "kb.schema"),
    ("projects/empty.yaml:1", "the file is empty", "kb.yaml"),
    ("projects/dupkey.yaml:2", "name: duplicate key (first defined on line 1)", "kb.yaml"),
]


@pytest.fixture
def broken_app(make_app, rootdir, tmp_path):
    src = copy_root(rootdir, "kb", tmp_path)
    for name, text in BROKEN.items():
        (src / name).write_text(text, encoding="utf8")
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    return app


def test_each_problem_is_one_located_warning(broken_app):
    found = warnings(broken_app)
    for location, message, subtype in EXPECTED:
        hits = [w for w in found if f"{location}: WARNING: " in w and message in w
                and w.endswith(f"[{subtype}]")]
        assert len(hits) == 1, (location, message, found)
    assert len(found) == len(EXPECTED), "\n".join(found)
    assert "Traceback" not in broken_app.status.getvalue() + broken_app.warning.getvalue()


def test_other_entries_still_build(broken_app):
    names = card_names(html(broken_app.outdir, "research/vision.html"))
    # the first of two files with one id wins (by path: models/ before projects/); entries with
    # problems in optional fields render without those fields
    assert names == ["Alpha again", "Badlink", "Refs", "Types", "Unknown", "VisionModel"]
    soup = html(broken_app.outdir, "projects/badlink.html")
    assert [a["href"] for a in soup.select(".kb-links a")] == ["https://example.org/p"]
    refs = html(broken_app.outdir, "projects/refs.html").select_one(".kb-facts").get_text()
    assert "bob" not in refs
    assert (broken_app.outdir / "projects/syntax.html").exists()


def test_subtypes_can_be_suppressed(make_app, rootdir, tmp_path):
    src = copy_root(rootdir, "kb", tmp_path)
    for name, text in BROKEN.items():
        (src / name).write_text(text, encoding="utf8")
    app = make_app("html", srcdir=src, freshenv=True,
                   confoverrides={"suppress_warnings": ["kb.ref", "kb.yaml"]})
    app.build()
    found = warnings(app)
    assert not any(w.endswith(("[kb.ref]", "[kb.yaml]")) for w in found)
    assert any(w.endswith("[kb.schema]") for w in found)


@pytest.mark.parametrize("text", [
    "name: <script>alert(1)</script>\nsummary: '\"><img src=x onerror=alert(1)>'\n"
    "areas: [vision]\ntags: ['<b>t</b>', '{raw}`html <i>`']\nname_zh: '`code` *em*'\n",
])
def test_markup_in_plain_fields_is_escaped(make_app, rootdir, tmp_path, text):
    src = copy_root(rootdir, "kb", tmp_path)
    (src / "projects/evil.yaml").write_text(text, encoding="utf8")
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    for page in ("projects/evil.html", "index.html", "research/vision.html"):
        raw = (app.outdir / page).read_text(encoding="utf8")
        assert "<script>alert" not in raw and "<img src=x" not in raw and "<b>t</b>" not in raw
        assert "<i>" not in raw
    soup = html(app.outdir, "projects/evil.html")
    assert soup.select_one("h1").get_text(strip=True).startswith("<script>alert(1)</script>")
    assert "{raw}`html <i>`" in [b.get_text() for b in soup.select(".kb-tag")]


def test_raw_html_in_description_is_not_emitted(make_app, rootdir, tmp_path):
    src = copy_root(rootdir, "kb", tmp_path)
    (src / "projects/raw.yaml").write_text(
        "name: Raw\nsummary: ok\nareas: [vision]\ndescription: |\n  Text.\n\n"
        "  <script>alert(1)</script>\n\n  [x](javascript:alert(1))\n", encoding="utf8")
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    raw = (app.outdir / "projects/raw.html").read_text(encoding="utf8")
    assert "<script>alert" not in raw and 'href="javascript:' not in raw
    assert any("raw.yaml:4" in w and "[kb.markup]" in w for w in warnings(app))


# -- the validator alone, without Sphinx ----------------------------------------------------------
def check(text: str, kind: str = "project", context: Context | None = None):
    return validate(load_yaml(text, "x.yaml"), "x.yaml", "x", kind, context)


def test_valid_entry_round_trips_to_json_data():
    result = check("name: X\nsummary: s\nareas: [a]\nyear: 2020\nrelease_date: 2020-01-02\n")
    assert result.problems == []
    assert result.data == {"name": "X", "summary": "s", "areas": ["a"], "year": 2020,
                           "release_date": "2020-01-02"}


def test_model_fields_are_refused_on_projects():
    result = check("name: X\nsummary: s\nareas: [a]\nlicense: mit\n")
    assert [str(p) for p in result.problems] == [
        "x.yaml:4: license: unknown field (model-card fields are only for entries in a models "
        "folder)"]
    assert "license" not in result.data


def test_evaluation_results_need_a_source():
    text = ("name: X\nsummary: s\nareas: [a]\nmodel-index:\n  - name: X\n    results:\n"
            "      - task: {type: t}\n        dataset: {type: d}\n        metrics: [{type: m, value: 1}]\n")
    result = check(text, "model")
    assert [(str(p), p.subtype) for p in result.problems] == [
        ("x.yaml:7: model-index[0].results[0].source: no source: an unsourced result is not "
         "shown; give source.bib (a .bib key) or source.record (a docs/sources id) with a "
         "locator, or a source url", "schema")]
    assert "model-index" not in result.data


def test_python_tags_and_aliases_are_refused():
    assert "YAML" in check("!!python/object/apply:os.system ['true']\n").problems[0].message
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    assert check(bomb).problems[0].message == "YAML aliases are not allowed"


def test_json_schema_is_the_single_definition():
    schema = json_schema("model")
    assert schema["required"] == ["name", "summary", "areas"]
    assert "model-index" in schema["properties"]
    assert "license" not in json_schema("project")["properties"]


PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>{raw}`html <b>x</b>`"


def _every_string_field(payload: str) -> str:
    """A model entry in which every plain-text field (and nested one) holds ``payload``."""
    import yaml

    item = {"name": payload, "description": payload}
    data = {
        "name": payload, "name_zh": payload, "summary": payload, "areas": ["vision"],
        "tags": [payload], "venue": payload, "organization": payload,
        "modalities": [payload], "parameters": payload,
        "variants": [{"name": payload, "parameters": payload}],
        "architecture": [dict(item)], "training_procedure": [dict(item)], "training_data": payload,
        "intended_uses": [payload], "out_of_scope_uses": [payload], "capabilities": [dict(item)],
        "applications": [dict(item)], "significance": [dict(item)], "limitations": [dict(item)],
        "outlook": [dict(item)],
        "license": payload, "pipeline_tag": payload, "library_name": payload,
        "datasets": [payload],  # base_model: a reference (an id), see test_hostile
        "model-index": [{"name": payload, "results": [{
            "task": {"type": payload, "name": payload},
            "dataset": {"type": payload, "name": payload},
            "metrics": [{"type": payload, "value": payload, "name": payload}],
            "source": {"name": payload}}]}],
    }
    return yaml.safe_dump(data, allow_unicode=True)


def test_every_string_field_is_escaped(make_app, rootdir, tmp_path):
    src = copy_root(rootdir, "kb", tmp_path)
    (src / "models/evil.yaml").write_text(_every_string_field(PAYLOAD), encoding="utf8")
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    assert warnings(app) == []
    page = (app.outdir / "models/evil.html").read_text(encoding="utf8")
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 30
    for out in ("models/evil.html", "index.html", "models/index.html", "research/vision.html"):
        raw = (app.outdir / out).read_text(encoding="utf8")
        assert "<script>alert" not in raw and "<img src=x" not in raw and "<b>x</b>" not in raw


_DEEP_FIELD = "tags" + "[0]" * 20


@pytest.mark.parametrize("scanner", ["libyaml", "pure"])
@pytest.mark.parametrize("depth", [30, 999, 100_000])
def test_deep_nesting_gives_labkbs_warning_whichever_scanner(monkeypatch, scanner, depth):
    """PyYAML >= 6.0.4's libyaml stops at ~1,000 levels before delivering events; older libyaml and
    the pure-Python scanner do not. labkb's own limit must speak first under every one of them."""
    import yaml
    from labkb.core import loader

    if scanner == "pure":
        monkeypatch.setattr(loader, "_Loader", yaml.SafeLoader)
        depth = min(depth, 999)  # the pure composer is not reached; keep the pure scan quick
    text = "name: x\nsummary: y\ntags: " + "[" * depth + "]" * depth + "\n"
    problems = load_yaml(text, "e.yaml").problems
    assert [(p.line, p.field, p.message, p.subtype) for p in problems] == [
        (3, _DEEP_FIELD, "nested too deeply", "yaml")]


def test_libyamls_nesting_error_is_turned_into_labkbs(monkeypatch):
    """Simulate libyaml's limit on any PyYAML: the scan of the whole text fails with its
    message, and the warning is still labkb's, at labkb's depth."""
    import yaml
    from labkb.core import loader

    real = loader._scan_events
    text = "name: x\ntags:\n" + "".join("  " * i + "- \n" for i in range(1, 40))

    def limited(t: str) -> None:
        if t == text:
            mark = yaml.Mark("e.yaml", 0, 30, 8, None, None)
            raise yaml.scanner.ScannerError("while increasing flow level", mark,
                                            "exceeded maximum nesting depth", mark)
        real(t)

    monkeypatch.setattr(loader, "_scan_events", limited)
    problems = load_yaml(text, "e.yaml").problems
    assert [(p.line, p.field, p.message) for p in problems] == [(23, _DEEP_FIELD, "nested too deeply")]


# -- configuration values ------------------------------------------------------------------------------

#: A bad value of every kb_* option -> what the warning says about it.
BAD_CONFIG = [
    ("kb_entry_dirs", {"projects": "project", "papers": "paper"},
     "'papers' -> 'paper': unknown kind (use one of: project, model, source, news, person)"),
    ("kb_entry_dirs", "projects",
     "must be a dict of folder -> kind (project, model, source, news, person), not str"),
    ("kb_entry_dirs", {"a/b": "project"}, "'a/b' is not a folder name of the sources"),
    ("kb_area_dir", "", "must be a folder of the sources relative to them"),
    ("kb_area_dir", "../research", "must be a folder of the sources relative to them"),
    ("kb_area_dir", 3, "must be a folder of the sources relative to them"),
    ("kb_area_dir", "projects", "'projects' is also an entry folder (kb_entry_dirs)"),
    ("kb_people_dir", "/people", "must be a folder of the sources relative to them"),
    ("kb_people_dir", "research", "'research' is also kb_area_dir"),
    ("kb_star_badges", "yes", "must be True or False"),
    ("kb_max_authors", 0, "must be a whole number of at least 1"),
    ("kb_max_authors", "3", "must be a whole number of at least 1"),
    ("kb_max_authors", True, "must be a whole number of at least 1"),
    ("kb_require_sources", "yes", "must be True or False"),
    ("kb_min_sourced", 1.5, "must be a number from 0 to 1, e.g. 1.0 (every entry) or 0.9"),
    ("kb_min_sourced", "all", "must be a number from 0 to 1, e.g. 1.0 (every entry) or 0.9"),
    ("kb_tag_authority", "example.org", "must be a domain name or an email address, ',' and a "
     "date, e.g. 'example.org,2026'"),
    ("kb_tag_authority", "tag:example.org,2026:", "must be a domain name or an email address"),
    ("kb_site_summary", 3, "must be a string"),
    ("kb_feed_length", 0, "must be a whole number of at least 1"),
    ("kb_feed_length", "50", "must be a whole number of at least 1"),
    ("kb_search", "yes", "must be True or False"),
    ("kb_search_background", "yes", "must be True or False"),
    ("kb_doctrees_kept", -1, "must be a whole number, 0 or more (0: no bound)"),
    ("kb_doctrees_kept", 2.5, "must be a whole number, 0 or more (0: no bound)"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD_CONFIG,
                         ids=[f"{n}={v!r}" for n, v, _ in BAD_CONFIG])
def test_each_bad_config_value_is_one_clear_warning_and_the_default(make_app, rootdir, tmp_path,
                                                                     name, value, message):
    from labkb.core.config import OPTIONS

    src = copy_root(rootdir, "kb", tmp_path)
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf8") + f"{name} = {value!r}\n", encoding="utf8")
    line = conf.read_text(encoding="utf8").count("\n")
    app = make_app("html", srcdir=src, freshenv=True)
    found = warnings(app)
    assert len(found) == 1, found
    assert found[0].startswith(f"{conf}:{line}: WARNING: {name} = {value!r}: {message}")
    assert found[0].endswith(f"; using the default {OPTIONS[name][0]!r} [kb.config]")
    assert app.config[name] == OPTIONS[name][0]


def test_every_kb_option_is_validated():
    from labkb.core.config import OPTIONS

    assert {name for name, _, _ in BAD_CONFIG} == set(OPTIONS)


def test_unknown_kind_in_conf_py_is_located_and_has_no_traceback(rootdir, tmp_path):
    """Before the check, a kind no schema knows was a KeyError traceback from the first entry."""
    import subprocess
    import sys

    src = copy_root(rootdir, "kb", tmp_path)
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf8")
                    + 'kb_entry_dirs = {"projects": "project", "models": "modle"}\n',
                    encoding="utf8")
    line = conf.read_text(encoding="utf8").count("\n")
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-E", "-b", "html",
                           str(src), str(tmp_path / "out")], capture_output=True, text=True)
    assert "Traceback" not in proc.stderr and "KeyError" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    assert (f"{conf}:{line}: WARNING: kb_entry_dirs = {{'projects': 'project', 'models': "
            "'modle'}: 'models' -> 'modle': unknown kind (use one of: project, model, source, news, "
            "person)") \
        in proc.stderr
