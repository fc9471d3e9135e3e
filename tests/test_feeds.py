"""News, releases and their Atom feeds; llms.txt and the Markdown files (the test-kb-news root)."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from conftest import copy_root
from helpers import build, html, touch, warnings

ATOM = "{http://www.w3.org/2005/Atom}"
TAG = "tag:kb.example.org,2026:"
#: What the root dates, newest first: (tag id, updated).
TIMELINE = [
    ("news/2025-02-01-beta-talk", "2025-02-01T00:00:00Z"),
    ("news/2025-01-10-alpha-launch", "2025-01-10T00:00:00Z"),
    ("release/alpha", "2024-05-01T00:00:00Z"),
    ("release/vm/smith2023vm", "2023-03-15T00:00:00Z"),
    ("release/beta/year", "2019-01-01T00:00:00Z"),
]
FEEDS = {
    "site": [k for k, _ in TIMELINE],
    "kind/news": ["news/2025-02-01-beta-talk", "news/2025-01-10-alpha-launch"],
    "kind/project": ["release/alpha", "release/beta/year"],
    "kind/model": ["release/vm/smith2023vm"],
    "area/vision": ["news/2025-01-10-alpha-launch", "release/alpha", "release/vm/smith2023vm"],
    "area/language": ["news/2025-02-01-beta-talk", "release/beta/year"],
    "person/ada": ["news/2025-01-10-alpha-launch", "release/alpha"],
    "person/bob": ["news/2025-01-10-alpha-launch", "release/vm/smith2023vm"],
}
#: The page each feed belongs to.
PAGES = {"site": "index", "kind/news": "news/index", "kind/project": "projects/index",
         "kind/model": "models/index", "area/vision": "research/vision",
         "area/language": "research/language", "person/ada": "people/ada",
         "person/bob": "people/bob"}


@pytest.fixture(scope="module")
def built(rootdir, tmp_path_factory):
    """The root built once from clean, with -W -n."""
    src = copy_root(rootdir, "kb-news", tmp_path_factory.mktemp("news"))
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-n", "-E", "-q", "-b", "html",
                           str(src), str(src / "_build")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return src / "_build"


def feed_files(out: Path) -> dict[str, Path]:
    return {str(p.relative_to(out / "feeds").with_suffix("").as_posix()): p
            for p in sorted((out / "feeds").rglob("*.xml"))}


def check_rfc4287(path: Path) -> list[str]:
    """The elements RFC 4287 requires (4.1.1, 4.1.2): feed id, title, updated, an author in the
    feed or in every entry; entry id, title, updated; ids are absolute IRIs. Returns the entry ids."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
        assert root.find(f"{ATOM}{name}").text.strip(), name
    feed_author = root.find(f"{ATOM}author/{ATOM}name")
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert feed_author is not None or entry.find(f"{ATOM}author/{ATOM}name") is not None
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        ids.append(entry.find(f"{ATOM}id").text)
    assert ids, "a feed without entries has no date to be updated at"
    updated = [e.find(f"{ATOM}updated").text for e in root.findall(f"{ATOM}entry")]
    assert root.find(f"{ATOM}updated").text == max(updated)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", u) for u in updated)
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    return ids


