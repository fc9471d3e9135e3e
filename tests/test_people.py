"""People entries, name variants, co-authors and model lineage: the core (no Sphinx), then the
built test root (pages, warnings)."""

from __future__ import annotations

import pytest
from conftest import copy_root
from helpers import build, entry_record, html, touch, warnings
from labkb.core.coauthors import Paper, coauthors, matrix, resolve_all, shared_names
from labkb.core.lineage import check, families
from labkb.core.loader import load_yaml
from labkb.core.people import full_form, initial_form, is_abbreviated, orcid_check_digit
from labkb.core.schema import Context, validate

# -- ORCID ------------------------------------------------------------------------------------------


def _person(text: str, context: Context | None = None):
    return validate(load_yaml(text, "people/x.yaml"), "people/x.yaml", "x", "person", context)


@pytest.mark.parametrize("orcid", ["0000-0002-1825-0097", "0000-0001-5109-3700",
                                   "0000-0002-1694-233X", "https://orcid.org/0000-0002-1825-0097"])
def test_orcid_with_a_right_check_digit_passes(orcid):
    result = _person(f"name: A\nsummary: B.\norcid: {orcid}\n")
    assert result.problems == []
    assert result.data["orcid"] == orcid.rsplit("/", 1)[-1]


@pytest.mark.parametrize(("orcid", "expected"), [("0000-0002-1825-0098", "7"),
                                                 ("0000-0002-1694-2330", "X")])
def test_orcid_with_a_wrong_check_digit_is_a_located_schema_problem(orcid, expected):
    result = _person(f"name: A\nsummary: B.\norcid: {orcid}\n")
    [problem] = result.problems
    assert (problem.line, problem.field, problem.subtype) == (3, "orcid", "schema")
    assert "check digit" in problem.message and f"should be {expected}" in problem.message
    assert "orcid" not in result.data  # the entry builds without it


def test_orcid_check_digit_is_iso_7064_mod_11_2():
    assert orcid_check_digit("000000021825009") == "7"
    assert orcid_check_digit("000000021694233") == "X"


def test_orcid_of_the_wrong_form_and_other_person_fields():
    result = _person("name: A\nsummary: B.\norcid: 1234\nrole: boss\nopenalex: W12\n"
                     "affiliation:\n- {name: Lab, source: nowhere}\n",
                     Context(sources=frozenset({"home"}), require_sources=False))
    found = {(p.field, p.subtype) for p in result.problems}
    assert found == {("orcid", "schema"), ("role", "schema"), ("openalex", "schema"),
                     ("affiliation[0].source", "source")}


# -- written names ----------------------------------------------------------------------------------


def test_written_forms_of_a_name():
    assert full_form("Zhou, Pan") == full_form("Pan Zhou") == full_form("PAN ZHOU") == "pan zhou"
    assert full_form("周 攀") == full_form("周攀") == "周攀"
    assert full_form("Zoë Müller") == "zoe muller"
    assert is_abbreviated("P. Zhou") and is_abbreviated("Zhou, P.") and is_abbreviated("J. R. Smith")
    assert not is_abbreviated("Pan Zhou")
    assert initial_form("Pan Zhou") == initial_form("P. Zhou") == initial_form("Zhou, P.") == "p zhou"


def _people(**people):
    return {pid: entry_record("person", pid, **data) for pid, data in people.items()}


PEOPLE = _people(**{
    "ada": {"name": "Ada Lovelace", "name_variants": ["Lovelace, A."]},
    "pan-zhou": {"name": "Pan Zhou", "name_zh": "周攀", "name_variants": ["Zhou, Pan"]},
    "wei-wang-a": {"name": "Wei Wang", "distinct_from": ["wei-wang-b"]},
    "wei-wang-b": {"name": "Wei Wang", "distinct_from": ["wei-wang-a"]},
})
PAPERS = [
    Paper("notes", ("Ada Lovelace", "Charles Babbage")),
    Paper("engine", ("A. Lovelace", "Wei Wang", "others"), ("wei-wang-a",)),
    Paper("shared", ("Wei Wang", "Charles Babbage")),
    Paper("cn", ("周 攀", "Babbage, Charles")),
    Paper("init", ("P. Zhou", "Ada Lovelace")),
    Paper("peng", ("Peng Zhou", "Ada Lovelace")),
    Paper("listed", (), ("pan-zhou",)),
]


