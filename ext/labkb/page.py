"""The page of one entry: ``kb-entry-page``, the directive every entry YAML document consists of.

Everything is built as nodes from validated data; plain-text fields become ``Text`` nodes (escaped
by the writer) and only ``description`` is parsed, as MyST, with raw HTML removed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import roles
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .badges import KIND_COLOURS, badge, button, paragraph
from .schema import unsafe_uri

logger = logging.getLogger(__name__)

LINK_LABELS = {
    "code": "Code", "paper": "Paper", "arxiv": "arXiv", "pdf": "PDF", "homepage": "Homepage",
    "demo": "Demo", "docs": "Documentation", "huggingface": "Hugging Face",
    "modelscope": "ModelScope", "blog": "Blog", "video": "Video",
}

#: Model-card sections made of named items, in page order: (field, title, section id).
ITEM_SECTIONS = [
    ("capabilities", "Capabilities", "capabilities"),
    ("applications", "Applications", "applications"),
    ("limitations", "Bias, risks and limitations", "limitations"),
    ("significance", "Open-source significance", "significance"),
    ("outlook", "Outlook", "outlook"),
]

METADATA_FIELDS = [
    ("license", "License"), ("language", "Languages"), ("pipeline_tag", "Task (pipeline tag)"),
    ("library_name", "Library"), ("datasets", "Datasets"), ("base_model", "Base model"),
]


def _section(title: str, ident: str) -> nodes.section:
    sec = nodes.section("", ids=[ident], names=[nodes.fully_normalize_name(title)])
    sec += nodes.title("", title)
    return sec


def _bullets(items: list[nodes.Node]) -> nodes.bullet_list:
    out = nodes.bullet_list()
    for item in items:
        li = nodes.list_item()
        li += item if isinstance(item, nodes.Body) else paragraph(item)
        out += li
    return out


def _items(items: list[dict[str, str]], enumerated: bool = False) -> nodes.Element:
    """Named items as a definition list (or an enumerated list for ordered stages)."""
    if enumerated:
        out = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        for item in items:
            li = nodes.list_item()
            para = paragraph(nodes.strong("", item["name"]))
            if item.get("description"):
                para += nodes.Text(": " + item["description"])
            li += para
            out += li
        return out
    out = nodes.definition_list(classes=["kb-items"])
    for item in items:
        dli = nodes.definition_list_item()
        dli += nodes.term("", item["name"])
        definition = nodes.definition()
        if item.get("description"):
            definition += paragraph(nodes.Text(item["description"]))
        dli += definition
        out += dli
    return out


def _field_list(rows: list[tuple[str, list[nodes.Node]]]) -> nodes.field_list:
    out = nodes.field_list(classes=["kb-facts"])
    for name, value in rows:
        field = nodes.field()
        field += nodes.field_name("", name)
        body = nodes.field_body()
        body += paragraph(*value)
        field += body
        out += field
    return out


def _text_list(values: list[Any]) -> list[nodes.Node]:
    return [nodes.Text(", ".join(str(v) for v in values))] if isinstance(values, list) else \
        [nodes.Text(str(values))]


def _table(header: list[str], rows: list[list[nodes.Node]], classes: list[str]) -> nodes.table:
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    thead = nodes.thead()
    group += thead
    row = nodes.row()
    for name in header:
        row += nodes.entry("", paragraph(nodes.Text(name)))
    thead += row
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            row += nodes.entry("", paragraph(cell))
        body += row
    return table


class EntryPageDirective(SphinxDirective):
    """Render the entry recorded for the current document by :class:`labkb.parser.EntryParser`."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        domain = self.env.get_domain("kb")
        record = domain.data["docs"].get(self.env.docname)
        if record is None:
            return []
        if self.env.temp_data.get("kb_entry_page"):  # used in a description: it would recurse
            logger.warning("kb-entry-page: only for entry files, not in a description",
                           location=self.get_location(), type="kb", subtype="directive")
            return []
        self.env.temp_data["kb_entry_page"] = True
        try:
            return self.page(record)
        finally:
            del self.env.temp_data["kb_entry_page"]

    def page(self, record: dict[str, Any]) -> list[nodes.Node]:
        entry_id, kind, data = record["id"], record["kind"], record["data"]
        if data is None:
            sec = _section(entry_id, record["anchor"])
            sec += nodes.paragraph("", "This entry could not be built: see the build warnings.",
                                   classes=["kb-broken"])
            return [sec]
        self.record = record
        page = _section(data["name"], record["anchor"])
        page["classes"] += ["kb-entry", f"kb-kind-{kind}"]
        # the label is the anchor, unique per entry: display names repeat ("OFA" the project and
        # the model) or are Sphinx's own labels ("Search"), a "duplicate label" warning each
        page["names"] = [record["anchor"]]
        self.state.document.note_explicit_target(page)
        page += paragraph(nodes.Text(data["summary"]), classes=["lead", "kb-summary"])
        page += self.meta_badges(record)
        buttons = self.link_buttons(data)
        if buttons is not None:
            page += buttons
        if data.get("image"):
            uri = data["image"] if "://" in data["image"] else "/" + data["image"]
            image = nodes.image(uri=uri, alt=data["name"], classes=["kb-image"])
            image.source, image.line = record["path"], self.line("image")  # "not readable" here
            page += image
        if data.get("description"):
            page.extend(self.description(data["description"]))
        page += self.facts(data)
        if kind == "model":
            page.extend(self.model_card(data))
        if data.get("papers"):
            sec = _section("Papers", "papers")
            sec += _bullets([paragraph(*self.cite(key, i)) for i, key in
                             enumerate(data["papers"])])
            page += sec
        if data.get("related"):
            sec = _section("Related", "related")
            sec += _bullets([paragraph(self.entry_ref(r)) for r in data["related"]])
            page += sec
        return [page]

    # -- pieces ----------------------------------------------------------------------------------
    def line(self, field: str) -> int:
        return self.record.get("lines", {}).get(field, 1)

    def entry_ref(self, target: str) -> addnodes.pending_xref:
        self.env.get_domain("kb").note_reference(self.env.docname, target)
        ref = addnodes.pending_xref("", nodes.inline("", target), refdomain="kb", reftype="entry",
                                    reftarget=target, refexplicit=False, refwarn=True,
                                    refdoc=self.env.docname)
        return ref

    def doc_ref(self, docname: str) -> addnodes.pending_xref:
        return addnodes.pending_xref("", nodes.inline("", docname.rsplit("/", 1)[-1]),
                                     refdomain="std", reftype="doc", reftarget="/" + docname,
                                     refexplicit=False, refwarn=True, refdoc=self.env.docname)

    def meta_badges(self, record: dict[str, Any]) -> nodes.paragraph:
        data = record["data"]
        items: list[nodes.Node] = [badge(record["kind"], KIND_COLOURS.get(record["kind"],
                                                                         "secondary"))]
        for field, colour in (("status", "info"), ("year", "secondary"), ("venue", "dark")):
            if data.get(field):
                items.append(badge(str(data[field]), colour, outline=True))
        items += [badge(t, "secondary", outline=True, extra=("kb-tag",))
                  for t in data.get("tags", [])]
        return paragraph(*items, classes=["kb-badges"])

    def link_buttons(self, data: dict[str, Any]) -> nodes.paragraph | None:
        items: list[nodes.Node] = [button(LINK_LABELS[k], url)
                                   for k, url in data.get("links", {}).items()]
        repo = data.get("github")
        if repo:
            items.append(button(f"GitHub: {repo}", f"https://github.com/{repo}", "secondary"))
            if self.config.kb_star_badges:
                items.append(nodes.image(uri=f"https://img.shields.io/github/stars/{repo}"
                                             "?style=social", alt=f"GitHub stars of {repo}",
                                         classes=["kb-stars"]))
        return paragraph(*items, classes=["kb-links"]) if items else None

    def description(self, text: str) -> list[nodes.Node]:
        settings = self.state.document.settings
        # no include, literalinclude or raw :file: (files of the build machine) in descriptions
        saved, settings.file_insertion_enabled = settings.file_insertion_enabled, False
        try:
            parsed = self.parse_text_to_nodes(text, offset=self.line("description"))
        finally:
            settings.file_insertion_enabled = saved
        holder = nodes.container("", *parsed, classes=["kb-description"])
        self.sanitize(holder)
        return [holder]

    def sanitize(self, holder: nodes.Element) -> None:
        """Only what the site writes may run: raw HTML is shown as text, links and images with
        other schemes than http(s) (``javascript:``, ``data:`` ...) are removed, and so are
        ``meta`` tags and files from outside the docs folder (images and downloads)."""
        location = f"{self.record['path']}:{self.line('description')}"
        said: set[str] = set()

        def complain(message: str, subtype: str = "link") -> None:
            if message in said:  # e.g. an rST link and its target
                return
            said.add(message)
            logger.warning("description: %s", message, location=location, type="kb",
                           subtype=subtype)

        for raw in list(holder.findall(nodes.raw)):
            complain("raw HTML is not allowed and was shown as text", "markup")
            text = raw.astext()
            inline = isinstance(raw.parent, nodes.TextElement)
            raw.replace_self(nodes.literal(text, text) if inline else
                             nodes.literal_block(text, text))
        for meta in [*holder.findall(nodes.meta), *self.state.document.findall(nodes.meta)]:
            complain("meta tags are not allowed and were removed", "markup")
            meta.parent.remove(meta)
        for node in list(holder.findall(nodes.Element)):
            if isinstance(node, nodes.image) and (unsafe_uri(node["uri"]) or
                                                  self.outside(node["uri"])):
                complain(f"image {node['uri']!r} removed: only http(s) URLs and files in the "
                         "docs folder can be shown")
                node.parent.remove(node)
            elif isinstance(node, addnodes.download_reference) and self.outside(
                    node.get("reftarget", "")):
                complain(f"download {node['reftarget']!r} removed: only files in the docs "
                         "folder can be offered")
                node.replace_self(nodes.inline("", "", *node.children))
            elif isinstance(node, (nodes.reference, nodes.target)) and unsafe_uri(
                    node.get("refuri", "")):
                complain(f"link {node['refuri']!r} removed: only http(s) and relative links "
                         "are allowed")
                if isinstance(node, nodes.target):
                    del node["refuri"]
                else:
                    node.replace_self(nodes.inline("", "", *node.children))

    def outside(self, uri: str) -> bool:
        """Whether a local file reference resolves outside the source folder."""
        if "://" in uri or uri.startswith("data:"):
            return False
        try:
            _, path = self.env.relfn2path(uri, self.env.docname)
            return not Path(path).resolve().is_relative_to(Path(self.env.srcdir).resolve())
        except (OSError, ValueError):  # e.g. a NUL character: no file of ours
            return True

    def facts(self, data: dict[str, Any]) -> nodes.field_list:
        rows: list[tuple[str, list[nodes.Node]]] = []
        if data.get("name_zh"):
            rows.append(("Chinese name", [nodes.Text(data["name_zh"])]))
        if data.get("organization"):
            rows.append(("Organization", [nodes.Text(data["organization"])]))
        if data.get("areas"):
            rows.append(("Research areas", self.joined(
                [self.doc_ref(f"{self.config.kb_area_dir}/{a}") for a in data["areas"]])))
        if data.get("people"):
            rows.append(("People", self.joined(
                [self.doc_ref(f"{self.config.kb_people_dir}/{p}") for p in data["people"]])))
        if data.get("release_date"):
            rows.append(("Release date", [nodes.Text(data["release_date"])]))
        return _field_list(rows)

    @staticmethod
    def joined(parts: list[nodes.Node]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for i, part in enumerate(parts):
            if i:
                out.append(nodes.Text(", "))
            out.append(part)
        return out

    def cite(self, key: str, index: int) -> list[nodes.Node]:
        """A citation through sphinxcontrib-bibtex's own role, so its filters see it."""
        if "bibtex_bibfiles" not in self.config:
            return [nodes.literal("", key)]
        lineno = self.line(f"papers[{index}]")
        fn, msgs = roles.role("cite:t", self.state.memo.language, lineno, self.state.reporter)
        if fn is None:
            return [nodes.literal("", key), *msgs]
        result, msgs2 = fn("cite:t", f":cite:t:`{key}`", key, lineno, self.state.inliner, {}, [])
        return [*result, *msgs, *msgs2]

    def model_card(self, data: dict[str, Any]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        details = _section("Model details", "model-details")
        rows = []
        if data.get("modalities"):
            rows.append(("Modalities", _text_list(data["modalities"])))
        if data.get("parameters"):
            rows.append(("Parameters", [nodes.Text(data["parameters"])]))
        if rows:
            details += _field_list(rows)
        if data.get("variants"):
            details += _table(["Variant", "Parameters", "Link"], [
                [nodes.Text(v["name"]), nodes.Text(v.get("parameters", "")),
                 nodes.reference("", "link", refuri=v["link"]) if v.get("link") else
                 nodes.Text("")] for v in data["variants"]], ["kb-variants"])
        if data.get("architecture"):
            arch = _section("Architecture", "architecture")
            arch += _items(data["architecture"])
            details += arch
        if len(details) > 1:
            out.append(details)
        if data.get("training_procedure") or data.get("training_data"):
            training = _section("Training", "training")
            if data.get("training_procedure"):
                training += _items(data["training_procedure"], enumerated=True)
            if data.get("training_data"):
                training += paragraph(nodes.strong("", "Training data: "),
                                      nodes.Text(data["training_data"]))
            out.append(training)
        if data.get("intended_uses") or data.get("out_of_scope_uses"):
            uses = _section("Uses", "uses")
            for field, title in (("intended_uses", "Intended uses"),
                                 ("out_of_scope_uses", "Out-of-scope uses")):
                if data.get(field):
                    uses += paragraph(nodes.strong("", title))
                    uses += _bullets([nodes.Text(u) for u in data[field]])
            out.append(uses)
        for field, title, ident in ITEM_SECTIONS[:2]:
            if data.get(field):
                sec = _section(title, ident)
                sec += _items(data[field])
                out.append(sec)
        if data.get("model-index"):
            out.append(self.evaluation(data["model-index"]))
        for field, title, ident in ITEM_SECTIONS[2:]:
            if data.get(field):
                sec = _section(title, ident)
                sec += _items(data[field])
                out.append(sec)
        meta = [(title, _text_list(data[f])) for f, title in METADATA_FIELDS if data.get(f)]
        if meta:
            sec = _section("Model card metadata", "model-card-metadata")
            sec += _field_list(meta)
            out.append(sec)
        return out

    def evaluation(self, model_index: list[dict[str, Any]]) -> nodes.section:
        """Every number with its task, dataset, metric and source."""
        rows: list[list[nodes.Node]] = []
        for model in model_index:
            for result in model["results"]:
                source = result["source"]
                src: nodes.Node = (nodes.reference("", source["name"], refuri=source["url"])
                                   if source.get("url") else nodes.Text(source["name"]))
                dataset = result["dataset"].get("name") or result["dataset"]["type"]
                task = result["task"].get("name") or result["task"]["type"]
                for metric in result["metrics"]:
                    rows.append([nodes.Text(model["name"]), nodes.Text(task), nodes.Text(dataset),
                                 nodes.Text(metric.get("name") or metric["type"]),
                                 nodes.Text(str(metric["value"])), src.deepcopy()])
        sec = _section("Evaluation results", "evaluation")
        sec += _table(["Model", "Task", "Dataset", "Metric", "Value", "Source"], rows,
                      ["kb-evaluation"])
        return sec