def test_every_feed_is_valid_atom(built):
    files = feed_files(built)
    assert set(files) == set(FEEDS)
    for key, path in files.items():
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, (key, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert parsed.feed.id == f"{TAG}feed/{key}"
        ids = check_rfc4287(path)
        assert ids == [TAG + k for k in FEEDS[key]], key
        assert [e.id for e in parsed.entries] == ids


def test_updated_comes_from_the_data(built):
    root = ET.parse(built / "feeds/site.xml").getroot()
    got = [(e.find(f"{ATOM}id").text.removeprefix(TAG), e.find(f"{ATOM}updated").text)
           for e in root.findall(f"{ATOM}entry")]
    assert got == TIMELINE
    year_only = next(e for e in root.findall(f"{ATOM}entry")
                     if e.find(f"{ATOM}id").text.endswith("beta/year"))
    assert "first day of that year" in year_only.find(f"{ATOM}summary").text
    text = (built / "feeds/site.xml").read_text(encoding="utf8")
    assert "gamma" not in text  # a derived year dates nothing
    assert "jones2022undated" not in text  # a paper with a year only dates nothing either
    # escaped, never raw markup
    assert "A talk on Beta &lt;&amp;&gt; \"quotes\"" in text
    parsed = feedparser.parse(text)
    assert parsed.entries[0].title == 'A talk on Beta <&> "quotes"'
    assert parsed.entries[0].link == "https://kb.example.org/news/2025-02-01-beta-talk.html"
    assert parsed.feed.author == "Test authors"


def test_pages_link_their_feeds(built):
    for key, page in PAGES.items():
        soup = html(built, f"{page}.html")
        links = soup.select('link[rel="alternate"][type="application/atom+xml"]')
        assert len(links) == 1, page
        target = (built / page).parent / links[0]["href"]
        assert target.resolve() == (built / "feeds" / f"{key}.xml").resolve(), page
        assert links[0]["title"].startswith("Test KB")
    for page in ("people/carol", "projects/alpha", "news/2025-01-10-alpha-launch"):
        assert not html(built, f"{page}.html").select('link[type="application/atom+xml"]')


def _items(soup, scope="ul.kb-news"):
    return [li.select_one("strong").get_text(strip=True) for li in soup.select(f"{scope} li")]


def test_home_news_index_and_entry_pages_list_news_and_releases(built):
    home = html(built, "index.html")
    assert _items(home) == ['A talk on Beta <&> "quotes"', "Alpha launched"]
    assert home.select_one(".kb-feed-link a")["href"] == "feeds/site.xml"
    assert _items(html(built, "news/index.html")) == ['A talk on Beta <&> "quotes"',
                                                      "Alpha launched"]
    alpha = html(built, "projects/alpha.html")
    assert _items(alpha, "#news-and-releases") == ["Alpha launched", "Alpha released"]
    assert alpha.select_one("#news-and-releases li a")["href"] == \
        "../news/2025-01-10-alpha-launch.html"
    beta = html(built, "projects/beta.html")
    assert "2019 (year only)" in beta.select_one("#news-and-releases").get_text()
    assert html(built, "projects/gamma.html").select_one("#news-and-releases") is None
    item = html(built, "news/2025-01-10-alpha-launch.html")
    facts = item.select_one(".kb-facts").get_text(" ", strip=True)
    assert "2025-01-10" in facts and "Alpha" in facts and "Bob" in facts
    assert item.select_one("#sources") is not None


def _outputs(out: Path) -> dict[str, bytes]:
    files = [*out.rglob("*.xml"), out / "llms.txt", *out.rglob("*.md")]
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(files)
            if not p.relative_to(out).parts[0].startswith("_")}


def test_two_clean_builds_serial_and_parallel_give_identical_bytes(make_app, rootdir, tmp_path):
    outputs = []
    for run in ("one", "two"):
        src = copy_root(rootdir, "kb-news", tmp_path / run)
        for path in src.rglob("*"):  # a later checkout: other mtimes
            touch(path) if path.is_file() and run == "two" else None
        # the second build reads and writes in parallel: the same bytes
        app, _rec = build(make_app, src, freshenv=True, parallel=2 if run == "two" else 0)
        assert warnings(app) == []
        outputs.append(_outputs(Path(app.outdir)))
    assert outputs[0].keys() == outputs[1].keys()
    assert {k for k in outputs[0] if k.startswith("feeds/")} == {f"feeds/{k}.xml" for k in FEEDS}
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name


