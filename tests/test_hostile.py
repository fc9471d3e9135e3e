"""Bad and hostile input (issue 6).

Bad input: one build of ``test-kb-hostile`` with a whole corpus of broken files added; each file
gives exactly its located warning(s) (``path:line: WARNING: field: message [kb.subtype]``),
nothing else warns, nothing raises, and every good entry's page and cards are there.

Hostile input: every string field of every entry kind and every .bib field shown on pages holds
injection payloads; the HTML must show them as text, and link only to http(s), relative URLs and
fragments. ``tests/browser/test_injection.py`` opens the same build in chromium.
"""

from __future__ import annotations

import re
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import copy_root
from helpers import html, site_pages, warnings
from labkb.core.loader import load_yaml
from labkb.core.schema import validate


class TerminalSection:
    """Lines printed in pytest's terminal summary under a heading, whatever ``-s``/``-q`` say: a
    plugin object registered from a fixture (no conftest needed)."""

    def __init__(self, title: str) -> None:
        self.title, self.lines = title, []

    def register(self, config) -> None:
        if not config.pluginmanager.is_registered(self):
            config.pluginmanager.register(self, f"labkb-{id(self)}")

    def add(self, line: str) -> None:
        self.lines.append(line)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.lines:
            terminalreporter.section(self.title)
            for line in self.lines:
                terminalreporter.write_line(line)


# -- bad input: the corpus --------------------------------------------------------------------------


def _bomb(levels: int = 9) -> str:
    """"Billion laughs": 9 ** levels strings once the aliases are expanded."""
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _entry(name: str, *extra: str) -> str:
    return "\n".join([f"name: {name}", "summary: ok", "areas: [vision]", *extra]) + "\n"


_KB_ID = ("invalid id {!r} (the file name): use lowercase letters, digits and hyphens, starting "
          "with a letter [kb.id]")
_DEEP = "tags" + "[0]" * 20
_METRIC = "model-index[0].results[0].metrics[0].value"

