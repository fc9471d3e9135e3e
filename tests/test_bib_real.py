"""Real .bib files never stop the build: every entry type renders, crossref fields are inherited,
and every warning about a record names its .bib file and line (``test-kb-bib``, one file at a time).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pybtex.errors
import pytest
from conftest import copy_root
from helpers import html, touch, warnings
from hypothesis import given, settings
from hypothesis import strategies as st
from labkb.core import bibdata
from pybtex.database import parse_file
from pybtex.richtext import Text

CORPORA = Path(__file__).parent / "data" / "bib-corpora"
ROOT_REFS = Path(__file__).parent / "roots" / "test-kb-bib" / "refs"

#: every real file, with the warnings its records give (measured; all located at the record)
REAL = {
    CORPORA / "alfolio-researcher-594zyc-papers.bib": {},
    CORPORA / "dblp-rnbguy-thesis2021.bib": {},
    CORPORA / "zotero-diegoferigo-phd-thesis.bib": {"bibtex.missing_field": 33},
    CORPORA / "pybtex-xampl.bib": {"bibtex.missing_field": 2},  # 7 without crossref
    ROOT_REFS / "al-folio-example-papers.bib": {"bibtex.missing_field": 1},
    ROOT_REFS / "al-folio-lab-papers.bib": {},
}


def build_with(make_app, rootdir, tmp_path, bib: Path | str, name: str | None = None,
               people: dict[str, str] | None = None):
    """Build a copy of ``test-kb-bib`` whose only .bib file is ``bib`` (a path or BibTeX text)."""
    src = copy_root(rootdir, "kb-bib", tmp_path)
    name = name or Path(bib).name
    target = src / "refs" / name
    if isinstance(bib, Path):
        shutil.copyfile(bib, target)
    else:
        target.write_text(bib, encoding="utf8")
    # the root's entry cites keys of its own .bib files, which are not configured here
    (src / "projects/alpha.yaml").write_text("name: Alpha\nsummary: s\nareas: [vision]\n",
                                             encoding="utf8")
    for person, author in (people or {}).items():
        (src / f"people/{person}.md").write_text(
            f"# {person}\n\n```{{kb-publications}}\n:author: {author}\n```\n", encoding="utf8")
    app = make_app("html", srcdir=src, freshenv=True,
                   confoverrides={"bibtex_bibfiles": [f"refs/{name}"]})
    app.build()
    app.cleanup()
    return app, target


def record_lines(path: Path) -> dict[str, int]:
    """The line of each record's ``@type{key,``, found independently of the extension."""
    text = path.read_text(encoding="utf-8-sig")
    found: dict[str, int] = {}
    for match in re.finditer(r"^\s*@\s*(\w+)\s*[{(]\s*([^,\s]+)\s*,", text, re.M):
        if match.group(1).lower() not in ("string", "preamble", "comment"):
            found.setdefault(match.group(2).casefold(), text.count("\n", 0, match.start(2)) + 1)
    return found


def mentioned(warning: str, keys) -> str | None:
    """The longest record key a warning names (keys may contain one another)."""
    names = [k for k in keys if re.search(rf"(?<![\w:/.-]){re.escape(k)}(?![\w:/.-])",
                                          warning.casefold())]
    return max(names, key=len) if names else None


@pytest.mark.parametrize("bib", list(REAL), ids=[p.name for p in REAL])
def test_real_bib_file_builds_and_every_record_warning_is_located(make_app, rootdir, tmp_path,
                                                                  bib):
    app, target = build_with(make_app, rootdir, tmp_path, bib)
    assert target.read_bytes() == bib.read_bytes()  # used unchanged
    text = app.warning.getvalue()
    assert "Traceback" not in text and "Extension error" not in text
    lines = record_lines(bib)
    found = warnings(app)
    kinds: dict[str, int] = {}
    for warning in found:
        key = mentioned(warning, lines)
        assert key, f"a warning that names no record: {warning}"
        assert f"refs/{bib.name}:{lines[key]}: WARNING" in warning, warning
        kind = re.search(r"\[([\w.]+)\]$", warning).group(1)
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds == REAL[bib], found
    with pybtex.errors.capture():
        records = parse_file(str(bib)).entries
    cited = html(app.outdir, "references.html").select(".citation, [role=doc-biblioentry]")
    assert len(cited) == len(records)  # every record renders
    assert len(html(app.outdir, "publications.html").select(".kb-pub")) == len(records)


