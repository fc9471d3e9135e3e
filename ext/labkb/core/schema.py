"""The single definition of the entry kinds (project, model) and their validation.

Pydantic models are the source of truth: they validate entries and emit the JSON Schema that
editors, the CLI and the docs use. Field names of model cards follow the Hugging Face model-card
metadata (``license``, ``language``, ``pipeline_tag``, ``datasets``, ``base_model``,
``model-index``) so cards can be exported there.
"""

from __future__ import annotations

import copy
import datetime
import difflib
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, ValidationError

from labkb.core.fields import (
    ID_RE,
    BibKey,
    EntryId,
    GithubRepo,
    HttpUrl,
    ImageRef,
    Short,
    Text,
)
from labkb.core.fields import Strict as _Strict
from labkb.core.loader import Loaded
from labkb.core.problems import Problem, field_path
from labkb.core.provenance import Derived, SourceDoc, SourceList, derived_problems, source_problems
from labkb.core.results import (  # noqa: F401  (re-exported: the schema's result types)
    UNSOURCED,
    Claim,
    Dataset,
    Metric,
    ModelIndex,
    Result,
    Setting,
    Source,
    Task,
    result_problems,
)

SCHEMA_VERSION = "1"
#: Rounds of "validate, drop what is invalid" before :func:`validate` gives up on an entry.
MAX_ROUNDS = 20


class Links(_Strict):
    """External links; every value is an http(s) URL."""

    code: HttpUrl | None = None
    paper: HttpUrl | None = None
    arxiv: HttpUrl | None = None
    pdf: HttpUrl | None = None
    homepage: HttpUrl | None = None
    demo: HttpUrl | None = None
    docs: HttpUrl | None = None
    huggingface: HttpUrl | None = None
    modelscope: HttpUrl | None = None
    blog: HttpUrl | None = None
    video: HttpUrl | None = None


class Item(_Strict):
    """A named point of a model-card section (a component, a capability, a challenge ...)."""

    name: Short
    description: Text | None = None


class Variant(_Strict):
    name: Short
    parameters: Short | None = None
    link: HttpUrl | None = None


Status = Literal["planned", "active", "released", "maintained", "archived"]


def _f(description: str, default: Any = None, **kw: Any) -> Any:
    return Field(default, description=description, **kw)


class Project(_Strict):
    """A project: a toolkit, a system, a method, a paper's artefact."""

    name: Short = Field(description="Display name, as its authors write it.")
    name_zh: Short | None = _f("Chinese name.")
    summary: Annotated[str, Field(min_length=1, max_length=1000)] = Field(
        description="One or two plain sentences, shown on cards.")
    description: Text | None = _f("Longer description; the only field parsed as MyST Markdown.")
    areas: list[EntryId] = Field(min_length=1, description="Research area ids (pages of "
                                 "`docs/research/`).")
    tags: list[Short] = _f("Keywords, English or Chinese; filterable and searchable.", [])
    status: Status | None = _f("Life-cycle status.")
    year: Annotated[int, Field(ge=1900, le=2100)] | None = _f("Year of first release or paper.")
    release_date: datetime.date | None = _f("Exact release date, YYYY-MM-DD.")
    venue: Short | None = _f("Venue of its main paper, e.g. ICLR.")
    people: list[EntryId] = _f("Person ids (pages of `docs/people/`).", [])
    organization: Short | None = _f("Developing organization.")
    links: Links | None = _f("http(s) links: code, paper, arxiv, pdf, homepage, demo, docs, "
                             "huggingface, modelscope, blog, video.")
    papers: list[BibKey] = _f("Keys of records in `refs/*.bib`.", [])
    related: list[EntryId] = _f("Ids of related entries.", [])
    image: ImageRef | None = _f("Image: a path relative to `docs/` or an http(s) URL.")
    github: GithubRepo | None = _f("GitHub `owner/repo`, for a stars badge loaded by the "
                                   "reader's browser.")
    sources: SourceList = _f("The documents the entry is based on: ids of `docs/sources/`, each "
                             "`id` or `{id, locator}` (a section, a heading).", [])
    derived: Derived = _f("Values no source states, each with how it was derived, e.g. `year: "
                          "from the arXiv id 2208.06677`.", {})
    model_index: list[ModelIndex] = Field([], alias="model-index", description=(
        "Evaluation results in Hugging Face model-index form, each with its `source` (bib or "
        "record, and a locator), date, setting and status (see Result fields); an unsourced "
        "result is reported and not shown."))
    claims: list[Claim] = _f("Relative claims (`about 2x faster than Adam`) with their factor, "
                             "baseline, setting and source: never shown as benchmark scores.", [])