#: (file, content, expected warning lines after ``<srcdir>/``, built: does its entry build?)
CORPUS: list[tuple[str, str | bytes, list[str], bool]] = [
    ("projects/syntax.yaml", "name: Syntax\n  summary: ok\nareas: [vision]\n", [
        "projects/syntax.yaml:2: WARNING: YAML syntax error: mapping values are not allowed in "
        "this context [kb.yaml]"], False),
    # a real entry cut off mid-line: the error is on its last line, not after it
    ("projects/truncated.yaml", "name: Truncated\nsummary: The first project.\nareas: [vision]\n"
     "tags: [speech, too", [
         "projects/truncated.yaml:4: WARNING: YAML syntax error: while parsing a flow sequence "
         "did not find expected ',' or ']' [kb.yaml]"], False),
    ("projects/tabs.yaml", "name: Tabs\nsummary: ok\nareas:\n\t- vision\n", [
        "projects/tabs.yaml:4: WARNING: YAML syntax error: while scanning for the next token "
        "found character that cannot start any token [kb.yaml]"], False),
    # a byte-order mark and CRLF line ends are valid
    ("projects/bom.yaml", "\ufeffname: Bom\nsummary: With a byte-order mark.\nareas: [vision]\n",
     [], True),
    ("projects/crlf.yaml", "name: Crlf\r\nsummary: With CRLF line ends.\r\nareas: [vision]\r\n"
     "description: |\r\n  Line one.\r\n  Line two.\r\n", [], True),
    ("projects/latin1.yaml", b"name: Latin\nsummary: caf\xe9\nareas: [vision]\n", [
        "projects/latin1.yaml:2: WARNING: not valid UTF-8 text (byte 0xe9); the file is skipped "
        "[kb.encoding]"], False),
    ("projects/blank.yaml", "# only a comment\n\n", [
        "projects/blank.yaml:1: WARNING: the file is empty [kb.yaml]"], False),
    ("projects/toplist.yaml", "- name: a\n- name: b\n", [
        "projects/toplist.yaml:1: WARNING: the file must hold a mapping, not a list [kb.schema]"],
     False),
    # wrong types in optional fields: those fields are dropped, the entry builds
    ("projects/types.yaml", _entry("Types", "year: twenty", "tags: {a: 1}",
                                   "links: https://example.org", "status: done",
                                   "release_date: 2020-02-30x"), [
        "projects/types.yaml:4: WARNING: year: Input should be a valid integer, unable to parse "
        "string as an integer [kb.schema]",
        "projects/types.yaml:5: WARNING: tags: Input should be a valid list [kb.schema]",
        "projects/types.yaml:6: WARNING: links: Input should be a valid dictionary or instance "
        "of Links [kb.schema]",
        "projects/types.yaml:7: WARNING: status: Input should be 'planned', 'active', "
        "'released', 'maintained' or 'archived' [kb.schema]",
        "projects/types.yaml:8: WARNING: release_date: Input should be a valid date or datetime, "
        "day value is outside expected range [kb.schema]"], True),
    # ... and in required ones: the entry does not build
    ("projects/fataltype.yaml", "name: [a, b]\nsummary: ok\nareas: vision\n", [
        "projects/fataltype.yaml:1: WARNING: name: Input should be a valid string [kb.schema]",
        "projects/fataltype.yaml:3: WARNING: areas: Input should be a valid list [kb.schema]"],
     False),
    # a date YAML resolves but cannot build (PyYAML raises ValueError, not a YAML error)
    ("projects/baddate.yaml", _entry("Baddate", "release_date: 2020-13-45"), [
        "projects/baddate.yaml:4: WARNING: release_date: '2020-13-45' is not a valid timestamp "
        "(month must be in 1..12) [kb.yaml]"], False),
    ("projects/huge.yaml", _entry("Huge", "organization: " + "x" * 5000), [
        "projects/huge.yaml:4: WARNING: organization: String should have at most 300 characters "
        "[kb.schema]"], True),
    ("projects/hugefile.yaml", _entry("Hugefile", "description: " + "y" * 1_100_000), [
        "projects/hugefile.yaml:1: WARNING: file is larger than 1000000 bytes [kb.yaml]"], False),
    ("projects/deep.yaml", _entry("Deep", "tags: " + "[" * 30 + "]" * 30), [
        f"projects/deep.yaml:4: WARNING: {_DEEP}: nested too deeply [kb.yaml]"], False),
    # deep enough to overflow the C stack of libyaml's composer (a segfault before the fix)
    ("projects/deeper.yaml", _entry("Deeper", "tags: " + "[" * 100_000 + "]" * 100_000), [
        f"projects/deeper.yaml:4: WARNING: {_DEEP}: nested too deeply [kb.yaml]"], False),
    ("projects/bomb.yaml", _bomb(), [
        "projects/bomb.yaml:2: WARNING: lol1[0]: YAML aliases are not allowed [kb.yaml]"], False),
    ("projects/pytag.yaml", _entry("Pytag").replace(
        "summary: ok", "summary: !!python/object/apply:os.system ['echo pwned']"), [
        "projects/pytag.yaml:2: WARNING: YAML syntax error: could not determine a constructor "
        "for the tag 'tag:yaml.org,2002:python/object/apply:os.system' [kb.yaml]"], False),
    ("projects/dupkey.yaml", _entry("Dupkey", "links:", "  code: https://example.org/a",
                                    "  code: https://example.org/b"), [
        "projects/dupkey.yaml:6: WARNING: links.code: duplicate key (first defined on line 5) "
        "[kb.yaml]"], False),
    # ids: one that clashes with beta.yaml case-insensitively, and names that are no safe ids
    ("projects/Beta.yaml", _entry("Beta again"), [
        "projects/Beta.yaml:1: WARNING: " + _KB_ID.format("Beta")], False),
    ("projects/bad name.yaml", _entry("Bad name"), [
        "projects/bad name.yaml:1: WARNING: " + _KB_ID.format("bad name")], False),
    ("projects/über.yaml", _entry("Uber"), [
        "projects/über.yaml:1: WARNING: " + _KB_ID.format("über")], False),
    ("projects/a.b.yaml", _entry("Dotted"), [
        "projects/a.b.yaml:1: WARNING: " + _KB_ID.format("a.b")], False),
    # images outside the docs folder
    ("projects/escape.yaml", _entry("Escape", "image: ../../conf.py"), [
        "projects/escape.yaml:4: WARNING: image: must not leave the docs folder ('..') "
        "[kb.schema]"], True),
    ("projects/abspath.yaml", _entry("Abspath", "image: /etc/passwd"), [
        "projects/abspath.yaml:4: WARNING: image: must be an http(s) URL or a path relative to the "
        "docs folder [kb.link]"], True),
    # .bib: a malformed entry and a key already defined in refs/lab.bib; the rest still renders
    ("refs/broken.bib", "@misc{broken2020, title = {Broken} year = {2020}}\n"
     "@misc{ada2024vision, title = {Same key}, year = {2020}}\n"
     "@misc{after2020, title = {After the problems}, year = {2020}, keywords = {vision}}\n", [
         "refs/broken.bib:1: WARNING: broken2020: BibTeX syntax error: '}' expected [kb.bib]",
         "refs/broken.bib:2: WARNING: ada2024vision: duplicate BibTeX key (first defined at "
         "{src}/refs/lab.bib:1); this entry is ignored [kb.bib]"], False),
    # a value no drop removes (a list for a number-or-string union): the validator gives up, and
    # says so
    ("models/stuck.yaml", _entry("Stuck", "model-index:", "  - name: m", "    results:",
                                 "      - task: {type: t}", "        dataset: {type: d}",
                                 "        metrics: [{type: acc, value: [1, 2]}]",
                                 "        source: {name: s}"), [
        f"models/stuck.yaml:9: WARNING: {_METRIC}.float: Input should be a valid number "
        "[kb.schema]",
        f"models/stuck.yaml:9: WARNING: {_METRIC}.int: Input should be a valid integer "
        "[kb.schema]",
        f"models/stuck.yaml:9: WARNING: {_METRIC}.constrained-str: Input should be a valid "
        "string [kb.schema]",
        "models/stuck.yaml:9: WARNING: validation gave up after 20 rounds of dropping invalid "
        "values; the entry is not built [kb.schema]"], False),
    # a key no .bib file defines: that one is dropped, the entry builds
    ("projects/nokey.yaml", _entry("Nokey", "papers: [ada2024vision, nosuch2020]"), [
        "projects/nokey.yaml:4: WARNING: papers[1]: unknown BibTeX key 'nosuch2020' (not in any "
        ".bib file) [kb.ref]"], True),
    # YAML outside the entry folders is still read by Sphinx (as a project)
    ("hosts/stray.yaml", "name: Stray\n", [
        "hosts/stray.yaml:1: WARNING: YAML entries belong in one of: projects/, models/, sources/ [kb.id]",
        "hosts/stray.yaml:1: WARNING: summary: required field is missing [kb.schema]",
        "hosts/stray.yaml:1: WARNING: areas: required field is missing [kb.schema]",
        "hosts/stray.yaml: WARNING: document isn't included in any toctree [toc.not_included]"],
     False),
    # configured in bibtex_bibfiles but absent
    ("refs/missing.bib", None, [
        "refs/missing.bib:1: WARNING: bib file not found [kb.bib]",
        "WARNING: could not open bibtex file {src}/refs/missing.bib. [bibtex.bibfile_error]"],
     False),
]

