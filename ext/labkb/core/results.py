"""Evaluation results and relative claims, each with its provenance.

A result is the Hugging Face ``model-index`` form (task, dataset, metrics), extended compatibly with
what a comparison needs: where the number comes from (``source``: a ``.bib`` key or a source record,
plus a locator such as "Table 3" or "abstract"; or, as on the Hub, a name and a URL), when it was
reported (``date``), the setting it holds under (``dataset.split``/``config``/``revision`` and
``task_id`` as the Hub has them, ``setting: {shots, prompt, decoding}``, free-text ``notes`` as in
``.eval_results``), who measured it (``status``) and, per metric, ``lower_is_better``.

A *claim* is a relative statement ("about 2x faster than Adam"): it is not a score on a benchmark,
so it has its own field (``claims``) with its factor, baseline and setting, and is never put in a
results column.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from labkb.core.fields import BibKey, EntryId, HttpUrl, Short, Strict, Text
from labkb.core.problems import Problem, field_path

#: Who produced a number: the authors' own paper, someone else, or this knowledge base's maintainers.
STATUSES = ("self-reported", "third-party", "reproduced")
ResultStatus = Literal["self-reported", "third-party", "reproduced"]
UNSOURCED = ("no source: an unsourced result is not shown; give source.bib (a .bib key) or "
             "source.record (a docs/sources id) with a locator, or a source url")


class Source(Strict):
    """Where a number comes from: required for every result and claim."""

    bib: BibKey | None = Field(None, description="Key of the paper in `refs/*.bib`.")
    record: EntryId | None = Field(None, description="Id of a source record (`docs/sources/`).")
    locator: Short | None = Field(None, description="Where in it: `Table 3`, `abstract`, a section.")
    name: Short | None = Field(None, description="Its name, as the Hub writes it (`Model Card`).")
    url: HttpUrl | None = Field(None, description="A link to it (the Hub's `source.url`).")
    user: Short | None = Field(None, description="A Hugging Face user name (`.eval_results`).")
    org: Short | None = Field(None, description="A Hugging Face organisation (`.eval_results`).")

    @model_validator(mode="after")
    def _named(self) -> Source:
        if not (self.bib or self.record or self.url or self.name):
            raise ValueError("a source needs bib, record, url or name; an unsourced result is not "
                             "shown")
        return self


class Task(Strict):
    type: Short = Field(description="The task, e.g. text-generation (the Hub's task type).")
    name: Short | None = Field(None, description="Its display name.")


class Dataset(Strict):
    type: Short = Field(description="The benchmark's id (on the Hub: the dataset id).")
    name: Short | None = Field(None, description="Its display name (a column heading).")
    config: Short | None = Field(None, description="The subset evaluated (part of the setting).")
    split: Short | None = Field(None, description="The split evaluated (part of the setting).")
    revision: Short | None = Field(None, description="The dataset revision (part of the setting).")
    task_id: Short | None = Field(None, description="The Hub's `dataset.task_id` (`.eval_results`).")


class Metric(Strict):
    type: Short = Field(description="The metric, e.g. accuracy.")
    value: float | int | str = Field(description="The number as the source gives it.")
    name: Short | None = Field(None, description="Its display name, e.g. `accuracy (%)`.")
    config: Short | None = Field(None, description="Its configuration (part of the setting).")
    verified: bool | None = Field(None, description="The Hub's verified flag.")
    lower_is_better: bool | None = Field(None, description="True for errors, latency, perplexity: "
                                         "the best value of a column is then the lowest.")


class Setting(Strict):
    """How the number was obtained, where the source says so."""

    shots: int | Short | None = Field(None, description="Few-shot examples, e.g. 5 or `0-shot`.")
    prompt: Short | None = Field(None, description="Prompting, e.g. chain-of-thought.")
    decoding: Short | None = Field(None, description="Decoding, e.g. greedy, pass@1 sampling.")


class Result(Strict):
    task: Task = Field(description="What was evaluated: `type`, `name`.")
    dataset: Dataset = Field(description="The benchmark: `type` (its id), `name`, the setting's "
                             "`split`, `config`, `revision`, `task_id`.")
    metrics: list[Metric] = Field(min_length=1, description="The numbers: `type`, `value`, `name`, "
                                  "`lower_is_better`.")
    source: Source = Field(description="Where the number comes from: `bib` or `record` with a "
                           "`locator`, or `url` and `name`; an unsourced result is not shown.")
    date: datetime.date | None = Field(None, description="When it was reported or run, as stated.")
    status: ResultStatus | None = Field(None, description="self-reported, third-party or reproduced.")
    setting: Setting | None = Field(None, description="`shots`, `prompt`, `decoding`, as stated.")
    notes: Text | None = Field(None, description="The setup in free text (the Hub's `notes`).")
    verify_token: Short | None = Field(None, alias="verifyToken",
                                       description="The Hub's proof that it ran in HF Jobs.")


class ModelIndex(Strict):
    name: Short
    results: list[Result] = Field(min_length=1)


class Claim(Strict):
    """A relative claim, as its source states it (not a benchmark score)."""

    statement: Text = Field(description="The claim in the source's words.")
    factor: Short = Field(description="The factor as stated: `about 2x`, `3x to 7x`, `at least 10x`.")
    measure: Short = Field(description="What the factor is of: training speed, prefill speed-up ...")
    baseline: Short | None = Field(None, description="What it is compared with, where stated.")
    setting: Text | None = Field(None, description="The setting the claim holds in, as stated.")
    subject: Short | None = Field(None, description="Who the claim is about, when not the entry.")
    source: Source = Field(description="Where the claim is stated (as for a result).")
    status: ResultStatus | None = Field(None, description="self-reported, third-party or "
                                        "reproduced.")


def result_problems(data: dict[str, Any], papers: frozenset[str] | None,
                    records: frozenset[str] | None, path: str, lines: Any) -> list[Problem]:
    """A result or claim whose source names an unknown .bib key or source record is reported
    (``kb.ref``) and not shown, as an unsourced one would be: a page never links to nothing."""
    out: list[Problem] = []
    index = data.get("model-index", [])
    for i, model in enumerate(index):
        kept = []
        for j, result in enumerate(model["results"]):
            problem = _unknown(result["source"], papers, records, path, lines,
                               ("model-index", i, "results", j))
            out += [problem] if problem else []
            kept += [] if problem else [result]
        model["results"] = kept
    data["model-index"] = [m for m in index if m["results"]]
    kept_claims = []
    for k, claim in enumerate(data.get("claims", [])):
        problem = _unknown(claim["source"], papers, records, path, lines, ("claims", k))
        out += [problem] if problem else []
        kept_claims += [] if problem else [claim]
    data["claims"] = kept_claims
    for key in ("model-index", "claims"):
        if not data[key]:
            del data[key]
    return out


def _unknown(source: dict[str, Any], papers: frozenset[str] | None, records: frozenset[str] | None,
             path: str, lines: Any, loc: tuple[str | int, ...]) -> Problem | None:
    where = field_path(loc)
    if source.get("bib") and papers is not None and source["bib"].casefold() not in papers:
        return Problem(path, lines((*loc, "source", "bib")), f"{where}.source.bib",
                       f"unknown BibTeX key {source['bib']!r} (not in any .bib file); "
                       "the result is not shown", "ref")
    if source.get("record") and records is not None and source["record"] not in records:
        return Problem(path, lines((*loc, "source", "record")), f"{where}.source.record",
                       f"unknown source {source['record']!r} (no file in docs/sources/); "
                       "the result is not shown", "ref")
    return None
