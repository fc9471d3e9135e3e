"""The core knowledge base: typed records and the queries pages and outputs ask, without Sphinx."""

from __future__ import annotations

import pickle

from labkb.core.kb import KnowledgeBase, Link
from labkb.core.loader import load_yaml
from labkb.core.provenance import SourceDoc
from labkb.core.records import EntryRecord
from labkb.core.schema import Context, Model, Project, validate

CONTEXT = Context(areas=frozenset({"nlp", "vision"}), people=frozenset({"ada"}),
                  entries=frozenset({"alpha", "beta", "gamma", "home"}),
                  papers=frozenset({"smith2024", "lee2023"}), sources=frozenset({"home"}))


def record(entry_id: str, kind: str, text: str) -> EntryRecord:
    folder = {"project": "projects", "model": "models", "source": "sources",
              "person": "people"}[kind]
    path = f"docs/{folder}/{entry_id}.yaml"
    result = validate(load_yaml(text, path), path, entry_id, kind, CONTEXT)
    assert not result.problems, result.problems
    assert result.entry is not None
    return EntryRecord(entry_id, kind, f"{folder}/{entry_id}", path, result.entry)  # type: ignore[arg-type]


ALPHA = """name: Alpha
summary: A project.
areas: [nlp]
people: [ada]
year: 2023
papers: [Smith2024]
related: [beta]
sources: [home]
"""
BETA = """name: Beta
summary: A model.
areas: [nlp, vision]
year: 2024
papers: [smith2024, lee2023]
base_model: [alpha]
sources: [{id: home, locator: the list of models}]
"""
HOME = """name: Home page
summary: The lab's home page.
"""


def kb() -> KnowledgeBase:
    papers = {"smith2024": {"key": "Smith2024", "year": 2024, "areas": ["nlp"], "authors": [],
                            "people": [], "selected": False},
              "lee2023": {"key": "lee2023", "year": 2023, "areas": ["vision"], "authors": [],
                          "people": ["ada"], "selected": True}}
    return KnowledgeBase([record("beta", "model", BETA), record("alpha", "project", ALPHA),
                          record("home", "source", HOME)], papers, {"nlp", "vision"}, {"ada"})


def test_records_are_the_validated_models():
    base = kb()
    alpha, beta, home = base.get("alpha"), base.get("beta"), base.get("home")
    assert alpha is not None and beta is not None and home is not None
    assert type(alpha.entry) is Project and type(beta.entry) is Model
    assert isinstance(home.entry, SourceDoc)
    assert alpha.research.year == 2023 and beta.research.sources[0].locator == "the list of models"
    assert alpha.anchor == "kb-project-alpha"
    assert alpha.dump()["sources"] == [{"id": "home"}]
    assert not home.is_research
    # records travel between processes (parallel reads) and into the pickled environment
    assert pickle.loads(pickle.dumps(beta)) == beta


def test_queries_return_records_in_a_stable_order():
    base = kb()
    assert [r.id for r in base.records()] == ["alpha", "beta", "home"]
    assert [r.id for r in base.research()] == ["alpha", "beta"]
    assert [r.id for r in base.source_records()] == ["home"]
    assert [r.id for r in base.select({"where": {"areas": ["vision"]}})] == ["beta"]
    assert [r.id for r in base.select({"where": {}, "sort": "-year"})] == ["beta", "alpha"]
    assert [r.id for r in base.select({"where": {"source": ["home"]}})] == ["alpha", "beta"]
    assert [r.id for r in base.select({"where": {"kind": ["source"]}})] == ["home"]


def test_links_are_typed_and_queried_both_ways():
    base = kb()
    links = set(base.links())
    assert Link("alpha", "person", "ada") in links
    assert Link("alpha", "related", "beta") in links
    assert Link("beta", "base_model", "alpha") in links
    assert Link("alpha", "paper", "smith2024") in links  # keys are case-folded
    assert [r.id for r in base.citing("SMITH2024")] == ["alpha", "beta"]
    assert [r.id for r in base.citing("lee2023")] == ["beta"]
    assert base.citing("nobody2020") == []
    assert [r.id for r in base.linking("area", "vision")] == ["beta"]
    assert [r.id for r in base.linking("source", "home")] == ["alpha", "beta"]


def test_publication_selection_is_newest_first_and_limited():
    base = kb()
    assert base.publications({"where": {}, "limit": None}) == ["Smith2024", "lee2023"]
    assert base.publications({"where": {"area": ["vision"]}, "limit": None}) == ["lee2023"]
    assert base.publications({"where": {"person": ["ada"]}, "limit": None}) == ["lee2023"]
    assert base.publications({"where": {"selected": True}, "limit": None}) == ["lee2023"]
    assert base.publications({"where": {}, "limit": 1}) == ["Smith2024"]


def test_first_record_of_an_id_wins_and_broken_files_are_left_out():
    alpha = record("alpha", "project", ALPHA)
    broken = EntryRecord("gamma", "project", "projects/gamma", "docs/projects/gamma.yaml", None)
    again = EntryRecord("alpha", "project", "projects/alpha2", "x.yaml", alpha.entry)
    base = KnowledgeBase([alpha, broken, again])
    assert len(base) == 1 and "gamma" not in base
    assert base.get("alpha") is alpha


GAMMA = """name: Gamma
summary: A newer model.
areas: [nlp]
organization: Lab X
base_model: [beta, org/hub-model]
base_model_relation: finetune
new_version: beta
sources: [home]
"""
ADA = """name: Ada Lovelace
summary: A person.
areas: [vision]
sources: [home]
affiliation: [{name: The Lab, source: home}]
"""


def test_links_hold_lineage_organisations_and_what_people_records_state():
    base = KnowledgeBase([record("alpha", "project", ALPHA), record("gamma", "model", GAMMA),
                          record("ada", "person", ADA), record("home", "source", HOME)])
    links = list(base.links())
    gamma = [link for link in links if link.source == "gamma"]
    assert [(link.relation, link.target, link.how) for link in gamma
            if link.relation in ("organisation", "base_model", "new_version")] == [
        ("organisation", "Lab X", ""), ("base_model", "beta", "finetune"),
        ("base_model", "org/hub-model", "finetune"), ("new_version", "beta", "")]
    # how a link holds qualifies it but takes no part in comparing links
    assert Link("gamma", "base_model", "beta") in gamma
    assert [(link.relation, link.target) for link in links if link.source == "ada"] == [
        ("area", "vision"), ("source", "home"), ("source", "home")]
    assert [r.id for r in base.linking("source", "home")] == ["ada", "alpha", "gamma"]
    assert [r.id for r in base.linking("area", "vision")] == ["ada"]
    assert [r.id for r in base.linking("base_model", "beta")] == ["gamma"]
    # links come record by record in id order
    assert [link.source for link in links] == sorted(link.source for link in links)