#: Entries of the root that must still build, with their cards.
GOOD = ["alpha", "beta", "visionmodel"]
#: ``bibtex_bibfiles`` of the corpus build (the root's conf.py has the first two).
CORPUS_BIBFILES = ["refs/lab.bib", "refs/more.bib", "refs/broken.bib", "refs/missing.bib"]


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    """One build with every broken file added (the warnings, the output directory)."""
    from sphinx.testing.util import SphinxTestApp

    root = Path(__file__).parent / "roots"
    src = copy_root(root, "kb-hostile", tmp_path_factory.mktemp("corpus"))
    for name, content, _, _ in CORPUS:
        if content is None:
            continue
        path = src / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf8", newline="")
    app = SphinxTestApp("html", srcdir=src, freshenv=True,
                        confoverrides={"bibtex_bibfiles": CORPUS_BIBFILES,
                                       "html_search_language": "en"})
    try:
        app.build()
        text = app.status.getvalue() + app.warning.getvalue()
        return src, app.outdir, warnings(app), text
    finally:
        app.cleanup()


@pytest.mark.parametrize("name", [row[0] for row in CORPUS])
def test_each_broken_file_gives_exactly_its_located_warnings(corpus_build, name):
    src, _, found, _ = corpus_build
    expected = next(row[2] for row in CORPUS if row[0] == name)
    prefix = f"{src}/"
    mine = sorted(w.removeprefix(prefix) for w in found
                  if w.startswith(prefix + name + ":") or f"{prefix}{name}." in w)
    assert mine == sorted(e.replace("{src}", str(src)) for e in expected)


def test_no_other_warning_and_no_traceback(corpus_build):
    src, _, found, text = corpus_build
    expected = sorted(e.replace("{src}", str(src)) for row in CORPUS for e in row[2])
    assert sorted(w.removeprefix(f"{src}/") for w in found) == expected
    assert "Traceback" not in text and "Exception" not in text


def test_everything_else_still_builds(corpus_build):
    _src, out, _, _ = corpus_build
    built = {Path(n).stem for n, _, _, ok in CORPUS if ok}
    home = html(out, "index.html")
    cards = {c["data-kb-id"] for c in home.select(".kb-grid .kb-card-col")}
    assert cards == {*GOOD, *built}
    for entry_id in [*GOOD, *built]:
        folder = "models" if entry_id == "visionmodel" else "projects"
        page = html(out, f"{folder}/{entry_id}.html")
        assert page.select_one("section.kb-entry") is not None, entry_id
    # each entry that cannot build gets a page saying so (the undecodable one is skipped)
    for name, _, _, ok in CORPUS:
        if name.endswith(".yaml") and not ok and "latin1" not in name:
            page = out / name.replace(".yaml", ".html")
            assert "could not be built" in page.read_text(encoding="utf8"), name
    # the dropped fields are gone, the rest of those entries is there
    assert html(out, "projects/types.html").select_one(".kb-summary").get_text() == "ok"
    assert html(out, "projects/escape.html").select_one("img.kb-image") is None
    # BOM and CRLF entries read exactly as their LF twins would
    crlf = html(out, "projects/crlf.html").select_one(".kb-description").get_text()
    assert "Line one.\nLine two." in crlf and "\r" not in crlf
    assert html(out, "projects/bom.html").select_one("h1").get_text(strip=True).startswith("Bom")
    # every other .bib record renders, including the one after the problems
    pubs = html(out, "publications.html")
    keys = [p["data-kb-key"] for p in pubs.select(".kb-pub")]
    assert {"ada2024vision", "ada2023cv", "babbage2022engine", "after2020"} <= set(keys)
    assert "Same key" not in pubs.get_text()
    for page in ("index.html", "publications.html", "references.html", "research/vision.html",
                 "research/language.html", "people/ada.html", "hosts/rst.html",
                 "projects/index.html", "models/index.html"):
        assert (out / page).exists(), page


