"""The page of one person entry (``docs/people/<id>.yaml``), rendered by ``kb-entry-page``.

Read time builds what the entry states: name, identifiers as links, role, affiliations with their
source, the MyST prose and the publication list. What is computed from the .bib records (the
figures beside the reported ones, papers per category, co-authors) is a placeholder filled at
write time by :mod:`labkb.sphinxext.people_figures`, so a .bib edit re-writes the page without re-reading it.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes

from labkb.core.bibdata import name_key
from labkb.core.people import Person, written_names
from labkb.core.provenance import shown_as_derived
from labkb.core.records import EntryRecord
from labkb.sphinxext.badges import badge, button, kind_badge, paragraph
from labkb.sphinxext.blocks import field_list, section
from labkb.sphinxext.domain import kb_domain
from labkb.sphinxext.nodes import kb_person_figures, kb_publications
from labkb.sphinxext.sources import derived_section, source_ref, sources_section

ID_LINKS = (("orcid", "ORCID", "https://orcid.org/{}"), ("dblp", "DBLP", "https://dblp.org/pid/{}"),
            ("openalex", "OpenAlex", "https://openalex.org/{}"), ("homepage", "Homepage", "{}"))


def person_page(directive: Any, record: EntryRecord) -> list[nodes.Node]:
    """The nodes of a person's page; ``directive`` is the running ``kb-entry-page``."""
    person = record.entry
    assert isinstance(person, Person)
    docname = directive.env.docname
    domain = kb_domain(directive.env)
    page = section(person.name, record.anchor)
    page["classes"] += ["kb-entry", "kb-kind-person"]
    page["names"] = [record.anchor]
    directive.state.document.note_explicit_target(page)
    page += paragraph(nodes.Text(person.summary), classes=["lead", "kb-summary"])
    badges: list[nodes.Node] = [kind_badge("person")]
    if person.role:
        badges.append(badge(person.role, "info", outline=True))
    page += paragraph(*badges, classes=["kb-badges"])
    links = [button(shown_as_derived(label, person.derived.get(field)), url.format(value))
             for field, label, url in ID_LINKS if (value := getattr(person, field))]
    if links:
        page += paragraph(*links, classes=["kb-links"])
    page += field_list(_facts(directive, person, docname))
    names = [] if person.distinct_from else sorted({name_key(n) for n in written_names(person)})
    domain.data["people_names"][docname] = names
    computed = kb_person_figures("", person=record.id)
    directive.set_source_info(computed)
    page += computed
    before = len(domain.data["pubs"].get(docname, []))
    if person.description:
        page.extend(directive.description(person.description))
    if len(domain.data["pubs"].get(docname, [])) == before:  # the prose placed no list itself
        page += _publications(directive, record.id, names)
    if person.sources:
        page += sources_section(person.sources, docname)
        # a person page is a page based on its sources (listed on theirs, as kb-sources pages)
        domain.data["page_sources"][docname] = list(person.sources)
    derived = derived_section(person)
    if derived is not None:
        page += derived
    return [page]


def _facts(directive: Any, person: Person, docname: str) -> list[tuple[str, list[nodes.Node]]]:
    rows: list[tuple[str, list[nodes.Node]]] = []
    if person.name_zh:
        rows.append(("Chinese name", [nodes.Text(person.name_zh)]))
    if person.name_variants:
        rows.append(("Written as", [nodes.Text("; ".join(person.name_variants))]))
    for item in person.affiliation:
        parts: list[nodes.Node] = [nodes.Text(item.name + " (as stated by "),
                                   source_ref(item.source, docname)]
        parts.append(nodes.Text(f", {item.locator})" if item.locator else ")"))
        rows.append(("Affiliation", parts))
    if person.areas:
        area_dir = directive.config.kb_area_dir
        rows.append(("Research areas", directive.joined(
            [directive.doc_ref(f"{area_dir}/{a}") for a in person.areas])))
    for other in person.distinct_from:
        rows.append(("Not to be confused with", [directive.doc_ref(
            f"{directive.config.kb_people_dir}/{other}")]))
    return rows


def _publications(directive: Any, person: str, names: list[str]) -> nodes.section:
    """The person's publication list (records listing the person, or naming one of the
    person's written names among their authors), with its statistics."""
    where: dict[str, Any] = {"person": [person]}
    if names:
        where["author"] = names
    docname = directive.env.docname
    selector = {"where": where, "group": "year", "limit": None, "stats": True, "title": "",
                "label": docname}
    kb_domain(directive.env).data["pubs"].setdefault(docname, []).append(selector)
    node = kb_publications("", selector=selector)
    directive.set_source_info(node)
    sec = section("Publications", "publications")
    sec += node
    return sec
