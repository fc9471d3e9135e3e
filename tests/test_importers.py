"""The importers (issue 15) on the real files in tests/data/ (see each folder's README.md), on broken
input, and twice: a second import of the same file changes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from labkb.cli.commands import main
from labkb.importers.bibtext import read_bib
from labkb.importers.cff import import_cff
from labkb.importers.csl import read_csl
from labkb.importers.hf import import_card
from labkb.importers.merge import Record, plan
from labkb.importers.scholarly import read_openalex, read_orcid
from labkb.importers.works import Work, convention_key

DATA = Path(__file__).parent / "data"
ALFOLIO = Path(__file__).parent / "roots" / "test-kb-bib" / "refs"
FUZZ = settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def counts(report: str) -> tuple[int, ...]:
    match = re.search(r"(\d+) new, (\d+) merged, (\d+) duplicate, (\d+) conflicting, (\d+) refused", report)
    assert match, report
    return tuple(int(n) for n in match.groups())


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An empty site: docs/ (one area, one person) and refs/."""
    for folder in ("docs/research", "docs/people", "docs/projects", "docs/models", "docs/sources", "refs"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "docs" / "research" / "vision.md").write_text("# Vision\n")
    (tmp_path / "docs" / "people" / "jason-priem.md").write_text("# Jason Priem\n")
    return tmp_path


# -- real files: counts (new, merged, duplicate, conflicting, refused), then the same import again ------

REAL = {
    "bib": {
        DATA / "bib-corpora" / "alfolio-researcher-594zyc-papers.bib": (12, 0, 0, 1, 0),
        DATA / "bib-corpora" / "dblp-rnbguy-thesis2021.bib": (77, 0, 0, 1, 0),
        DATA / "bib-corpora" / "pybtex-xampl.bib": (23, 9, 0, 1, 3),
        DATA / "bib-corpora" / "zotero-diegoferigo-phd-thesis.bib": (215, 1, 1, 7, 0),
        ALFOLIO / "al-folio-example-papers.bib": (9, 0, 0, 0, 0),
        ALFOLIO / "al-folio-lab-papers.bib": (10, 0, 0, 0, 0),
    },
    "orcid": {
        DATA / "orcid" / "kbase-works-v3.0.sandbox.junk-dois.json": (6, 0, 0, 0, 0),
        DATA / "orcid" / "orcid-model-record-full-3.0.sandbox.json": (1, 0, 0, 0, 0),
        DATA / "orcid" / "pyorcidator-record-v2.0-0000-0003-0369-424X.x-checksum.json": (2, 0, 0, 0, 0),
    },
    "openalex": {
        DATA / "openalex" / "author-A5023888391.2026-schema.internal-fields.json": (0, 0, 0, 0, 0),
        DATA / "openalex" / "author-A5317838346.deleted-author.json": (0, 0, 0, 0, 0),
        DATA / "openalex" / "work-W2741809807.2025-schema.json": (1, 0, 0, 0, 0),
    },
    "csl": {
        DATA / "csl" / "bbt-date-edge-cases-360-811.csl.json": (15, 0, 0, 0, 0),
        DATA / "csl" / "bbt-zotero-library-1179.csl.json": (26, 0, 0, 0, 0),
        DATA / "csl" / "manubot-arxiv-raw-joss.json": (1, 0, 0, 0, 0),
        DATA / "csl" / "manubot-null-date-parts.json": (0, 0, 0, 0, 1),
    },
}
CASES = [(kind, path, expected) for kind, files in REAL.items() for path, expected in files.items()]


@pytest.mark.parametrize(("kind", "path", "expected"), CASES, ids=[p.name for _, p, _ in CASES])
def test_real_file_imports_once_and_the_second_time_changes_nothing(kind, path, expected, site, capsys):
    target = site / "refs" / "imported.bib"
    args = (f"import-{kind}", path, "--refs", site / "refs", "--docs", site / "docs", "--to", target)
    code, out, _ = run(capsys, *args)  # a dry run writes nothing
    assert code == 0 and counts(out) == expected and "(dry run)" in out and not target.exists()
    code, out, _ = run(capsys, *args, "--write")
    assert code == 0 and counts(out) == expected
    for line in out.splitlines():  # every record is located: input file:line, and its target
        if line.startswith(("new ", "merged ", "duplicate ", "conflicting ")):
            assert re.match(rf"\w+ +{re.escape(str(path))}:\d+ [-=]> ?", line.replace("= ", "=> ")), line
    before = target.read_bytes() if target.exists() else None
    code, again, _ = run(capsys, *args, "--write")
    assert code == 0 and (target.read_bytes() if target.exists() else None) == before
    new, merged, _, _, refused = counts(again)
    assert (new, merged, refused) == (0, 0, expected[4]) and "(nothing to change)" in again
    if before is not None:
        assert run(capsys, "check", target, "--docs", site / "docs")[0] == 0