#: one record per standard BibTeX type, each with the fields pybtex requires of it
STANDARD = r"""
@article{t-article, author = {Ann Author}, title = {An Article}, journal = {A Journal}, year = 2001}
@book{t-book, author = {Ann Author}, title = {A Book}, publisher = {A Press}, year = 2002}
@booklet{t-booklet, author = {Ann Author}, title = {A Booklet}, year = 2003}
@conference{t-conference, author = {Ann Author}, title = {A Conference Paper},
  booktitle = {Proceedings of the Conference}, year = 2004}
@inbook{t-inbook, author = {Ann Author}, title = {A Book With Chapters}, chapter = 3,
  publisher = {A Press}, year = 2005}
@incollection{t-incollection, author = {Ann Author}, title = {A Collected Paper},
  booktitle = {A Collection}, publisher = {A Press}, year = 2006}
@inproceedings{t-inproceedings, author = {Ann Author}, title = {A Proceedings Paper},
  booktitle = {Proceedings of the Workshop}, year = 2007}
@manual{t-manual, title = {A Manual}, year = 2008}
@mastersthesis{t-mastersthesis, author = {Ann Author}, title = {A Masters Thesis},
  school = {A University}, year = 2009}
@misc{t-misc, title = {A Misc Record}, year = 2010}
@phdthesis{t-phdthesis, author = {Ann Author}, title = {A PhD Thesis}, school = {A University},
  year = 2011}
@proceedings{t-proceedings, title = {Some Proceedings}, year = 2012}
@techreport{t-techreport, author = {Ann Author}, title = {A Technical Report},
  institution = {An Institute}, year = 2013}
@unpublished{t-unpublished, author = {Ann Author}, title = {An Unpublished Note},
  note = {Manuscript}, year = 2014}
@online{t-online, title = {An Online Page}, url = {https://example.org/online}, year = 2015}
@electronic{t-electronic, title = {An Electronic Page}, year = 2016}
@www{t-www, title = {A Web Page}, year = 2017}
@report{t-report, author = {Ann Author}, title = {A Report}, institution = {An Institute},
  year = 2018}
@thesis{t-thesis, author = {Ann Author}, title = {A Biblatex Thesis}, type = {phdthesis},
  school = {A University}, year = 2019}
@thesis{t-thesis-untyped, author = {Ann Author}, title = {An Untyped Thesis}, year = 2019}

@artwork{t-artwork, author = {Ann Author}, title = {An Artwork}, year = 2020}
@misc{t-orphan, crossref = {nowhere}, title = {An Orphan}, year = 2021}
"""


def test_every_standard_type_renders_and_unknown_types_warn_once(make_app, rootdir, tmp_path):
    app, target = build_with(make_app, rootdir, tmp_path, STANDARD, "types.bib")
    text = app.warning.getvalue()
    assert "Traceback" not in text and "format_conference" not in text
    lines = record_lines(target)
    assert warnings(app) == [
        f"{target}:{lines['t-artwork']}: WARNING: t-artwork: unknown BibTeX entry type "
        "@artwork; rendered as @misc [kb.bib]",
        f"{target}:{lines['t-orphan']}: WARNING: t-orphan: crossref 'nowhere' is not a record "
        "of any .bib file; nothing is inherited [kb.bib]",
    ]
    refs = html(app.outdir, "references.html")
    rendered = {c.get("id") or c.select_one("[id]")["id"]: c.get_text(" ", strip=True)
                for c in refs.select(".citation, [role=doc-biblioentry]")}
    assert len(rendered) == len(lines) == 22
    bodies = " | ".join(rendered.values()).casefold()  # styles change the case of some titles
    for title in re.findall(r"title = \{([^}]*)\}", STANDARD):
        assert title.casefold() in bodies, title
    assert "missing" not in bodies  # no record fell back to an error text
    conference = next(t for t in rendered.values() if "a conference paper" in t.casefold())
    assert "In Proceedings of the Conference" in conference  # formatted as an inproceedings
    thesis = next(t for t in rendered.values() if "a biblatex thesis" in t.casefold())
    assert "A University" in thesis
    # the copyable BibTeX keeps the type as written
    pubs = html(app.outdir, "publications.html")
    copy = pubs.select_one('.kb-pub[data-kb-key="t-conference"] .highlight').get_text()
    assert copy.lstrip().startswith("@conference{t-conference")


def test_crossref_fields_are_inherited_everywhere(make_app, rootdir, tmp_path):
    xampl = CORPORA / "pybtex-xampl.bib"
    app, _ = build_with(make_app, rootdir, tmp_path, xampl, people={"knuth": "Donald E. Knuth"})
    refs = html(app.outdir, "references.html")
    text = {c.get_text(" ", strip=True) for c in refs.select(".citation, [role=doc-biblioentry]")}
    paper = next(t for t in text if "This is a cross-referencing INPROCEEDINGS entry" in t)
    assert "Proc. Fifteenth Annual ACM Symposium on the Theory of Computing" in paper  # booktitle
    assert "1983" in paper  # year
    assert "Boston" in paper  # address
    # publication lists: venue and year come from the proceedings
    pubs = html(app.outdir, "publications.html")
    pub = pubs.select_one('.kb-pub[data-kb-key="inproceedings-crossref"]')
    assert pub["data-kb-year"] == "1983"
    assert "Proc. Fifteenth Annual ACM Symposium on the Theory of Computing" in pub.select_one(
        ".kb-pub-venue").get_text()
    # the copyable BibTeX is the record as written: the crossref, not the inherited fields
    copy = pub.select_one(".highlight").get_text()
    assert "whole-proceedings" in copy and "booktitle" not in copy and "Boston" not in copy
    # person pages: book-crossref names no author; it inherits Knuth from whole-set
    person = [p["data-kb-key"] for p in html(app.outdir, "people/knuth.html").select(".kb-pub")]
    assert "book-crossref" in person and "inbook-crossref" in person
    assert "whole-set" in person