def test_variants_merge_english_order_initials_and_characters():
    resolved = {a.key: a for a in resolve_all(PAPERS, PEOPLE)}
    assert resolved["notes"].persons == {"ada"}
    assert resolved["engine"].persons == {"ada", "wei-wang-a"} and resolved["engine"].truncated
    assert resolved["cn"].persons == {"pan-zhou"}
    assert resolved["init"].persons == {"pan-zhou", "ada"}
    # a full name never matches by its initials: Peng Zhou is not Pan Zhou
    assert resolved["peng"].persons == {"ada"}
    assert resolved["peng"].others == [("peng zhou", "Peng Zhou")]
    # "Babbage, Charles" and "Charles Babbage" are one co-author
    assert resolved["cn"].others == [("charles babbage", "Babbage, Charles")]
    assert resolved["listed"].persons == {"pan-zhou"} and resolved["listed"].authorless


def test_and_others_is_unknown_authors_never_a_person():
    resolved = {a.key: a for a in resolve_all(PAPERS, {**PEOPLE, **_people(others={"name": "Others"})})}
    assert resolved["engine"].truncated
    assert "others" not in resolved["engine"].persons
    assert all(form != "others" for form, _ in resolved["engine"].others)


def test_two_people_sharing_a_name_stay_distinct():
    resolved = {a.key: a for a in resolve_all(PAPERS, PEOPLE)}
    # the record names which Wei Wang it means; without that, neither is credited
    assert "wei-wang-b" not in resolved["engine"].persons
    assert resolved["shared"].persons == set() and resolved["shared"].ambiguous == ["Wei Wang"]
    counts = matrix(sorted(PEOPLE), list(resolved.values()))
    assert counts[("wei-wang-a", "wei-wang-a")] == 1 and counts[("wei-wang-b", "wei-wang-b")] == 0
    assert counts[("ada", "wei-wang-a")] == 1 and counts[("ada", "wei-wang-b")] == 0


def test_a_shared_name_without_distinct_from_is_refused():
    people = {"a": entry_record("person", "a", {"name_variants": 3}, name="Wei Wang"),
              "b": entry_record("person", "b", name="Wang, Wei", distinct_from=["a"])}
    problems = shared_names(people)
    assert [(p.location, p.subtype) for p in problems] == [("people/a.yaml:3", "duplicate")]
    assert "'wei wang' is also a name of b" in problems[0].message
    assert shared_names(PEOPLE) == []


def test_top_coauthors_with_counts():
    resolved = resolve_all(PAPERS, PEOPLE)
    names = {p: r.name for p, r in PEOPLE.items()}
    ada = coauthors("ada", resolved, names)
    assert ada.papers == 4 and ada.truncated == 1
    assert ada.top == [(None, "Charles Babbage", 1), ("pan-zhou", "Pan Zhou", 1),
                       (None, "Peng Zhou", 1), ("wei-wang-a", "Wei Wang", 1)]
    pan = coauthors("pan-zhou", resolved, names)
    assert pan.papers == 3 and pan.authorless == 1
    assert pan.top == [("ada", "Ada Lovelace", 1), (None, "Babbage, Charles", 1)]


# -- lineage ----------------------------------------------------------------------------------------


def _models(**links):
    lines = {k: i + 2 for i, k in enumerate(["base_model[0]", "new_version"])}
    return {mid: entry_record("model", mid, lines, **data) for mid, data in links.items()}