class Model(Project):
    """A model: a project with a model card (Hugging Face template + Mitchell et al. 2019)."""

    modalities: list[Short] = _f("Input/output modalities, e.g. image, text.", [])
    parameters: Short | None = _f("Parameter count as stated, e.g. 7B.")
    variants: list[Variant] = _f("Sizes or releases: name, parameters, link.", [])
    architecture: list[Item] = _f("Model details: components (name, description).", [])
    training_procedure: list[Item] = _f("Training stages in order (name, description).", [])
    training_data: Text | None = _f("Training data, plain text.")
    intended_uses: list[Text] = _f("Direct and downstream uses.", [])
    out_of_scope_uses: list[Text] = _f("Uses the model is not meant for.", [])
    capabilities: list[Item] = _f("Capability groups (name, description).", [])
    applications: list[Item] = _f("Application scenarios (name, description).", [])
    significance: list[Item] = _f("Open-source significance (name, description).", [])
    limitations: list[Item] = _f("Bias, risks, limitations and challenges.", [])
    outlook: list[Item] = _f("Future directions.", [])
    license: Short | None = _f("License id, as on the Hugging Face Hub (e.g. apache-2.0, or other).")
    license_name: Short | None = _f("Name of the license when `license` is other, as on the Hub.")
    license_link: HttpUrl | None = _f("Link to the license text when `license` is other.")
    language: list[Annotated[str, Field(pattern=r"^(?:[a-z]{2,3}(-[A-Za-z0-9]+)?|multilingual)$")]] = _f(
        "ISO 639-1 language codes, or multilingual (as the Hub allows).", [])
    pipeline_tag: Short | None = _f("Hugging Face task, e.g. image-text-to-text.")
    library_name: Short | None = _f("Library, e.g. transformers.")
    datasets: list[Short] = _f("Training datasets (Hub ids or names).", [])
    base_model: list[Short] = _f("Models it was fine-tuned from.", [])


KINDS: dict[str, type[_Strict]] = {"project": Project, "model": Model, "source": SourceDoc}
#: The kinds that are research entries (shown in grids, with areas), not sources.
ENTRY_KINDS = ("project", "model")

#: Subtypes of reference fields: field name -> which known-id set of :class:`Context` it uses.
_REF_FIELDS = {"areas": "areas", "people": "people", "related": "entries"}


@dataclass(frozen=True)
class Context:
    """What entries may refer to; ``None`` skips that check (e.g. a lone file in the CLI).

    The build and ``labkb check`` both fill it and call :func:`validate`, so they report the
    same reference problems."""

    areas: frozenset[str] | None = None
    people: frozenset[str] | None = None
    entries: frozenset[str] | None = None
    #: BibTeX keys of the .bib files, case-folded (BibTeX keys are case-insensitive)
    papers: frozenset[str] | None = None
    #: ids of the source records
    sources: frozenset[str] | None = None
    #: whether an entry without ``sources`` is a problem (``kb_require_sources``)
    require_sources: bool = True


@dataclass
class Validated:
    """The outcome of validating one entry file."""

    id: str
    kind: str
    data: dict[str, Any] | None  #: JSON-ready data, or None when the entry cannot be built
    problems: list[Problem] = field(default_factory=list)
    #: the validated record (what :attr:`data` dumps), or None when the entry cannot be built
    entry: _Strict | None = None


def json_schema(kind: str = "model") -> dict[str, Any]:
    """The JSON Schema of one entry kind (``model`` is the superset)."""
    schema = KINDS[kind].model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://labkb.invalid/schema/v{SCHEMA_VERSION}/{kind}.json"
    return schema