def test_records_kept_from_an_earlier_build_are_resolved_again(make_app, rootdir, tmp_path):
    text = (CORPORA / "pybtex-xampl.bib").read_text(encoding="utf8")
    text += "\n@artwork{t-artwork, author = {Ann Author}, title = {An Artwork}, year = 2020}\n"
    app, target = build_with(make_app, rootdir, tmp_path, text, "xampl-and-more.bib")
    unknown = [w for w in warnings(app) if "[kb.bib]" in w]
    assert len(unknown) == 1 and "t-artwork: unknown BibTeX entry type @artwork" in unknown[0]
    again = make_app("html", srcdir=app.srcdir,
                     confoverrides={"bibtex_bibfiles": [f"refs/{target.name}"]})
    again.build()  # the records come from the pickled environment
    again.cleanup()
    assert "up to date" in again.status.getvalue()
    assert warnings(again) == unknown  # reported on every build, once
    pub = html(again.outdir, "publications.html").select_one(
        '.kb-pub[data-kb-key="inproceedings-crossref"]')
    assert pub["data-kb-year"] == "1983" and "booktitle" not in pub.select_one(
        ".highlight").get_text()
    parent = target.read_text(encoding="utf8").replace(
        '   address = "Boston",\n   year = 1983,', '   address = "Boston",\n   year = 1984,', 1)
    assert parent != target.read_text(encoding="utf8")
    touch(target, parent)
    edited = make_app("html", srcdir=app.srcdir,
                      confoverrides={"bibtex_bibfiles": [f"refs/{target.name}"]})
    edited.build()
    edited.cleanup()
    pub = html(edited.outdir, "publications.html").select_one(
        '.kb-pub[data-kb-key="inproceedings-crossref"]')
    assert pub["data-kb-year"] == "1984"  # inherited from the edited parent


def test_footcite_of_an_unformattable_record_warns_at_the_record(make_app, rootdir, tmp_path):
    """sphinxcontrib-bibtex's footcite has no error handling: a record without its journal
    stopped the build. Now: one located warning, the other key still becomes a footnote."""
    bib = ("@article{nojournal, author = {Ada Lovelace}, title = {No Journal}, year = {2020}}\n\n"
           "@book{fine, author = {Ada Lovelace}, title = {A Fine Book}, publisher = {P}, "
           "year = {2021}}\n")
    src = copy_root(rootdir, "kb-bib", tmp_path)
    (src / "refs" / "foot.bib").write_text(bib, encoding="utf8")
    (src / "projects/alpha.yaml").write_text("name: Alpha\nsummary: s\nareas: [vision]\n",
                                             encoding="utf8")
    (src / "index.md").write_text(
        (src / "index.md").read_text(encoding="utf8")
        + "\nSee {footcite}`nojournal,fine` and {footcite:t}`nojournal`.\n\n"
          "```{footbibliography}\n```\n", encoding="utf8")
    app = make_app("html", srcdir=src, freshenv=True,
                   confoverrides={"bibtex_bibfiles": ["refs/foot.bib"]})
    app.build()
    text = app.warning.getvalue()
    assert "Traceback" not in text and "Exception" not in text
    located = [w for w in warnings(app) if "nojournal: cannot format the record for a footnote" in w]
    assert len(located) == 2 and all(w.startswith(f"{src / 'refs' / 'foot.bib'}:1: ") for w in located)
    page = html(app.outdir, "index.html")
    assert "A Fine Book" in page.get_text()


def _decoded(latex: str) -> str:
    """What ``bibdata.plain`` gives when it always decodes the LaTeX."""
    try:
        text = Text.from_latex(latex).render(bibdata._PLAIN)
    except Exception:
        text = latex
    return re.sub(r"\s+", " ", text).strip()


def test_text_that_skips_the_latex_decoder_is_what_the_decoder_gives():
    """``bibdata.plain`` returns text without LaTeX as it is: the decoder's own output for every
    field of the real files that has none, and for fuzzed text."""
    skipped = 0
    for path in REAL:
        for entry in parse_file(path).entries.values():
            for value in map(str, entry.fields.values()):
                assert bibdata.plain(value) == _decoded(value), (path.name, value)
                skipped += bibdata._LATEX.search(value) is None
    assert skipped > 500  # most fields have no LaTeX

    @settings(max_examples=3000, deadline=None)
    @given(st.text(st.one_of(st.characters(codec="utf-8"), st.sampled_from(list(",-'`~%${}\\ "))),
                   max_size=12))
    def same(text: str) -> None:
        assert bibdata.plain.__wrapped__(text) == _decoded(text)

    same()