def kb_problems_of_build(src: Path, found: list[str]) -> set[tuple[str, int, str]]:
    """(file, line, subtype) of the build's ``kb.*`` warnings about entry and .bib files, but
    those of parsing a description as MyST (raw HTML, unsafe links, directives): only Sphinx
    can know them."""
    out = set()
    for warning in found:
        match = re.match(rf"{re.escape(str(src))}/(.+?):(\d+): (?:WARNING|ERROR): (.*) "
                         r"\[kb\.(\w+)\]$", warning)
        if not match or not match.group(1).endswith((".yaml", ".bib")):
            continue
        if match.group(4) == "directive" or (match.group(3).startswith("description: ")
                                             and match.group(4) in ("markup", "link")):
            continue
        out.add((match.group(1), int(match.group(2)), match.group(4)))
    return out


def kb_problems_of_check(src: Path, bibfiles: list[str], capsys) -> set[tuple[str, int, str]]:
    """(file, line, subtype) of ``labkb check`` on the same tree, given the build's .bib files in
    its order (the CLI cannot read conf.py: the first definition of a key depends on it)."""
    from labkb.cli.commands import main

    capsys.readouterr()
    main(["check", "--docs", str(src), str(src), *(str(src / b) for b in bibfiles)])
    out = set()
    for line in capsys.readouterr().err.splitlines():
        match = re.match(rf"{re.escape(str(src))}/(.+?):(\d+): .* \[kb\.(\w+)\]$", line)
        if match:
            out.add((match.group(1), int(match.group(2)), match.group(3)))
    return out


def test_check_reports_what_the_build_reports_on_the_corpus(corpus_build, capsys):
    src, _, found, _ = corpus_build
    build = kb_problems_of_build(src, found)
    check = kb_problems_of_check(src, CORPUS_BIBFILES, capsys)
    SUMMARY.add(f"bad-input corpus: build {len(build)} located kb problems, labkb check "
                f"{len(check)}, in both {len(build & check)}")
    assert ("projects/nokey.yaml", 4, "ref") in build
    assert check == build


def test_alias_bomb_is_refused_before_composing_in_bounded_memory(monkeypatch):
    """A billion-laughs document is refused from the event stream: the composer never runs, and
    memory stays < 50 MB (expanding it would take 9**9 strings). Speed is the benchmark's job."""
    from labkb.core import loader

    composed: list[int] = []
    real = loader._Loader.get_single_node

    def counting(self):  # type: ignore[no-untyped-def]
        composed.append(1)
        return real(self)

    monkeypatch.setattr(loader._Loader, "get_single_node", counting)
    text = _bomb(9)
    tracemalloc.start()
    try:
        loaded = load_yaml(text, "bomb.yaml")
        result = validate(loaded, "bomb.yaml", "bomb", "project")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [str(p) for p in result.problems] == ["bomb.yaml:2: lol1[0]: YAML aliases are not allowed"]
    assert result.data is None
    assert composed == []
    assert peak < 50 * 2**20, peak


# -- hostile input: payloads in every field -----------------------------------------------------------

def _push(tag: str) -> str:
    return f"window.__kbPwned.push('{tag}')"


#: Each payload, if it ever ran, would call ``window.__kbPwned.push(<its name>)`` (or alert).
PAYLOADS: dict[str, str] = {
    "script": f"<script>{_push('script')}</script>",
    "img-onerror": f"<img src=x onerror=\"{_push('img-onerror')}\">",
    "break-dq": f"\"><img src=x onerror={_push('break-dq')}>",
    "break-sq": f"'><svg onload={_push('break-sq')}>",
    "break-tag": f"</p></div></script><script>{_push('break-tag')}</script>",
    "javascript-url": f"javascript:{_push('javascript-url')}",
    "javascript-obfuscated": f"  JaVa\tScRiPt:{_push('javascript-obfuscated')}",
    "data-url": f"data:text/html,<script>{_push('data-url')}</script>",
    "vbscript-url": "vbscript:msgbox(\"vbscript-url\")",
    "html-link": f"<a href=\"javascript:{_push('html-link')}\">click</a>",
    "iframe": "<iframe srcdoc=\"<script>parent.__kbPwned.push('iframe')</script>\"></iframe>",
    "style": f"<style>body{{background:url('javascript:{_push('style')}')}}</style>",
    "alert": "<img src=x onerror=alert('alert')><script>alert('alert')</script>",
    "myst-raw-directive": f"```{{raw}} html\n<script>{_push('myst-raw-directive')}</script>\n```",
    "myst-raw-role": f"{{raw}}`html <img src=x onerror={_push('myst-raw-role')}>`",
    "rst-raw": f".. raw:: html\n\n   <script>{_push('rst-raw')}</script>",
    "myst-link": f"[click](javascript:{_push('myst-link')})",
    "myst-attrs": f"[click](https://example.org/a){{onclick=\"{_push('myst-attrs')}\"}}",
    "myst-button": f"```{{button-link}} javascript:{_push('myst-button')}\nclick\n```",
    "myst-eval-rst": (f"```{{eval-rst}}\n`click <javascript:{_push('myst-eval-rst')}>`_\n\n"
                      ".. image:: https://example.org/x.png\n"
                      f"   :target: javascript:{_push('myst-eval-rst')}\n```"),
    "rst-meta": ("```{eval-rst}\n.. meta::\n   :http-equiv=refresh: "
                 f"0;url=javascript:{_push('rst-meta')}\n```"),
    "jinja": f"{{{{ '<img src=x onerror=\"{_push('jinja')}\">' }}}} {{{{ 7*191 }}}} "
             "{{ env.srcdir }}",
    "entry-page": "```{kb-entry-page}\n```",
}