def test_openalex_citations_keep_the_files_date_and_people_are_reported(site, capsys):
    work = DATA / "openalex" / "work-W2741809807.2025-schema.json"
    target = site / "refs" / "oa.bib"
    run(capsys, "import-openalex", work, "--refs", site / "refs", "--to", target, "--write")
    text = target.read_text(encoding="utf-8")
    assert "citations = {962}" in text and "citations_asof = {2025-06-11}" in text  # updated_date
    assert "doi = {10.7717/peerj.4375}" in text and "openalex = {W2741809807}" in text
    author = DATA / "openalex" / "author-A5023888391.2026-schema.internal-fields.json"
    code, out, _ = run(capsys, "import-openalex", author, "--refs", site / "refs", "--docs", site / "docs")
    assert code == 0
    assert "Jason Priem: matches jason-priem (openalex A5023888391, orcid 0000-0001-6187-6610)" in out
    deleted = DATA / "openalex" / "author-A5317838346.deleted-author.json"
    assert "deleted-author record" in run(capsys, "import-openalex", deleted, "--refs", site / "refs")[1]


def test_orcid_and_csl_report_what_they_leave_out(site, capsys):
    out = run(
        capsys,
        "import-orcid",
        DATA / "orcid" / "kbase-works-v3.0.sandbox.junk-dois.json",
        "--refs",
        site / "refs",
    )[1]
    assert "doi 'book1' is not a DOI; left out" in out and "doi '123' is not a DOI; left out" in out
    out = run(
        capsys,
        "import-orcid",
        DATA / "orcid" / "pyorcidator-record-v2.0-0000-0003-0369-424X.x-checksum.json",
        "--refs",
        site / "refs",
    )[1]
    assert "orcid 0000-0003-0369-424X" in out
    out = run(
        capsys, "import-csl", DATA / "csl" / "bbt-date-edge-cases-360-811.csl.json", "--refs", site / "refs"
    )[1]
    assert "no single year; left out" in out and "circa 2011: an approximate year; left out" in out
    out = run(capsys, "import-csl", DATA / "csl" / "manubot-null-date-parts.json", "--refs", site / "refs")[1]
    assert "no title" in out and "[[null]]" in out


# -- the merge rules -----------------------------------------------------------------------------------

TARGET = """% curated by hand: this comment and the layout below are kept
@inproceedings{smith2021deep,
  title     = {Deep Things},
  author    = {Smith, Ann and Lee, Bo},
  booktitle = {ICLR},
  year      = 2021}
"""


def test_merge_keeps_the_target_text_pairs_preprints_and_never_overwrites(site, capsys):
    refs = site / "refs"
    (refs / "lab.bib").write_text(TARGET, encoding="utf-8")
    source = site / "in.bib"
    source.write_text(
        """@article{x, title={Deep things}, author={Ann Smith and Bo Lee}, journal={arXiv:2101.00001 [cs]},
  year={2020}, file={/home/me/Zotero/a.pdf}, urldate={2024-01-01}, note={first seen}}
@inproceedings{y, title={Deep Things}, author={Smith, A. and Lee, B.}, booktitle={NeurIPS}, year={2021},
  doi={10.1/ABC}}
@misc{z, title={Other Work}, author={Émile Zola}, year={2019}}
@misc{z2, title={Other work}, author={Zola, Émile}, year={2019}, url={https://example.org}}
""",
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys, "import-bib", source, "--refs", refs, "--to", refs / "lab.bib", "--drop-urldate", "--write"
    )
    assert code == 0 and counts(out) == (1, 2, 0, 1, 0), out
    assert "an arXiv preprint and its published version" in out
    assert "booktitle: kept 'ICLR', the input has 'NeurIPS'" in out  # a conflict: reported, kept
    assert "file: dropped" in out and "urldate: dropped" in out
    text = (refs / "lab.bib").read_text(encoding="utf-8")
    assert text.startswith(TARGET[: TARGET.index("  year      = 2021}")])  # the rest of the file as it was
    assert "journal" not in text  # the preprint's venue is the other version's
    assert "eprint = {2101.00001}" in text and "archiveprefix = {arXiv}" in text  # both ids on one record
    assert "first seen" not in text and "doi = {10.1/ABC}" in text and "NeurIPS" not in text
    assert "/home/me" not in text and "urldate" not in text
    assert "@misc{zola2019other," in text and "url = {https://example.org}" in text  # merged in the input
    assert run(capsys, "check", refs / "lab.bib", "--docs", site / "docs")[0] == 0
    again = run(
        capsys, "import-bib", source, "--refs", refs, "--to", refs / "lab.bib", "--drop-urldate", "--write"
    )[1]
    assert counts(again)[:2] == (0, 0) and (refs / "lab.bib").read_text(encoding="utf-8") == text