def test_llms_txt_and_markdown_come_from_the_data(built):
    text = (built / "llms.txt").read_text(encoding="utf8")
    lines = text.splitlines()
    assert lines[0] == "# Test KB documentation"
    assert lines[2] == "> A small knowledge base for the tests."
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == ["## Projects", "## Models", "## People", "## News", "## Sources",
                        "## Optional"]
    links = re.findall(r"^- \[([^\]]+)\]\((\S+)\)", text, flags=re.M)
    assert ("Alpha", "https://kb.example.org/projects/alpha.md") in links
    assert ("Bob", "https://kb.example.org/people/bob.md") in links
    for _name, url in links:
        assert (built / url.removeprefix("https://kb.example.org/")).is_file(), url
    alpha = (built / "projects/alpha.md").read_text(encoding="utf8")
    assert alpha.startswith("# Alpha\n\n> The first project.\n")
    assert "- Release date: 2024-05-01" in alpha
    assert "- 2025-01-10, news: Alpha launched" in alpha
    assert "- A Lab's Home Page" in alpha
    gamma = (built / "projects/gamma.md").read_text(encoding="utf8")
    assert "- Year: arXiv 2020" in gamma and "- year: from the arXiv id 2001.00001" in gamma
    bob = (built / "people/bob.md").read_text(encoding="utf8")
    assert "[VM](https://kb.example.org/models/vm.md)" in bob
    assert "- 2025-01-10, news: Alpha launched" in bob
    assert "## Papers\n\n- VM: A Model (`smith2023vm`)" in bob
    talk = (built / "news/2025-02-01-beta-talk.md").read_text(encoding="utf8")
    assert talk.startswith('# A talk on Beta \\<&\\> "quotes"\n')  # Markdown markup escaped
    assert "- A Lab's Home Page (News section)" in talk


def test_editing_a_news_item_rewrites_exactly_the_pages_showing_it(make_app, rootdir, tmp_path):
    src = copy_root(rootdir, "kb-news", tmp_path)
    build(make_app, src, freshenv=True)
    feeds = {k: p.read_bytes() for k, p in feed_files(src / "_build" / "html").items()}
    assert set(feeds) == set(FEEDS)
    app, rec = build(make_app, src)  # a no-op build reads and writes nothing, feeds unchanged
    assert rec.read == set() and rec.written == set()
    assert {k: p.read_bytes() for k, p in feed_files(Path(app.outdir)).items()} == feeds
    item = src / "news/2025-01-10-alpha-launch.yaml"
    touch(item, item.read_text(encoding="utf8").replace("Alpha launched", "Alpha is out"))
    app, rec = build(make_app, src)
    assert warnings(app) == []
    assert rec.read == {"news/2025-01-10-alpha-launch"}
    # home (among its 2 newest), the news index, the entry it is about (and Sphinx rewrites
    # the page whose toctree holds a page it writes: projects/index); feeds' pages only when a
    # feed appears or goes
    assert rec.written == {"news/2025-01-10-alpha-launch", "index", "news/index",
                           "projects/alpha", "projects/index"}
    assert "Alpha is out" in _items(html(app.outdir, "index.html"))
    assert "Alpha is out" in (Path(app.outdir) / "feeds/person/bob.xml").read_text("utf8")
    # a news item naming a person with no feed yet: her page gains its feed link
    touch(item, item.read_text(encoding="utf8").replace("people: [bob]", "people: [carol]"))
    app, rec = build(make_app, src)
    # (what the lists show of it is unchanged: only its page, the new feed's page and, by
    # Sphinx, the pages whose toctrees hold them)
    assert rec.written == {"news/2025-01-10-alpha-launch", "people/carol", "news/index", "index"}
    assert (Path(app.outdir) / "feeds/person/carol.xml").is_file()
    assert html(app.outdir, "people/carol.html").select('link[type="application/atom+xml"]')
    # removing it: the lists lose it, her feed goes and so does its link
    item.unlink()
    app, rec = build(make_app, src)
    assert {"index", "news/index", "projects/alpha", "people/carol"} <= rec.written
    assert not (Path(app.outdir) / "feeds/person/carol.xml").exists()
    assert not html(app.outdir, "people/carol.html").select('link[type="application/atom+xml"]')
    assert "Alpha is out" not in (Path(app.outdir) / "feeds/site.xml").read_text("utf8")