#: More values for the link fields: http(s) look-alikes (only the last one is a valid URL).
URL_PAYLOADS: dict[str, str] = {
    "https-quote": f"https://example.org/\"onmouseover=\"{_push('https-quote')}",
    "https-space": f"https://example.org/ onmouseover={_push('https-space')}",
    "protocol-relative": "//example.org/protocol-relative",
    "https-inert": "https://example.org/?next=javascript:window.__kbPwned.push(1)",
}
ACCEPTED_URLS = {"https-inert"}
LINK_KEYS = ["code", "paper", "arxiv", "pdf", "homepage", "demo", "docs", "huggingface",
             "modelscope", "blog", "video"]
BIB_TEXT_FIELDS = ["title", "abstract", "journal", "note", "abbr", "award", "award_name"]
BIB_LINK_FIELDS = ["arxiv", "html", "pdf", "supp", "video", "blog", "code", "poster", "slides",
                   "website", "url", "doi"]


def _strings(value) -> int:
    """How many string slots a value has (the fields a payload went into)."""
    if isinstance(value, str):
        return 1
    if isinstance(value, list):
        return sum(_strings(v) for v in value)
    if isinstance(value, dict):
        return sum(_strings(v) for v in value.values())
    return 0


def text_entry(kind: str, payload: str, related: str) -> dict:
    """An entry with ``payload`` in every plain-text string field of ``kind``, and in
    ``description`` (MyST), which comes last."""
    data: dict = {"name": payload, "name_zh": payload, "summary": payload, "areas": ["vision"],
                  "tags": [payload, "hostile"], "status": "active", "year": 2024,
                  "venue": payload, "people": ["ada"], "organization": payload,
                  "links": {"code": "https://example.org/code"}, "related": [related]}
    if kind == "model":
        def item() -> dict:  # a new dict each time: shared ones would be dumped as YAML aliases
            return {"name": payload, "description": payload}

        data.update({
            "modalities": [payload], "parameters": payload,
            "variants": [{"name": payload, "parameters": payload,
                          "link": "https://example.org/variant"}],
            "architecture": [item()], "training_procedure": [item()], "training_data": payload,
            "intended_uses": [payload], "out_of_scope_uses": [payload], "capabilities": [item()],
            "applications": [item()], "significance": [item()], "limitations": [item()],
            "outlook": [item()], "license": payload, "pipeline_tag": payload,
            "library_name": payload, "datasets": [payload], "base_model": [payload],
            "model-index": [{"name": payload, "results": [{
                "task": {"type": payload, "name": payload},
                "dataset": {"type": payload, "name": payload, "config": payload,
                            "split": payload, "revision": payload},
                "metrics": [{"type": payload, "value": payload, "name": payload,
                             "config": payload}],
                "source": {"name": payload, "url": "https://example.org/source"}}]}],
        })
    data["description"] = payload
    return data


def link_entry(kind: str, payload: str) -> tuple[dict, list[str]]:
    """An entry with ``payload`` in every link field and every constrained string field (ids,
    keys, codes); returns it and the fields that hold the payload."""
    data: dict = {"name": "Links", "summary": "Link fields.", "areas": ["vision"],
                  "links": dict.fromkeys(LINK_KEYS, payload), "image": payload,
                  "github": payload, "status": payload, "people": [payload],
                  "related": [payload], "papers": [payload]}
    fields = [*(f"links.{k}" for k in LINK_KEYS), "image", "github", "status", "people[0]",
              "related[0]", "papers[0]"]
    if kind == "model":
        data.update({"variants": [{"name": "v", "link": payload}], "language": [payload],
                     "model-index": [{"name": "m", "results": [{
                         "task": {"type": "t"}, "dataset": {"type": "d"},
                         "metrics": [{"type": "m", "value": 1}],
                         "source": {"name": "s", "url": payload}}]}]})
        fields += ["variants[0].link", "language[0]", "model-index[0].results[0].source.url"]
    return data, fields