def test_keys_follow_the_readme_convention():
    def key(**fields: str) -> str:
        return convention_key(fields)

    assert key(author="Bai, Jinze and others", year="2023", title="{Qwen Technical Report}") == "bai2023qwen"
    assert key(author="Wang, Peng", year="2024", title="Qwen2-VL: Enhancing") == "wang2024qwen2vl"
    assert key(author="Qiu, X.", title="A Unified View") == "qiundunified"
    assert key(title="Adan: Adaptive Nesterov", year="2022") == "adan2022"
    assert key(author='M{\\"u}ller, K.', year="2020", title="The Über Model") == "muller2020uber"


def test_identifiers_match_doi_arxiv_urls_and_dblp_corr():
    existing = [
        Record(
            "a2020x",
            "refs/a.bib",
            1,
            Work(
                "misc",
                {
                    "title": "X",
                    "author": "A, B",
                    "year": "2020",
                    "eprint": "2001.00001v2",
                    "archiveprefix": "arXiv",
                },
                "refs/a.bib",
                1,
            ),
        )
    ]
    for fields in (
        {"url": "https://arxiv.org/abs/2001.00001"},
        {"journal": "arXiv:2001.00001 [cs]"},
        {"doi": "10.48550/arXiv.2001.00001"},
        {"arxiv": "2001.00001"},
    ):
        result = plan([Work("misc", {"title": "X", **fields}, "in.bib", 3)], existing, lambda w: "t.bib")
        assert result.actions[0].match == "arXiv id", fields
    corr = Work(
        "article",
        {
            "title": "X",
            "author": "A, B",
            "year": "2021",
            "journal": "CoRR",
            "volume": "abs/2001.00001",
            "url": "http://arxiv.org/abs/2001.00001",
        },
        "in.bib",
        9,
    )
    result = plan(
        [
            corr,
            Work(
                "inproceedings",
                {"title": "X", "author": "A, B", "year": "2021", "booktitle": "ICML", "doi": "10.5/x"},
                "in.bib",
                12,
            ),
        ],
        [],
        lambda w: "t.bib",
    )
    assert [a.status for a in result.actions] == ["new", "merged"]


# -- Hugging Face cards --------------------------------------------------------------------------------

CARDS = sorted(c for c in (DATA / "modelcards").glob("*.md") if c.name != "README.md")
#: Cards with no prose paragraph at all: no summary can be taken from them (none is made up).
NO_PROSE = {
    "hfhub-sample_windows_line_breaks.md",
    "malformed-four-dash-opener.md",
    "minimal-cube-cubetest.md",
}


@pytest.mark.parametrize("card", CARDS, ids=[c.name for c in CARDS])
def test_real_card_imports_cleanly_or_with_one_located_message(card, site, capsys):
    args = ("import-hf", card, "--area", "vision", "--docs", site / "docs")
    code, out, err = run(capsys, *args)
    assert code == 0, err
    if card.name in NO_PROSE:  # no summary is made up: the entry says there is none, as derived
        assert f"{card}:1: summary: the card has no prose paragraph" in err and "--summary" in err
        data = yaml.safe_load(Path(out.splitlines()[0]).read_text(encoding="utf-8"))
        assert data["summary"] == "The model card gives no description of the model."
        assert "no prose paragraph" in data["derived"]["summary"]
    path = Path(out.splitlines()[0])  # then the source record written beside it
    assert run(capsys, "check", "--docs", site / "docs")[0] == 0
    before = path.read_text(encoding="utf-8")
    code, again, _ = run(capsys, *args)
    assert code == 0 and again.strip() == f"{path} (unchanged)" and path.read_text(encoding="utf-8") == before


