"""Generate a synthetic knowledge base for the benchmark, in two variants of the same content.

``labkb``: entries are YAML files read by the project's extension; grids (``kb-grid``) list them.
``baseline``: the same facts as hand-written MyST pages, plain link lists instead of grids, and no
labkb extension. Both use the repository's ``conf.py`` (same theme, MyST, sphinx-design,
sphinxcontrib-bibtex, search language) plus a tiny counting extension (``_counter.py``).

Everything is deterministic: the same ``(n, m)`` always gives the same files.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

N_AREAS = 20
N_PEOPLE = 12
AREAS = [f"area-{k:02d}" for k in range(1, N_AREAS + 1)]
PEOPLE = [f"person-{k:02d}" for k in range(1, N_PEOPLE + 1)]


def _words(text: str) -> list[str]:
    return text.split()


WORDS = _words("language vision speech agent reasoning memory retrieval diffusion optimizer "
               "scaling alignment robustness tokenizer attention sparse dense graph planning "
               "embodied tool safety long-context pretraining distillation quantization "
               "evaluation benchmark multimodal compression inference")
TAGS = [f"{a} {b}" for a, b in zip(WORDS, WORDS[7:] + WORDS[:7], strict=True)]
STATUSES = ["active", "released", "maintained", "archived"]
SURNAMES = _words("Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao "
                  "Luo Smith Garcia Müller Rossi Dubois")
GIVEN = _words("Wei Fang Min Jing Lei Yan Tao Hao Xin Jun Anna Marco Sara Paul Lena")

VARIANTS = ("labkb", "baseline")


@dataclass
class Entry:
    index: int
    kind: str  # project | model
    id: str
    areas: list[str]
    tags: list[str]
    year: int
    status: str
    people: list[str]
    papers: list[str]
    related: list[str] = field(default_factory=list)
    base_model: str = ""  # lineage (models): every eighth builds on the model four before it
    new_version: str = ""

    @property
    def folder(self) -> str:
        return "models" if self.kind == "model" else "projects"

    @property
    def docname(self) -> str:
        return f"{self.folder}/{self.id}"

    @property
    def name(self) -> str:
        return f"{'Model' if self.kind == 'model' else 'Project'} {self.index:04d}"

    @property
    def summary(self) -> str:
        w = WORDS[self.index % len(WORDS)]
        v = WORDS[(self.index * 3) % len(WORDS)]
        return (f"A synthetic {self.kind} number {self.index} about {w} and {v}, generated for "
                f"the build benchmark.")

    @property
    def description(self) -> str:
        w = WORDS[(self.index * 5) % len(WORDS)]
        return (f"**{self.name}** studies *{w}* at scale. It is described here in two short "
                f"paragraphs so that the page has some parsed MyST content, like `code` and "
                f"[a link](https://example.org/{self.id}).\n\nThe second paragraph repeats "
                f"what the summary says: {self.summary}")


def bib_key(k: int) -> str:
    return f"bench{k:05d}"


def entry_id(i: int) -> str:
    return f"{'m' if i % 4 == 0 else 'p'}-{i:04d}"


def make_entries(n: int, m: int) -> list[Entry]:
    """``n`` entries (every fourth a model) across the 20 areas, citing keys among ``m``."""
    out = []
    for i in range(1, n + 1):
        areas = [AREAS[(i - 1) % N_AREAS]]
        if i % 3 == 0 and AREAS[(i * 7) % N_AREAS] not in areas:
            areas.append(AREAS[(i * 7) % N_AREAS])
        people = list(dict.fromkeys([PEOPLE[i % N_PEOPLE], PEOPLE[(i * 5) % N_PEOPLE]]))
        papers = list(dict.fromkeys([bib_key((i * 37) % m + 1), bib_key((i * 101 + 7) % m + 1)])) \
            if m else []
        related = [entry_id(j) for j in (i - 1, i + 1) if 1 <= j <= n]
        out.append(Entry(i, "model" if i % 4 == 0 else "project", entry_id(i), areas,
                         [TAGS[(i * k) % len(TAGS)] for k in (1, 3, 7)][: 1 + i % 3],
                         2010 + i % 15, STATUSES[i % len(STATUSES)], people, papers, related,
                         entry_id(i - 4) if i % 8 == 0 and i > 4 else "",
                         entry_id(i + 4) if i % 16 == 12 and i + 4 <= n else ""))
    return out


# -- entries ---------------------------------------------------------------------------------------
def _yaml_list(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def entry_yaml(e: Entry) -> str:
    lines = [
        f"name: {e.name}",
        f"summary: {e.summary}",
        "description: |",
        *("  " + line if line else "" for line in e.description.splitlines()),
        f"areas: {_yaml_list(e.areas)}",
        f"tags: {_yaml_list(e.tags)}",
        f"status: {e.status}",
        f"year: {e.year}",
        f"people: {_yaml_list(e.people)}",
        "links:",
        f"  code: https://example.org/code/{e.id}",
    ]
    if e.papers:
        lines.append(f"papers: {_yaml_list(e.papers)}")
    if e.related:
        lines.append(f"related: {_yaml_list(e.related)}")
    if e.kind == "model":
        lines += [
            "modalities: [image, text]",
            f"parameters: {1 + e.index % 70}B",
            "architecture:",
            "- name: Encoder",
            "  description: A transformer encoder over image patches.",
            "- name: Decoder",
            "  description: A language model that reads the encoder's tokens.",
            "capabilities:",
            "- name: Question answering",
            "  description: Answers questions about an image.",
            "- name: Captioning",
            "  description: Describes an image in one sentence.",
            "license: apache-2.0",
        ]
        if e.base_model:
            lines += [f"base_model: [{e.base_model}]", "base_model_relation: finetune"]
        if e.new_version:
            lines.append(f"new_version: {e.new_version}")
    return "\n".join(lines) + "\n"


def entry_markdown(e: Entry) -> str:
    """The hand-written page with the same facts as the generated one (no labkb)."""
    badges = " · ".join([e.kind, e.status, str(e.year), *e.tags])
    lines = [
        f"# {e.name}", "",
        e.summary, "",
        badges, "",
        f"[Code](https://example.org/code/{e.id})", "",
        e.description, "",
        ":Research areas: " + ", ".join(f"{{doc}}`/research/{a}`" for a in e.areas),
        ":People: " + ", ".join(f"{{doc}}`/people/{p}`" for p in e.people), "",
    ]
    if e.kind == "model":
        lines += [
            "## Model details", "",
            ":Modalities: image, text",
            f":Parameters: {1 + e.index % 70}B", "",
            "### Architecture", "",
            "Encoder", ": A transformer encoder over image patches.", "",
            "Decoder", ": A language model that reads the encoder's tokens.", "",
            "## Capabilities", "",
            "Question answering", ": Answers questions about an image.", "",
            "Captioning", ": Describes an image in one sentence.", "",
            "## Model card metadata", "",
            ":License: apache-2.0", "",
        ]
    if e.papers:
        lines += ["## Papers", "", *(f"- {{cite:t}}`{k}`" for k in e.papers), ""]
    if e.related:
        lines += ["## Related", "",
                  *(f"- {{doc}}`/{'models' if r.startswith('m-') else 'projects'}/{r}`"
                    for r in e.related), ""]
    return "\n".join(lines)


# -- bibliography ----------------------------------------------------------------------------------
def record_person(k: int) -> str | None:
    """The person (of the site's people pages) a record lists in ``people``: every third one."""
    return PEOPLE[(k // 3) % N_PEOPLE] if k % 3 == 0 else None


def record_authors(k: int) -> list[str]:
    return [f"{SURNAMES[(k * j) % len(SURNAMES)]}, {GIVEN[(k + j) % len(GIVEN)]}"
            for j in range(1, 2 + k % 4)]


def record_title(k: int) -> str:
    w = WORDS[k % len(WORDS)]
    return f"Synthetic study {k} of {w} and {WORDS[(k * 7) % len(WORDS)]}"


def bib_record(k: int, title: str | None = None) -> str:
    w = WORDS[k % len(WORDS)]
    title = title or record_title(k)
    person = record_person(k)
    return (f"@article{{{bib_key(k)},\n"
            f"  title = {{{title}}},\n"
            f"  author = {{{' and '.join(record_authors(k))}}},\n"
            f"  year = {{{2000 + k % 25}}},\n"
            f"  journal = {{Journal of Synthetic {w.capitalize()}}},\n"
            f"  volume = {{{k % 40 + 1}}},\n"
            f"  pages = {{{k % 300 + 1}--{k % 300 + 12}}},\n"
            f"  keywords = {{{AREAS[k % N_AREAS]}}},\n"
            + (f"  people = {{{person}}},\n" if person else "")
            + f"  abstract = {{We study {w} in a synthetic setting; record {k} of the benchmark.}}\n"
            f"}}\n")


def copyable_bibtex(k: int) -> list[str]:
    """The record as a publication list shows it for copying (no site-only fields)."""
    w = WORDS[k % len(WORDS)]
    return [f"@article{{{bib_key(k)},", f'    author = "{" and ".join(record_authors(k))}",',
            f'    title = "{record_title(k)}",', f'    year = "{2000 + k % 25}",',
            f'    journal = "Journal of Synthetic {w.capitalize()}",',
            f'    volume = "{k % 40 + 1}",', f'    pages = "{k % 300 + 1}--{k % 300 + 12}"', "}"]


def publications_md(ks: list[int]) -> str:
    """The hand-written publication list of records ``ks`` (baseline): what ``kb-publications``
    with ``:stats:`` shows as text, newest first and grouped by year, counts computed here (the
    papers-per-year chart has no hand-written counterpart), each record with its abstract and its
    BibTeX, as the generated list shows them."""
    if not ks:
        return "No publications yet.\n"
    years = {k: 2000 + k % 25 for k in ks}
    lines = [f":Papers: {len(ks)}", f":Years: {min(years.values())}–{max(years.values())}", "",
             f"{len(ks)} publications", ""]
    for year in sorted(set(years.values()), reverse=True):
        members = sorted((k for k in ks if years[k] == year), key=lambda k: bib_key(k))
        lines += [f"**{year}** ({len(members)})", ""]
        for k in members:
            w = WORDS[k % len(WORDS)]
            names = ", ".join(" ".join(reversed(a.split(", "))) for a in record_authors(k))
            lines += [f"- **{record_title(k)}**  ", f"  {names}  ",
                      f"  *Journal of Synthetic {w.capitalize()}, {year}*", "",
                      f"  We study {w} in a synthetic setting; record {k} of the benchmark.", "",
                      "  ```bibtex", *("  " + line for line in copyable_bibtex(k)), "  ```", ""]
    return "\n".join(lines) + "\n"


def bib_text(m: int) -> str:
    return "% Synthetic records of the labkb build benchmark.\n\n" + "\n".join(
        bib_record(k) for k in range(1, m + 1))


# -- pages -----------------------------------------------------------------------------------------
def area_title(area: str) -> str:
    return "Area " + area.split("-")[1]


def index_md() -> str:
    return ("# Benchmark knowledge base\n\nA synthetic knowledge base generated by "
            "`benchmarks/sitegen.py`.\n\n```{toctree}\n:hidden:\n:maxdepth: 1\n\n"
            "research/index\nprojects/index\nmodels/index\npublications\nreferences\n"
            "people/index\ngraph\n```\n")


def research_index_md(entries: list[Entry], m: int, variant: str) -> str:
    """The research index: ``kb-overview`` (labkb), or the same counts as a hand-written table."""
    head = "# Research\n\nThe research areas.\n\n"
    toctree = "```{toctree}\n:maxdepth: 1\n\n" + "\n".join(AREAS) + "\n```\n"
    if variant == "labkb":
        return head + "```{kb-overview}\n```\n\n" + toctree
    rows = ["| Area | Entries | Papers |", "|---|---|---|"]
    for i, area in enumerate(AREAS):
        papers = sum(1 for k in range(1, m + 1) if k % N_AREAS == i)
        rows.append(f"| {area_title(area)} | {sum(area in e.areas for e in entries)} | {papers} |")
    return head + "\n".join(rows) + "\n\n" + toctree


def area_md(area: str, entries: list[Entry], variant: str) -> str:
    head = (f"# {area_title(area)}\n\n{area_title(area)} is one of the twenty synthetic research "
            f"areas of the benchmark.\n\n## Sub-topics\n\n- {WORDS[int(area[-2:])]}\n"
            f"- {WORDS[int(area[-2:]) + 1]}\n\n## Projects and models\n\n")
    if variant == "labkb":
        return head + f"```{{kb-grid}}\n:area: {area}\n```\n"
    shown = sorted((e for e in entries if area in e.areas), key=lambda e: e.name.casefold())
    return head + "".join(f"- {{doc}}`/{e.docname}`\n" for e in shown) if shown else \
        head + "No entries yet.\n"


def section_index_md(kind: str, entries: list[Entry], variant: str) -> str:
    title = "Models" if kind == "model" else "Projects"
    head = f"# {title}\n\n{title} of the synthetic knowledge base, each with its own page.\n\n"
    toctree = "```{toctree}\n:hidden:\n:glob:\n\n*\n```\n"
    if variant == "labkb":
        return head + f"```{{kb-grid}}\n:kind: {kind}\n```\n\n" + toctree
    shown = sorted((e for e in entries if e.kind == kind), key=lambda e: e.name.casefold())
    body = "".join(f"- {{doc}}`/{e.docname}`\n" for e in shown) or "No entries yet.\n"
    return head + body + "\n" + toctree


def people_index_md() -> str:
    return ("# People\n\nThe people of the synthetic knowledge base.\n\n```{toctree}\n:maxdepth: 1\n"
            ":glob:\n\n*\n```\n")


def person_yaml(person: str) -> str:
    """The labkb variant's person entry: named as some records' authors write it."""
    k = int(person[-2:])
    given, family = GIVEN[k % len(GIVEN)], SURNAMES[k % len(SURNAMES)]
    return (f"name: {given} {family}\nname_variants: ['{family}, {given}']\n"
            f"summary: A synthetic researcher working on {WORDS[k]} and {WORDS[k + 2]}.\n"
            f"areas: [{AREAS[k - 1]}, {AREAS[(k * 3) % N_AREAS]}]\n")


def person_md(person: str, m: int, variant: str) -> str:
    """A person page; its publications (records listing the person in ``people``) as
    ``kb-publications`` with ``:stats:`` (labkb) or hand-written (baseline)."""
    k = int(person[-2:])
    head = (f"# Person {k:02d}\n\nA synthetic researcher working on {WORDS[k]} and "
            f"{WORDS[k + 2]}.\n\n## Research topics\n\n1. {{doc}}`../research/{AREAS[k - 1]}`\n"
            f"2. {{doc}}`../research/{AREAS[(k * 3) % N_AREAS]}`\n\n## Publications\n\n")
    if variant == "labkb":
        return head + f"```{{kb-publications}}\n:person: {person}\n:stats:\n```\n"
    return head + publications_md([j for j in range(1, m + 1) if record_person(j) == person])


def site_publications_md(m: int, variant: str) -> str:
    """Every paper, newest first (``kb-publications`` with ``:stats:``, or hand-written)."""
    head = "# Publications\n\nThe papers of the knowledge base, newest first.\n\n"
    if variant == "labkb":
        return head + "```{kb-publications}\n:stats:\n```\n"
    return head + publications_md(list(range(1, m + 1)))


def graph_md(variant: str) -> str:
    """The Graph page: ``kb-graph`` (labkb); the baseline has no equivalent a writer could keep by
    hand, so its page is the heading and the paragraph only (the graph's cost is labkb's)."""
    head = ("# Graph\n\nHow the entries, people, papers and research areas of the knowledge base "
            "link up.\n\n")
    return head + "```{kb-graph}\n```\n" if variant == "labkb" else head


REFERENCES_MD = ("# References\n\nEvery paper of the knowledge base.\n\n```{bibliography}\n:all:\n"
                 "```\n")

CONF_APPEND = '''

# -- appended by benchmarks/sitegen.py -------------------------------------------------------------
import sys as _sys

_sys.path.insert(0, str(ROOT))  # for _counter.py
extensions = [e for e in extensions if {keep}] + ["_counter"]
nitpicky = True
# the synthetic entries name no source records (the baseline has none to compare with)
kb_require_sources = False
'''


#: ``--patch-pybtex``: pybtex 0.26 looks plugins up in the installed packages' entry points
#: (importlib.metadata) on every ``find_plugin`` call, e.g. every ``Text.render_as("text")``:
#: about 25 ms a call here. Caching the lookup is a workaround to measure everything else.
PYBTEX_PATCH = """
import functools as _functools

import pybtex.plugin as _pybtex_plugin

if not hasattr(_pybtex_plugin._load_entry_point, "cache_info"):
    _pybtex_plugin._load_entry_point = _functools.cache(_pybtex_plugin._load_entry_point)
"""


def build_env() -> dict[str, str]:
    """The environment of a build of a generated project: the extension of this checkout first
    on the path (whose commit and digest the results record, not whichever copy the virtualenv
    has installed), and a fixed hash seed."""
    path = os.pathsep.join(p for p in (str(REPO / "ext"), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": path}


def write_conf(root: Path, variant: str, patch_pybtex: bool = False, extra_conf: str = "") -> None:
    """The repository's conf.py, verbatim, then the variant's extension list and the counter."""
    text = (REPO / "conf.py").read_text(encoding="utf8")
    keep = "True" if variant == "labkb" else 'e != "labkb"'
    text += CONF_APPEND.format(keep=keep)
    if patch_pybtex:
        text += PYBTEX_PATCH
    text += extra_conf
    (root / "conf.py").write_text(text, encoding="utf8")
    shutil.copy2(HERE / "_counter.py", root / "_counter.py")
    # the templates conf.py names (the theme's accessibility fixes, the search markup): both
    # variants use them, as the real site does
    shutil.copytree(REPO / "docs" / "_templates", root / "docs" / "_templates",
                    dirs_exist_ok=True)


@dataclass
class Site:
    root: Path
    variant: str
    n: int
    m: int
    entries: list[Entry]

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def build(self) -> Path:
        return self.root / "_build"

    def source(self, e: Entry) -> Path:
        suffix = ".yaml" if self.variant == "labkb" else ".md"
        return self.docs / e.folder / f"{e.id}{suffix}"

    @property
    def bibfile(self) -> Path:
        return self.root / "refs" / "bench.bib"

    def docnames(self) -> list[str]:
        fixed = ["index", "research/index", "projects/index", "models/index", "publications",
                 "references", "people/index", "graph"]
        return (fixed + [f"research/{a}" for a in AREAS] + [f"people/{p}" for p in PEOPLE]
                + [e.docname for e in self.entries])


def generate(root: Path, n: int, m: int, variant: str, patch_pybtex: bool = False,
             extra_conf: str = "") -> Site:
    """Write the whole project (conf.py, docs/, refs/) into ``root`` (created, must be empty).

    ``extra_conf`` is appended to the generated ``conf.py`` (tests use it to make builds faster).
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}")
    entries = make_entries(n, m)
    docs = root / "docs"
    for sub in ("research", "projects", "models", "people"):
        (docs / sub).mkdir(parents=True, exist_ok=True)
    (root / "refs").mkdir(parents=True, exist_ok=True)
    write_conf(root, variant, patch_pybtex, extra_conf)
    files: dict[str, str] = {
        "index.md": index_md(),
        "research/index.md": research_index_md(entries, m, variant),
        "publications.md": site_publications_md(m, variant),
        "projects/index.md": section_index_md("project", entries, variant),
        "models/index.md": section_index_md("model", entries, variant),
        "people/index.md": people_index_md(),
        "references.md": REFERENCES_MD,
        "graph.md": graph_md(variant),
    }
    for area in AREAS:
        files[f"research/{area}.md"] = area_md(area, entries, variant)
    for person in PEOPLE:
        if variant == "labkb":  # a person entry; its page lists its publications with :stats:
            files[f"people/{person}.yaml"] = person_yaml(person)
        else:
            files[f"people/{person}.md"] = person_md(person, m, variant)
    for e in entries:
        if variant == "labkb":
            files[f"{e.folder}/{e.id}.yaml"] = entry_yaml(e)
        else:
            files[f"{e.folder}/{e.id}.md"] = entry_markdown(e)
    for rel, text in files.items():
        (docs / rel).write_text(text, encoding="utf8")
    (root / "refs" / "bench.bib").write_text(bib_text(m), encoding="utf8")
    return Site(root, variant, n, m, entries)


# -- edits for incremental builds --------------------------------------------------------------------
def _touch_now(path: Path) -> None:
    """Make sure the file is newer than anything the last build read or wrote."""
    time.sleep(0.01)
    now = time.time()
    os.utime(path, (now, now))


def edited_entry(site: Site) -> Entry:
    """The entry the YAML-edit case changes: a project in the middle, with neighbours."""
    middle = [e for e in site.entries if e.kind == "project" and e.index >= len(site.entries) // 2]
    return (middle or site.entries)[0]


def edit_entry(site: Site) -> Entry:
    """Change one entry's summary (the YAML file, or the hand-written page's summary line).

    Each call toggles the summary between two texts, so the edit can be repeated.
    """
    e = edited_entry(site)
    path = site.source(e)
    text = path.read_text(encoding="utf8")
    edited = e.summary.replace("generated for", "edited for")
    new = text.replace(e.summary, edited, 1) if e.summary in text else \
        text.replace(edited, e.summary, 1)
    if new == text:
        raise RuntimeError(f"could not edit {path}")
    path.write_text(new, encoding="utf8")
    _touch_now(path)
    return e


def edited_key(site: Site) -> str:
    """The bib record the bib-edit case changes: the first paper of the edited entry."""
    e = edited_entry(site)
    return e.papers[0]


def edit_bib(site: Site) -> str:
    """Change the title of one bib record (toggling an "Edited" prefix, so it can be repeated)."""
    key = edited_key(site)
    text = site.bibfile.read_text(encoding="utf8")
    pattern = re.compile(r"(@article\{" + key + r",\n  title = \{)(Edited )?")
    new, count = pattern.subn(lambda mt: mt.group(1) + ("" if mt.group(2) else "Edited "), text,
                              count=1)
    if count != 1:
        raise RuntimeError(f"could not edit bib record {key}")
    site.bibfile.write_text(new, encoding="utf8")
    _touch_now(site.bibfile)
    return key


def toctree_parent(docname: str) -> str | None:
    """The page whose toctree lists ``docname``. Sphinx re-writes it whenever it re-writes
    ``docname`` (``env.files_to_rebuild``), whatever extension asked for the re-write."""
    if docname == "index":
        return None
    folder, _, leaf = docname.rpartition("/")
    if not folder or leaf == "index":
        return "index"
    return f"{folder}/index"


def pages_showing_entry(site: Site, e: Entry) -> set[str]:
    """Pages that display ``e``'s summary or name: what an edit of its summary must re-write.

    labkb: its page, the grids of its kind and areas (cards show the summary) and the pages of
    entries relating to it (they show its name). Baseline: lists are plain links showing the page
    title, which the edit does not change, so only the page itself.
    """
    if site.variant != "labkb":
        return {e.docname}
    out = {e.docname, f"{e.folder}/index"} | {f"research/{a}" for a in e.areas}
    out |= {o.docname for o in site.entries if e.id in o.related}
    return out


def pages_showing_key(site: Site, key: str) -> set[str]:
    """Pages that display a bib record: the bibliography and every page citing it; with labkb
    also the publication lists showing it (all papers, its person's page) and the overview
    (which counts papers). Hand-written lists are text: an edit of the .bib leaves them as they
    are (stale), so the baseline re-writes none of them."""
    out = {"references"} | {e.docname for e in site.entries if key in e.papers}
    if site.variant == "labkb":
        k = int(key.removeprefix("bench"))
        # the Graph page names every paper by its title
        out |= {"publications", "research/index", "graph"}
        person = record_person(k)
        if person:
            out.add(f"people/{person}")
        if _area_shows(site, k):
            out.add(f"research/{AREAS[k % N_AREAS]}")
    return out


#: Nodes a page's graph neighbourhood shows (``labkb.core.graph.NEIGHBOURHOOD_LIMIT``).
NEIGHBOURHOOD = 40


def _area_shows(site: Site, k: int) -> bool:
    """Whether record ``k``'s area page shows it in its neighbourhood, before or after the title
    edit: the area's neighbours are its entries, then its records (their ``keywords``) by title
    (``labkb.core.graph.neighbourhood``), the first ``NEIGHBOURHOOD - 1`` of them shown."""
    area = AREAS[k % N_AREAS]
    room = NEIGHBOURHOOD - 1 - sum(area in e.areas for e in site.entries)
    if room <= 0:
        return False
    others = [(record_title(j).casefold(), bib_key(j)) for j in range(k % N_AREAS, site.m, N_AREAS)
              if j != k]
    for title in (record_title(k), f"Edited {record_title(k)}"):
        ranked = sorted([*others, (title.casefold(), bib_key(k))])
        if ranked.index((title.casefold(), bib_key(k))) < room:
            return True
    return False