def test_lineage_unknown_id_and_cycle_are_located_ref_problems():
    models = _models(a={"base_model": ["b"]}, b={"base_model": ["a"]}, c={"base_model": ["ghost"]},
                     d={"base_model": ["org/hub-model"], "new_version": "proj"})
    problems, dropped = check(models, {"a", "b", "c", "d", "proj"})
    found = sorted((p.location, p.field, p.subtype, p.message.split(" (")[0]) for p in problems)
    assert found == [
        ("models/a.yaml:2", "base_model[0]", "ref",
         "base_model 'b' makes a cycle: the lineage of a leads back to it"),
        ("models/c.yaml:2", "base_model[0]", "ref", "base_model 'ghost' is no entry"),
        ("models/d.yaml:3", "new_version", "ref", "new_version 'proj' is an entry that is not a model"),
    ]
    assert {(link.source, link.target) for link in dropped} == {("a", "b"), ("c", "ghost"),
                                                                ("d", "proj")}


def test_families_oldest_first():
    # a newer version that also names its predecessor as base model is no cycle
    models = _models(qwen25={"new_version": "qwen3"}, coder={"base_model": ["qwen25"]},
                     qwen3={"base_model": ["qwen25"]}, alone={})
    problems, dropped = check(models, set(models))
    assert problems == []
    assert families(models, dropped) == [["qwen25", "coder", "qwen3"]]


# -- the built root ---------------------------------------------------------------------------------


@pytest.fixture
def src(rootdir, tmp_path):
    return copy_root(rootdir, "kb-people", tmp_path)