def _calls(monkeypatch, name: str, what) -> list:
    """The calls of ``labkb.sphinxext.feeds.<name>`` from now on, each as ``what(first arg)``."""
    from labkb.sphinxext import feeds as feeds_module

    real, calls = getattr(feeds_module, name), []

    def counted(first, *args, **kwargs):
        calls.append(what(first))
        return real(first, *args, **kwargs)

    monkeypatch.setattr(feeds_module, name, counted)
    return calls


def test_a_feed_is_built_again_only_when_what_it_says_changed(make_app, rootdir, tmp_path,
                                                              monkeypatch):
    src = copy_root(rootdir, "kb-news", tmp_path)
    build(make_app, src, freshenv=True)
    built = _calls(monkeypatch, "atom", lambda meta: meta.key)
    item = src / "news/2025-01-10-alpha-launch.yaml"
    touch(item, item.read_text(encoding="utf8").replace("Alpha launched", "Alpha is out"))
    app, _ = build(make_app, src)
    files = feed_files(Path(app.outdir))
    showing = {k for k, path in files.items() if "Alpha is out" in path.read_text("utf8")}
    assert sorted(built) == sorted(showing) and set(FEEDS) - showing  # not every feed
    built.clear()
    page = src / "projects/beta.yaml"  # an edit no feed shows (its description)
    assert set(files) == set(FEEDS)
    before = {k: path.read_bytes() for k, path in files.items()}
    touch(page, page.read_text(encoding="utf8") + "\n")
    app, rec = build(make_app, src)
    assert "projects/beta" in rec.read and built == []
    assert {k: path.read_bytes() for k, path in feed_files(Path(app.outdir)).items()} == before


def test_a_records_markdown_is_made_again_only_when_what_it_shows_changed(make_app, rootdir,
                                                                          tmp_path, monkeypatch):
    src = copy_root(rootdir, "kb-news", tmp_path)
    build(make_app, src, freshenv=True)
    made = _calls(monkeypatch, "record_page", lambda record: record.id)
    page = src / "projects/beta.yaml"
    touch(page, page.read_text(encoding="utf8").replace("name: Beta", "name: Beta Two"))
    app, _ = build(make_app, src)
    assert made == ["beta"]  # not the other records' files
    assert (Path(app.outdir) / "projects/beta.md").read_text("utf8").startswith("# Beta Two\n")
    made.clear()
    item = src / "news/2025-01-10-alpha-launch.yaml"  # a news item: the files of what it is about
    touch(item, item.read_text(encoding="utf8").replace("Alpha launched", "Alpha is out"))
    app, _ = build(make_app, src)
    assert sorted(made) == ["2025-01-10-alpha-launch", "alpha"]
    assert "Alpha is out" in (Path(app.outdir) / "projects/alpha.md").read_text("utf8")
    made.clear()
    source = src / "sources/home.yaml"  # a source's name: the files citing it
    touch(source, source.read_text(encoding="utf8").replace("A Lab's Home Page", "The Lab's Page"))
    app, _ = build(make_app, src)
    citing = {p.stem for p in Path(app.outdir).rglob("*.md") if "The Lab's Page" in
              p.read_text("utf8") and p.parent.name != "sources"}
    assert citing and set(made) == citing | {"home"}
    (Path(app.outdir) / "projects/gamma.md").unlink()  # a file gone is made again
    touch(page, page.read_text(encoding="utf8") + "\n")
    made.clear()
    app, _ = build(make_app, src)
    assert made == ["gamma"] and (Path(app.outdir) / "projects/gamma.md").is_file()


BAD_NEWS = {
    "news/2025-03-01-unknown.yaml": "date: 2025-03-01\ntitle: T\nsummary: S.\n"
                                    "entries: [alpah]\npeople: [nobody]\nsources: [home]\n",
    "news/2025-03-02-wrong-date.yaml": "date: 2025-03-03\ntitle: T\nsummary: S.\nsources: [home]\n",
    "news/launch.yaml": "date: 2025-03-01\ntitle: T\nsummary: S.\nsources: [home]\n",
    "news/2025-03-04-untitled.yaml": "date: 2025-03-04\nsummary: S.\nsources: [home]\n",
    "news/2025-03-05-unsourced.yaml": "date: 2025-03-05\ntitle: T\nsummary: S.\n",
}