def bib_records(key: str, payload: str) -> str:
    """Two records with ``payload`` in every field shown on pages (``@article`` with a journal,
    ``@inproceedings`` with a booktitle)."""
    def value(v: str) -> str:
        return "{" + v.replace("\n", " ") + "}"

    fields = {name: payload for name in BIB_TEXT_FIELDS}
    fields.update({"author": f"{payload} and Ada Lovelace", "keywords": f"vision, {payload}",
                   "year": "2024", "selected": "true"})
    fields.update({name: payload for name in BIB_LINK_FIELDS})
    article = ",\n".join(f"  {k} = {value(v)}" for k, v in fields.items())
    return (f"@article{{{key},\n{article}\n}}\n\n"
            f"@inproceedings{{{key}b,\n  title = {value(payload)},\n  author = {value(payload)},\n"
            f"  booktitle = {value(payload)},\n  year = {{2023}},\n  keywords = {{vision}}\n}}\n\n")


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@dataclass
class HostileSite:
    src: Path
    out: Path
    warnings: list[str]
    log: str
    #: file -> the fields holding a payload (entry files), for the expected warnings
    link_fields: dict[str, list[str]]
    description_lines: dict[str, int]
    slots: int  #: payload x field combinations written
    payload_files: list[str]


_BUILT: dict[str, HostileSite] = {}


def build_hostile(tmp_path_factory) -> HostileSite:
    """The hostile site, built once per session (shared with tests/browser/test_injection.py)."""
    if "site" in _BUILT:
        return _BUILT["site"]
    from sphinx.testing.util import SphinxTestApp

    root = Path(__file__).parent / "roots"
    src = copy_root(root, "kb-hostile", tmp_path_factory.mktemp("hostile"))
    slots = 0
    link_fields: dict[str, list[str]] = {}
    description_lines: dict[str, int] = {}
    files: list[str] = []
    roles: list[str] = []
    bib = ""
    everything = {**PAYLOADS, **URL_PAYLOADS}
    for i, (label, payload) in enumerate(everything.items()):
        key = f"hostile{i:02d}"
        if label in PAYLOADS:
            for kind, folder in (("project", "projects"), ("model", "models")):
                name = f"{folder}/h{kind[0]}{i:02d}.yaml"
                data = text_entry(kind, payload, "alpha" if kind == "project" else f"hp{i:02d}")
                if kind == "project":
                    data["papers"] = [key] if _balanced(payload) else []
                text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
                (src / name).write_text(text, encoding="utf8")
                description_lines[name] = load_yaml(text, name).lines[("description",)]
                slots += _strings({k: v for k, v in data.items()
                                   if k not in ("areas", "people", "related", "papers",
                                                "links", "status")})
                files.append(name)
                roles.append(f"{{entry}}`h{kind[0]}{i:02d}`")
            if _balanced(payload):
                bib += bib_records(key, payload)
                slots += len(BIB_TEXT_FIELDS) + len(BIB_LINK_FIELDS) + 2 + 2  # + author, keywords
        for kind, folder in (("project", "projects"), ("model", "models")):
            name = f"{folder}/l{kind[0]}{i:02d}.yaml"
            data, fields = link_entry(kind, payload)
            (src / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                    encoding="utf8")
            link_fields[name] = fields
            slots += len(fields)
            files.append(name)
    (src / "refs" / "more.bib").write_text(
        (src / "refs" / "more.bib").read_text(encoding="utf8") + "\n" + bib, encoding="utf8")
    (src / "hosts" / "links.md").write_text(
        "---\norphan: true\n---\n# Links to every hostile entry\n\n" + ", ".join(roles) + "\n",
        encoding="utf8")
    # English search: Chinese search only adds jieba's dictionary load (seconds) to this build
    app = SphinxTestApp("html", srcdir=src, freshenv=True,
                        confoverrides={"html_search_language": "en"})
    try:
        app.build()
        site = HostileSite(src, Path(app.outdir), warnings(app),
                           app.status.getvalue() + app.warning.getvalue(), link_fields,
                           description_lines, slots, files)
    finally:
        app.cleanup()
    _BUILT["site"] = site
    return site


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> HostileSite:
    return build_hostile(tmp_path_factory)


SUMMARY = TerminalSection("hostile input")


@pytest.fixture(scope="module", autouse=True)
def _summary(request):
    SUMMARY.register(request.config)


# the attributes that hold URLs (HTML, SVG); every one must be http(s), relative or a fragment
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href",
                  "background", "cite", "srcset", "ping", "manifest"}
#: Elements no payload may smuggle in (the site writes none of them).
FORBIDDEN_ELEMENTS = ["iframe", "frame", "object", "embed", "base", "svg", "style", "math",
                      "template", "portal"]