def validate(
    loaded: Loaded, path: str, entry_id: str, kind: str, context: Context | None = None
) -> Validated:
    """Validate loaded YAML as an entry of ``kind``.

    A problem in an optional field drops that field and keeps the entry; a problem in a required
    field (or a file that is not a mapping) drops the entry. Every problem is reported.
    """
    model = KINDS[kind]
    out = Validated(entry_id, kind, None, list(loaded.problems))
    if not ID_RE.match(entry_id):
        out.problems.append(
            Problem(path, 1, "", f"invalid id {entry_id!r} (the file name): use lowercase "
                    "letters, digits and hyphens, starting with a letter", "id")
        )
        return out
    if loaded.problems:
        return out
    if not isinstance(loaded.data, dict):
        what = type(loaded.data).__name__
        out.problems.append(Problem(path, 1, "", f"the file must hold a mapping, not a {what}"))
        return out
    data = copy.deepcopy(loaded.data)
    required = {n for n, f in model.model_fields.items() if f.is_required()}
    drops: set[tuple[str | int, ...]] = set()
    for attempt in range(MAX_ROUNDS):
        try:
            entry = model.model_validate(data)
        except ValidationError as exc:
            # pydantic reports every error at once: later rounds only see what dropping caused
            drops = _report(exc, loaded, path, model, out.problems if attempt == 0 else [])
            fatal = [d for d in drops if not d or (len(d) == 1 and field_name(model, str(d[0])) in required)]
            if fatal:
                return out
            for loc in sorted(drops, key=_sort_key, reverse=True):
                _drop(data, loc)
            continue
        if isinstance(entry, Project):
            _check_refs(entry, loaded, path, context, out.problems)
        if any(not getattr(entry, name) for name in _REF_FIELDS if name in required):
            return out  # every area was unknown: as if the required field were missing
        out.data = entry.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        dropped = source_problems(out.data, kind, context.sources if context else None,
                                  path, loaded.line,
                                  required=context is not None and context.require_sources)
        dropped += derived_problems(out.data, path, loaded.line(("derived",)))
        if context is not None:
            dropped += result_problems(out.data, context.papers, context.sources, path,
                                       loaded.line)
        # the record is what the data says once unknown sources and stale notes are dropped
        out.entry = model.model_validate(out.data) if dropped else entry
        out.problems += dropped
        return out
    # dropping the invalid values did not converge (e.g. a value no drop can remove): say so
    first = min(drops, key=_sort_key, default=())
    out.problems.append(Problem(path, loaded.line(first), "", f"validation gave up after "
                                f"{MAX_ROUNDS} rounds of dropping invalid values; the entry "
                                "is not built"))
    return out


def _sort_key(loc: tuple[str | int, ...]) -> tuple[str, ...]:
    return tuple(f"{p:08d}" if isinstance(p, int) else p for p in loc)


def _drop(data: Any, loc: tuple[str | int, ...]) -> None:
    """Remove the value at ``loc`` (a key of a mapping or an item of a list)."""
    *parents, last = loc
    for part in parents:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(data, dict):
        data.pop(last, None)
    elif isinstance(data, list) and isinstance(last, int) and last < len(data):
        del data[last]


def _alias(model: type[BaseModel], name: str) -> str:
    info = model.model_fields.get(name)
    return info.alias if info is not None and info.alias else name


def field_name(model: type[BaseModel], key: str) -> str:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return name
    return key


def _report(
    exc: ValidationError, loaded: Loaded, path: str, model: type[BaseModel], into: list[Problem]
) -> set[tuple[str | int, ...]]:
    """Turn pydantic errors into problems; return the paths of the values to drop."""
    drops: set[tuple[str | int, ...]] = set()
    known = [info.alias or name for name, info in model.model_fields.items()]
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            message = "unknown field"
            if len(loc) == 1 and model is Project and field_name(Model, str(loc[0])) in \
                    Model.model_fields:
                message += " (model-card fields are only for entries in a models folder)"
            elif len(loc) == 1:
                close = difflib.get_close_matches(str(loc[0]), known, n=1)
                if close:
                    message += f" (did you mean {close[0]!r}?)"
        elif kind == "missing" and loc[-1] == "source":
            message = UNSOURCED
        elif kind == "missing":
            message = "required field is missing"
        else:
            message = err["msg"].removeprefix("Value error, ")
        subtype = "link" if "http" in message and "URL" in message else "schema"
        drop = loc[:-1] if kind == "missing" else loc
        into.append(Problem(path, loaded.line(drop), field_path(loc), message, subtype))
        # a union or a constrained list reports one path per alternative: keep the shortest
        drops.add(drop)
    return {d for d in drops if not any(d[: len(o)] == o and d != o for o in drops)}


def _check_refs(
    entry: Project, loaded: Loaded, path: str, context: Context | None, into: list[Problem]
) -> None:
    """Report references to unknown areas, people, entries and BibTeX keys, and drop them from
    the entry (so a page never links to a missing target)."""
    if context is None:
        return
    for name, which in _REF_FIELDS.items():
        known = getattr(context, which)
        if known is None:
            continue
        values: list[str] = getattr(entry, name)
        kept = []
        for i, value in enumerate(values):
            if value in known:
                kept.append(value)
                continue
            close = difflib.get_close_matches(value, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            noun = {"areas": "research area", "people": "person", "entries": "entry"}[which]
            into.append(
                Problem(path, loaded.line((name, i)), f"{name}[{i}]",
                        f"unknown {noun} {value!r}{hint}", "ref")
            )
        setattr(entry, name, kept)
    if context.papers is not None:
        kept = []
        for i, key in enumerate(entry.papers):
            if key.casefold() in context.papers:
                kept.append(key)
            else:
                into.append(Problem(path, loaded.line(("papers", i)), f"papers[{i}]",
                                    f"unknown BibTeX key {key!r} (not in any .bib file)", "ref"))
        entry.papers = kept