def test_share_of_real_cards_that_import_cleanly():
    clean = [
        c
        for c in CARDS
        if not import_card(c.read_text(encoding="utf-8"), str(c)).problems
        and import_card(c.read_text(encoding="utf-8"), str(c)).data.get("summary")
    ]
    assert len(clean) == len(CARDS) - len(NO_PROSE) == 9


def test_card_values_from_the_hub_spec(capsys, site):
    card = import_card(
        (DATA / "modelcards" / "deepseek-vl-7b-chat.license-other.crlf.md").read_text(encoding="utf-8"),
        "deepseek-vl-7b-chat.license-other.crlf.md",
    )
    assert card.data["license"] == "other" and card.data["license_name"] == "deepseek"
    assert card.data["name"] == "deepseek-vl-7b-chat" and "license_link" not in card.data
    assert any("relative to the Hub repository" in n.message for n in card.notes)
    norway = DATA / "modelcards" / "malformed-tab-in-yaml-norway-no.md"
    card = import_card(norway.read_text(encoding="utf-8"), str(norway))
    assert card.data["language"] == ["no"]
    assert any(n.line == 3 and "YAML 1.1 reads 'no' as False" in n.message for n in card.notes)
    text = ("---\nlanguage: [multilingual]\n---\n# M\n\n"
            "A model for <b>many</b> languages, see [docs](docs/x.md).\n")
    readme = site / "README.md"
    readme.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "import-hf", readme, "--stdout", "--area", "vision", "--docs", site / "docs")
    data = yaml.safe_load(out)
    assert code == 0, err
    assert data["language"] == ["multilingual"] and data["summary"] == "A model for many languages, see docs."


EVAL_FILES = ("real-vedika-gpqa.yaml", "real-aura-gsm8k.sorted-keys.yaml", "spec-eval_results.current.yaml")


def _model_folder(site: Path) -> Path:
    folder = site / "model"
    (folder / ".eval_results").mkdir(parents=True)
    (folder / "README.md").write_bytes((DATA / "modelcards" / "hfhub-sample_no_metadata.md").read_bytes())
    for name in EVAL_FILES:
        (folder / ".eval_results" / name).write_bytes((DATA / "hf-eval-results" / name).read_bytes())
    return folder


def test_a_model_folder_with_eval_results(site, capsys):
    folder = _model_folder(site)
    code, out, err = run(capsys, "import-hf", folder, "--stdout", "--area", "vision", "--docs", site / "docs")
    assert code == 0, err
    results = yaml.safe_load(out)["model-index"][0]["results"]
    assert {
        "task": {"type": "diamond"},
        "dataset": {"type": "Idavidrein/gpqa", "name": "Idavidrein/gpqa", "task_id": "diamond"},
        "metrics": [{"type": "diamond", "value": 78.8}],
        "source": {"url": "https://huggingface.co/google/gemma-4-12B-it", "name": "Model Card"},
        "date": "2026-05-23",
    } in results
    assert {"name": ".eval_results/spec-eval_results.current.yaml"} in [r["source"] for r in results]
    assert "placeholder" in err


def test_eval_results_round_trip_on_the_real_files(site, capsys):
    """import-hf of a folder, then export-hf --eval-results: every result of the real files comes
    back as it was (the spec's placeholders excepted: they are not results)."""
    folder = _model_folder(site)
    code, _, err = run(capsys, "import-hf", folder, "--id", "real", "--area", "vision",
                       "--docs", site / "docs")
    assert code == 0, err
    out = site / "out"
    code, card, err = run(capsys, "export-hf", "real", "--docs", site / "docs", "--eval-results", out)
    assert code == 0, err
    written = sorted(p.name for p in (out / ".eval_results").iterdir())
    assert written == ["Idavidrein-gpqa.yaml", "openai-gsm8k.yaml"]
    exported = [item for name in written
                for item in yaml.safe_load((out / ".eval_results" / name).read_text(encoding="utf-8"))]
    original = [item for name in EVAL_FILES
                for item in yaml.safe_load((DATA / "hf-eval-results" / name).read_text(encoding="utf-8"))
                if "{" not in str(item["dataset"].get("task_id"))]
    assert sorted(exported, key=str) == sorted(original, key=str)
    assert len(exported) == 3
    # the README's model-index stays: the Hub's keys only, the rest kept in the entry
    meta = yaml.safe_load(card.split("---")[1])
    assert {r["dataset"]["type"] for r in meta["model-index"][0]["results"]} == {
        "Idavidrein/gpqa", "openai/gsm8k"}
    assert all(set(r) <= {"task", "dataset", "metrics", "source"} for r in meta["model-index"][0]["results"])
    assert "dataset.task_id" in err and "date" in err
    # and the exported folder (README.md beside .eval_results/) imports again to the same results
    (out / "README.md").write_text(card, encoding="utf-8")
    code, again, err = run(capsys, "import-hf", out, "--stdout", "--area", "vision", "--docs", site / "docs")
    assert code == 0, err
    first = yaml.safe_load((site / "docs" / "models" / "real.yaml").read_text(encoding="utf-8"))
    assert {str(r) for r in yaml.safe_load(again)["model-index"][0]["results"]} >= {
        str(r) for r in first["model-index"][0]["results"] if r["source"].get("url")}