def safe_url(value: str) -> bool:
    """http(s), relative, or a fragment (browsers ignore spaces and controls in a scheme)."""
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", re.sub(r"[\x00-\x20\x7f]+", "", value))
    return match is None or match.group(1).lower() in ("http", "https")


#: The inline scripts the theme writes (alabaster's search box).
THEME_SCRIPTS = {"document.getElementById('searchbox').style.display = \"block\""}


def check_page(page: Path, *, svg_allowed: bool = False) -> list[str]:
    """What in one built page could run or navigate somewhere unsafe: [] when nothing."""
    raw = page.read_text(encoding="utf8")
    soup = BeautifulSoup(raw, "html.parser")
    found: list[str] = []
    for script in soup.find_all("script"):
        if script.get("src"):
            if not re.match(r"^(\.\./)*(_static/[\w./-]+|searchindex\.js)(\?v=[0-9a-f]+)?$",
                            script["src"]):
                found.append(f"script from {script['src']!r}")
        elif script.get("type") == "application/ld+json":
            if "<" in script.get_text():
                found.append("markup in JSON-LD")
        elif script.get_text().strip() not in THEME_SCRIPTS:
            found.append(f"inline script {str(script)[:120]!r}")
    if raw.count("<script") != len(soup.find_all("script")):
        found.append("unparsed <script")
    for element in soup.find_all(True):
        # the site's own charts: an <svg class="kb-chart"> with matplotlib's <style> inside
        chart = (element.name == "svg" and "kb-chart" in element.get("class", [])) or \
            element.find_parent("svg", class_="kb-chart") is not None
        if element.name in FORBIDDEN_ELEMENTS and not (svg_allowed and element.name == "svg") \
                and not chart:
            found.append(f"<{element.name}> element")
        if element.name == "meta" and element.get("http-equiv", "").lower() == "refresh":
            found.append(f"meta refresh {element.get('content')!r}")
        for name, value in element.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower().startswith("on"):
                found.append(f"<{element.name} {name}=...> event handler")
            elif name.lower() in URL_ATTRIBUTES and not all(safe_url(v) for v in values):
                found.append(f"<{element.name} {name}={value!r}>")
    return found


def test_the_page_check_finds_what_would_run(tmp_path):
    page = tmp_path / "p.html"
    for bad in ("<script>x()</script>", '<img src=x onerror="x()">', '<a href="javascript:x()">',
                '<a href=" JaVa\tScript:x()">', '<a href="data:text/html,x">', "<svg onload=x()>",
                '<meta http-equiv="refresh" content="0;url=javascript:x()">',
                '<iframe srcdoc="x"></iframe>', '<a href="vbscript:x">'):
        page.write_text(f"<p>ok</p>{bad}", encoding="utf8")
        assert check_page(page), bad
    page.write_text('<a href="https://x/?javascript:y">a</a><a href="../a.html#b">b</a>'
                    '<a href="#c">c</a><img src="_images/x.png">', encoding="utf8")
    assert check_page(page) == []


def test_hostile_build_warns_only_where_expected(hostile):
    """Plain-text fields never warn; the MyST description may (raw HTML, unsafe links ...); each
    link and constrained field with a payload warns once, unless it holds a valid URL."""
    prefix = f"{hostile.src}/"
    assert "Traceback" not in hostile.log
    unexpected, bib_urls = [], []
    per_file: dict[str, list[str]] = {}
    for warning in hostile.warnings:
        match = re.match(rf"{re.escape(prefix)}((?:projects|models)/[hl][pm]\d\d\.yaml):(\d+): "
                         r"(?:WARNING|ERROR): (.*)", warning)
        if not match:
            bib = re.match(rf"{re.escape(prefix)}refs/more\.bib:\d+: WARNING: (hostile\d\d): url: "
                           r".* is not an http\(s\) link and is not linked \[kb\.link\]$", warning)
            if bib:
                bib_urls.append(bib.group(1))
            else:
                unexpected.append(warning)
            continue
        name, line, text = match.group(1), int(match.group(2)), match.group(3)
        if name in hostile.description_lines:
            if line < hostile.description_lines[name]:
                unexpected.append(warning)
        else:
            per_file.setdefault(name, []).append(text)
    assert unexpected == []
    # a .bib url that is no http(s) link is reported (sphinxcontrib-bibtex would link it)
    assert bib_urls == [f"hostile{i:02d}" for i, p in enumerate(PAYLOADS.values())
                        if _balanced(p) and not safe_url(p.strip())]
    for name, fields in hostile.link_fields.items():
        texts = per_file.get(name, [])
        warned = {t.split(":", 1)[0] for t in texts}
        assert all(t.endswith(("[kb.link]", "[kb.schema]", "[kb.ref]")) for t in texts), texts
        label = list({**PAYLOADS, **URL_PAYLOADS})[int(name[-7:-5])]
        if label in ACCEPTED_URLS:  # a valid URL: only the id-like fields refuse it
            assert not warned & {f for f in fields if "link" in f or f.endswith(".url")}, texts
        else:
            assert warned == set(fields), (name, sorted(set(fields) - warned), texts)