def test_person_pages_coauthors_and_matrix(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    assert warnings(app) == []
    ada = html(app.outdir, "people/ada.html")
    rows = [[td.get_text(strip=True) for td in tr.select("td")]
            for tr in ada.select("#co-authors tbody tr")]
    assert rows == [["Charles Babbage", "1"], ["Pan Zhou", "1"], ["Peng Zhou", "1"],
                    ["Wei Wang (wei-wang-a)", "1"]]
    assert 'end in "and others"' in ada.select_one("#co-authors").get_text()
    links = [a["href"] for a in ada.select(".kb-links a")]
    assert links == ["https://orcid.org/0000-0002-1825-0097"]
    matrix_rows = [[td.get_text(strip=True) for td in tr.select("td")]
                   for tr in html(app.outdir, "people/index.html").select(
                       "table.kb-collaboration tbody tr")]
    assert matrix_rows[0] == ["Ada Lovelace", "4", "1", "1", "0"]
    assert matrix_rows[3] == ["Wei Wang (wei-wang-b)", "0", "0", "0", "0"]
    # the project's people reference resolves to the person entry's page
    alpha = html(app.outdir, "projects/alpha.html")
    assert alpha.select_one(".kb-facts a[href$='people/ada.html']") is not None


def test_lineage_block(make_app, src):
    app, _ = build(make_app, src, freshenv=True)
    items = [li.get_text(" ", strip=True) for li in
             html(app.outdir, "models/base.html").select("#lineage li")]
    assert items == ["Newer version: Base v2", "Built on it (finetune): Tuned",
                     "Family (oldest first): Base · Base v2 · Tuned"]
    tuned = html(app.outdir, "models/tuned.html")
    hub = tuned.select_one("#lineage a[href='https://huggingface.co/someorg/some-model']")
    assert hub is not None


def test_bad_orcid_cycle_and_unknown_lineage_warn_with_locations(make_app, src):
    ada = src / "people/ada.yaml"
    touch(ada, ada.read_text(encoding="utf8").replace("1825-0097", "1825-0098"))
    (src / "models/loop.yaml").write_text("name: Loop\nsummary: L.\nareas: [language]\n"
                                          "base_model: [tuned]\n", encoding="utf8")
    tuned = src / "models/tuned.yaml"
    touch(tuned, tuned.read_text(encoding="utf8").replace("base_model: [base,",
                                                          "base_model: [loop, ghost, base,"))
    app, _ = build(make_app, src, freshenv=True)
    found = [w for w in warnings(app) if "toctree" not in w]
    assert any("people/ada.yaml:5: WARNING: orcid: ORCID iD 0000-0002-1825-0098 fails its check "
               "digit" in w and w.endswith("[kb.schema]") for w in found), found
    assert any("models/tuned.yaml:4: WARNING: base_model[1]: base_model 'ghost' is no entry" in w
               and w.endswith("[kb.ref]") for w in found), found
    assert any("models/tuned.yaml:4: WARNING: base_model[0]: base_model 'loop' makes a cycle" in w
               and w.endswith("[kb.ref]") for w in found), found


def test_same_name_without_distinct_from_warns(make_app, src):
    b = src / "people/wei-wang-b.yaml"
    touch(b, b.read_text(encoding="utf8").replace("distinct_from: [wei-wang-a]\n", ""))
    app, _ = build(make_app, src, freshenv=True)
    found = [w for w in warnings(app) if "kb.duplicate" in w]
    assert len(found) == 1 and "wei-wang-b.yaml" in found[0] and "distinct_from" in found[0]


# -- the ORCID and OpenAlex imports write ids into people entries ----------------------------------

DATA = __import__("pathlib").Path(__file__).parent / "data"


def _site(tmp_path):
    docs = tmp_path / "docs"
    for folder in ("research", "people", "projects", "models", "sources"):
        (docs / folder).mkdir(parents=True)
    (docs / "research" / "vision.md").write_text("# Vision\n")
    (docs / "sources" / "notes.yaml").write_text("name: Notes\nsummary: A lab notebook.\n")
    (docs / "people" / "jason-priem.yaml").write_text(
        "# a comment kept\nname: Jason Priem\nsummary: A person.\nsources: [notes]\n"
        "description: |\n  Prose.\n", encoding="utf8")
    (docs / "people" / "shohreh.yaml").write_text(
        "name: Shohreh Issazadeh-Navikas\nsummary: Another.\norcid: 0000-0002-1825-0097\n"
        "sources: [notes]\n", encoding="utf8")
    (tmp_path / "refs").mkdir()
    return docs


def test_import_openalex_writes_the_author_ids_into_the_matching_entry(tmp_path, capsys):
    from labkb.cli import main

    docs = _site(tmp_path)
    author = DATA / "openalex" / "author-A5023888391.2026-schema.internal-fields.json"
    args = ["import-openalex", str(author), "--docs", str(docs), "--refs", str(tmp_path / "refs")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "sets openalex A5023888391" in out and "sets orcid 0000-0001-6187-6610" in out
    entry = docs / "people" / "jason-priem.yaml"
    assert "orcid" not in entry.read_text(encoding="utf8")  # a dry run
    assert main([*args, "--write"]) == 0
    text = entry.read_text(encoding="utf8")
    assert text.startswith("# a comment kept\nname: Jason Priem\n")
    assert "\norcid: 0000-0001-6187-6610\n" in text and "\nopenalex: A5023888391\n" in text
    assert text.endswith("description: |\n  Prose.\n")
    assert main(["check", "--docs", str(docs)]) == 0
    capsys.readouterr()
    assert main([*args, "--write"]) == 0  # again: nothing changes
    assert "already has orcid" in capsys.readouterr().out
    assert entry.read_text(encoding="utf8") == text


def test_import_orcid_never_overwrites_an_id_and_refuses_a_bad_check_digit(tmp_path, capsys):
    from labkb.cli import main
    from labkb.importers.people import PersonFile, match_people

    docs = _site(tmp_path)
    record = DATA / "orcid" / "pyorcidator-record-v2.0-0000-0003-0369-424X.x-checksum.json"
    entry = docs / "people" / "shohreh.yaml"
    before = entry.read_text(encoding="utf8")
    assert main(["import-orcid", str(record), "--docs", str(docs), "--refs",
                 str(tmp_path / "refs"), "--write"]) == 0
    out = capsys.readouterr().out
    assert "has orcid 0000-0002-1825-0097, the file states 0000-0003-0369-424X; kept" in out
    assert entry.read_text(encoding="utf8") == before
    plan = match_people([("Ada", {"orcid": "0000-0002-1825-0098"})],
                        {"ada": PersonFile("ada", tmp_path / "ada.yaml")})
    assert plan.writes == [] and "not valid" in plan.lines[0]