# -- CITATION.cff --------------------------------------------------------------------------------------


def test_cff_invalid_date_is_reported_not_guessed(site, capsys):
    cff = DATA / "cff" / "cff-spec-example-fail-invalid-date.CITATION.cff"
    code, _, err = run(capsys, "import-cff", cff, "--area", "vision", "--docs", site / "docs")
    assert code == 1 and f"{cff}:12: date-released: CFF 1.2.0: '2020-05-xx' is not a 'date'" in err
    assert not list((site / "docs" / "projects").iterdir())


@pytest.mark.parametrize(
    "name", ["cff-spec-references-nonascii.CITATION.cff", "hf-trl-nonascii.CITATION.cff"]
)
def test_cff_real_file_imports_once(name, site, capsys):
    args = ("import-cff", DATA / "cff" / name, "--area", "vision", "--docs", site / "docs")
    code, out, err = run(capsys, *args)
    assert code == 0, err
    path = Path(out.splitlines()[0])  # then the source record written beside it
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    bib = list((site / "refs").glob("*.bib"))
    assert len(bib) == 1 and data["papers"][0] in bib[0].read_text(encoding="utf-8")
    assert run(capsys, "check", "--docs", site / "docs")[0] == 0
    before = {p: p.read_bytes() for p in [path, bib[0]]}
    code, again, err = run(capsys, *args)
    assert code == 0 and "(unchanged)" in again and "0 new" in err
    assert {p: p.read_bytes() for p in before} == before
    if name.startswith("hf-trl"):
        assert data["github"] == "huggingface/trl" and data["release_date"] == "2020-03-27"
        assert "Gallou\\'edec" in bib[0].read_text(encoding="utf-8") or "Gallouédec" in bib[0].read_text(
            encoding="utf-8"
        )


# -- no traceback on any input --------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "title",
                    "type",
                    "doi",
                    "DOI",
                    "author",
                    "authorships",
                    "issued",
                    "date-parts",
                    "group",
                    "work-summary",
                    "external-ids",
                    "value",
                    "results",
                    "display_name",
                    "cited_by_count",
                    "updated_date",
                    "publication_year",
                    "literal",
                    "family",
                    "given",
                    "path",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@FUZZ
@given(JSON)
def test_json_importers_never_raise(data):
    text = json.dumps(data)
    for reader in (read_orcid, read_openalex, read_csl):
        read = reader(data, "f.json", text)
        plan(read.works, [], lambda w: "t.bib")


BIBLIKE = st.text(alphabet=st.sampled_from(list('@{}()=,"#%\\ \nabtiluryeo0123:/.-')), max_size=200)


@FUZZ
@given(BIBLIKE | st.text(max_size=200))
def test_bib_import_never_raises(text):
    works, _ = read_bib(text, "in.bib")
    existing, _ = read_bib(TARGET + text, "t.bib")
    plan(works, [Record(w.key, "t.bib", w.line, w) for w in existing], lambda w: "t.bib")


@FUZZ
@given(
    st.text(max_size=300)
    | st.builds(lambda a, b: f"---\n{a}\n---\n{b}", st.text(max_size=80), st.text(max_size=200))
)
def test_card_and_cff_importers_never_raise(text):
    import_card(text, "README.md")
    import_cff(text, "CITATION.cff", {})