def test_news_schema_problems_are_located_warnings(make_app, rootdir, tmp_path):
    src = copy_root(rootdir, "kb-news", tmp_path)
    for name, text in BAD_NEWS.items():
        (src / name).write_text(text, encoding="utf8")
    (src / "lists.md").write_text("---\norphan: true\n---\n# Lists\n\n```{kb-news}\n:entry: nope\n"
                                  ":person: nobody\n```\n", encoding="utf8")
    app, _rec = build(make_app, src, freshenv=True)
    found = warnings(app)
    expected = [
        ("news/2025-03-01-unknown.yaml:4", "entries[0]: unknown entry 'alpah' (did you mean 'alpha'?)",
         "kb.ref"),
        ("news/2025-03-01-unknown.yaml:5", "people[0]: unknown person 'nobody'", "kb.ref"),
        ("news/2025-03-02-wrong-date.yaml:1", "date: the date 2025-03-03 is not the file name's "
         "2025-03-02", "kb.schema"),
        ("news/launch.yaml:1", "invalid news id 'launch' (the file name)", "kb.id"),
        ("news/2025-03-04-untitled.yaml:1", "title: required field is missing", "kb.schema"),
        ("news/2025-03-05-unsourced.yaml:1", "sources: no source", "kb.source"),
        ("lists.md:6", "kb-news: unknown entry id 'nope'", "kb.ref"),
        ("lists.md:6", "kb-news: unknown person id 'nobody'", "kb.ref"),
    ]
    for where, message, subtype in expected:
        hits = [w for w in found if f"/{where}: WARNING: " in w and message in w
                and w.endswith(f"[{subtype}]")]
        assert len(hits) == 1, (where, message, found)
    assert "Traceback" not in app.warning.getvalue()
    # the item with unknown ids still builds, without them
    soup = html(app.outdir, "news/2025-03-01-unknown.html")
    assert "alpah" not in soup.get_text() and "nobody" not in soup.get_text()


def test_editing_a_papers_date_rewrites_the_pages_listing_its_release(make_app, rootdir,
                                                                      tmp_path):
    src = copy_root(rootdir, "kb-news", tmp_path)
    build(make_app, src, freshenv=True)
    bib = src / "refs.bib"
    touch(bib, bib.read_text(encoding="utf8").replace("2023-03-15", "2023-03-16"))
    app, rec = build(make_app, src)
    assert warnings(app) == []
    assert "models/vm" in rec.written  # its own list (and its citation)
    # pages not showing the release are left alone (Sphinx itself re-writes models/index and
    # index, whose toctrees hold the re-written pages)
    assert rec.written == {"models/vm", "references", "models/index", "index"}
    root = ET.parse(Path(app.outdir) / "feeds/kind/model.xml").getroot()
    assert root.find(f"{ATOM}updated").text == "2023-03-16T00:00:00Z"
    assert "2023-03-16" in html(app.outdir, "models/vm.html").select_one(
        "#news-and-releases").get_text()


def test_a_feed_holds_its_newest_items_and_the_pages_list_all(rootdir, tmp_path):
    """``kb_feed_length``: each feed its newest items (same ids, same updated), pages all."""
    src = copy_root(rootdir, "kb-news", tmp_path)
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-n", "-E", "-q", "-b", "html",
                           "-D", "kb_feed_length=1", str(src), str(src / "_build")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = src / "_build"
    for key, path in feed_files(out).items():
        assert check_rfc4287(path) == [TAG + k for k in FEEDS[key][:1]], key
    assert feedparser.parse(str(out / "feeds" / "site.xml")).feed.updated == TIMELINE[0][1]
    assert _items(html(out, "news/index.html")) == ['A talk on Beta <&> "quotes"',
                                                    "Alpha launched"]
    assert _items(html(out, "projects/alpha.html"), "#news-and-releases") == [
        "Alpha launched", "Alpha released"]