def test_check_reports_what_the_build_reports_on_the_hostile_site(hostile, capsys):
    build = kb_problems_of_build(hostile.src, hostile.warnings)
    check = kb_problems_of_check(hostile.src, ["refs/lab.bib", "refs/more.bib"], capsys)
    SUMMARY.add(f"hostile site: build {len(build)} located kb problems, labkb check "
                f"{len(check)}, in both {len(build & check)}")
    assert check == build


def test_no_payload_runs_or_links_anywhere(hostile):
    """Every page: no script, handler, frame or meta refresh from data, and every href/src is
    http(s), relative or a fragment."""
    pages = site_pages(hostile.out)
    problems = {str(p.relative_to(hostile.out)): found for p in pages
                if (found := check_page(p))}
    SUMMARY.add(f"payloads: {len(PAYLOADS)} text + {len(URL_PAYLOADS)} URL; payload x field "
                f"combinations written: {hostile.slots}; built pages checked: {len(pages)}, "
                f"with a problem: {len(problems)}")
    assert problems == {}
    assert len(pages) > 100


#: Sphinx's smart quotes (on every text node, site-wide): undone to compare with the data.
SMART = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def _plain(text: str) -> str:
    return text.translate(SMART).replace("–", "--").replace("—", "---").replace("…", "...")


def test_payloads_are_shown_as_text(hostile):
    """What a plain-text field holds is what the reader sees (up to Sphinx's smart quotes)."""
    for i, (label, payload) in enumerate(PAYLOADS.items()):
        for kind, folder in (("p", "projects"), ("m", "models")):
            soup = html(hostile.out, f"{folder}/h{kind}{i:02d}.html")
            expected = payload.strip()
            assert _plain(soup.select_one("h1").get_text().removesuffix("¶")) == expected
            assert _plain(soup.select_one(".kb-summary").get_text()) == expected, label
            tags = [_plain(t.get_text()) for t in soup.select(".kb-badges .kb-tag")]
            assert expected in tags, label
            if kind == "m":
                facts = _plain(soup.select_one("#model-card-metadata").get_text())
                assert facts.count(expected) >= 3, label  # license, pipeline tag, library ...
                evaluation = _plain(soup.select_one("#evaluation").get_text())
                assert evaluation.count(expected) >= 5, label
        # descriptions: substitutions are not evaluated; no directive reaches the page
        if label == "jinja":
            page = (hostile.out / f"projects/hp{i:02d}.html").read_text(encoding="utf8")
            assert "1337" not in page and str(hostile.src) not in page
            assert "{{ 7*191 }}" in page


def test_bib_payloads_are_shown_as_text(hostile):
    soup = html(hostile.out, "publications.html")
    shown = 0
    for i, (label, payload) in enumerate(PAYLOADS.items()):
        if not _balanced(payload):
            continue
        pub = soup.select_one(f'.kb-pub[data-kb-key="hostile{i:02d}"]')
        assert pub is not None, label
        title = pub.select_one(".kb-pub-title strong")
        assert title.get_text().strip() and not title.find(True), (label, title)  # text only
        # only http(s) buttons; the payload URLs are dropped or made inert (doi.org/arxiv.org)
        for a in pub.select(".kb-links a"):
            assert a["href"].startswith(("https://doi.org/", "https://arxiv.org/abs/")), a
        shown += 1
    assert shown >= len(PAYLOADS) - 3


#: The hostile area title (research/hostile.md) as the chart shows it: cut to 64 characters.
CHART_LABEL = "$\\notamacro{y}$ & “dq” ‘sq’ <script>alert(1)</script> $x^2$ a v"


def test_charts_show_hostile_labels_as_text(hostile):
    """kb-overview labels its bars with area titles and kb-publications :stats: draws a chart:
    ``$...$`` is text, not mathtext (``\\notamacro`` would stop the build), and markup in a label
    is escaped inside the SVG."""
    for page, charts in (("overview.html", 2), ("publications.html", 1)):
        raw = (hostile.out / page).read_text(encoding="utf8")
        soup = BeautifulSoup(raw, "html.parser")
        svgs = soup.select("figure.kb-chart-figure svg.kb-chart")
        assert len(svgs) == charts, page
        for svg in svgs:
            assert not svg.find(["script", "foreignobject", "a", "iframe"]), page
        assert check_page(hostile.out / page) == [], page
    overview = (hostile.out / "overview.html").read_text(encoding="utf8")
    texts = [t.get_text() for t in BeautifulSoup(overview, "html.parser").select("svg text")]
    assert CHART_LABEL + "…" in texts
    assert "$\\notamacro{y}$ &amp; “dq” ‘sq’ &lt;script&gt;alert(1)&lt;/script&gt; $x^2$" in overview
    pubs = html(hostile.out, "publications.html")
    title = pubs.select_one(".kb-pubs-title")
    assert "<script>" in title.get_text() and "$x^2$" in title.get_text() and not title.find(True)
    assert pubs.select_one(".kb-stats") is not None
