"""The ``labkb`` command line: every command, its errors and exit codes, and the round trips."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml
from labkb.cli.commands import main
from labkb.cli.scaffold import modeline, schema_text
from labkb.core.compare import source_text
from labkb.core.hfcard import MAPPED
from labkb.core.loader import load_yaml
from labkb.core.problems import Problem
from labkb.core.schema import KINDS, Model, json_schema, validate
from labkb.importers.hf import import_card
from labkb.outputs.cff import schema_problems
from labkb.outputs.hf_card import HUB_KEYS

REPO = Path(__file__).resolve().parent.parent
COMMANDS = ("check", "schema", "new", "import-hf", "export-hf", "cff")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A small docs folder: two areas, one person, empty entry folders."""
    root = tmp_path / "docs"
    for folder in ("research", "people", "projects", "models", "sources"):
        (root / folder).mkdir(parents=True)
    (root / "sources" / "notes.yaml").write_text("name: Notes\nsummary: A lab notebook.\n")
    (root / "research" / "vision.md").write_text("# Vision\n")
    (root / "research" / "audio.md").write_text("# Audio\n")
    (root / "people" / "jane-doe.md").write_text("# Jane Q. Doe\n\nA researcher.\n")
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> str:
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in argv])
    assert exc.value.code == 2
    return capsys.readouterr().err


def entry_data(path: Path) -> dict:
    kind = "model" if path.parent.name == "models" else "project"
    result = validate(load_yaml(path.read_text(encoding="utf-8"), str(path)), str(path), path.stem, kind)
    assert not result.problems, result.problems
    assert result.data is not None
    return result.data


def mapped(data: dict) -> dict:
    """The fields a model card carries (links: only Repository, Paper and Demo; of the results,
    the Hub's model-index keys, a source as its name and url: the rest stays in the entry)."""
    out = {k: data.get(k) for k in MAPPED if k not in ("links", "model-index")}
    out["links"] = {k: v for k, v in (data.get("links") or {}).items() if k in ("code", "paper", "demo")}
    out["model-index"] = [{"name": m["name"], "results": [hub_result(r) for r in m["results"]]}
                          for m in data.get("model-index") or []]
    return out


def hub_result(result: dict) -> dict:
    keys = HUB_KEYS
    source = result["source"]
    return {"task": result["task"],
            "dataset": {k: v for k, v in result["dataset"].items() if k in keys["dataset"]},
            "metrics": [{k: v for k, v in m.items() if k in keys["metric"]} for m in result["metrics"]],
            "source": {"name": source.get("name") or source_text(source),
                       **({"url": source["url"]} if source.get("url") else {})}}


# -- the command line as a whole ------------------------------------------------------------------------


def test_python_m_labkb_help():
    proc = subprocess.run([sys.executable, "-m", "labkb", "--help"], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    for command in COMMANDS:
        assert command in proc.stdout
    assert "exit status" in proc.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: labkb {command}") and "exit status" in out


def test_unknown_command_is_a_usage_error(capsys):
    assert "invalid choice: 'frobnicate'" in usage_error(capsys, "frobnicate")
    assert "required" in usage_error(capsys)


def test_the_cli_does_not_import_huggingface_hub():
    code = ("import sys, labkb.cli.commands, labkb.importers.hf, labkb.outputs.cff, labkb.cli.scaffold; "
            "sys.exit('huggingface_hub' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


# -- check ----------------------------------------------------------------------------------------------


def test_check_real_site_reads_each_entry_once(capsys, monkeypatch):
    """Counts, not seconds (speed is the benchmark's): every entry file is parsed once."""
    from labkb.cli import check

    parsed: list[str] = []
    real = check.load_yaml

    def counting(text: str, path: str):  # type: ignore[no-untyped-def]
        parsed.append(path)
        return real(text, path)

    monkeypatch.setattr(check, "load_yaml", counting)
    code, _, err = run(capsys, "check", "--docs", REPO / "docs")
    assert code == 0, err
    entries = sorted(str(p) for kind in ("projects", "models", "sources")
                     for p in (REPO / "docs" / kind).glob("*.yaml"))
    assert sorted(parsed) == entries


def test_check_exit_codes_and_located_yaml_errors(docs, capsys):
    assert run(capsys, "new", "project", "good", "--docs", docs)[0] == 0
    assert run(capsys, "check", "--docs", docs)[0] == 0
    bad = docs / "projects" / "bad.yaml"
    bad.write_text("name: Bad\nsummary: s\nareas: [vision\ntags: []\n")
    code, _, err = run(capsys, "check", "--docs", docs)
    assert code == 1
    assert re.search(rf"{re.escape(str(bad))}:\d+: YAML syntax error", err)
    assert err.rstrip().endswith("3 entries checked, 1 problems")  # good, bad and the source
    code, _, err = run(capsys, "check", "--docs", docs, docs / "projects" / "missing.yaml")
    assert code == 1 and "missing.yaml:1: no such file or directory" in err


def test_check_passes_bib_files_to_bibcheck(docs, capsys, monkeypatch):
    refs = docs.parent / "refs"
    refs.mkdir()
    (refs / "a.bib").write_text("@misc{a, title={A}}\n")
    (refs / "b.bib").write_text("@misc{a, title={B}}\n")
    seen: list[list[Path]] = []

    def check_bibfiles(paths: list[Path]) -> list[Problem]:
        seen.append(list(paths))
        return [Problem(str(paths[-1]), 1, "a", "duplicate key (first in a.bib:1)", "bib")]

    from labkb.core import bibcheck

    monkeypatch.setitem(sys.modules, "labkb.core.bibcheck",
                        types.SimpleNamespace(check_bibfiles=check_bibfiles,
                                              parse_lenient=bibcheck.parse_lenient))
    code, _, err = run(capsys, "check", "--docs", docs)  # no paths: docs/ and refs/*.bib next to it
    assert code == 1
    assert seen == [[refs / "a.bib", refs / "b.bib"]]
    assert f"{refs / 'b.bib'}:1: a: duplicate key (first in a.bib:1)" in err
    assert "1 entries and 2 .bib files checked, 1 problems" in err  # the fixture's source
    seen.clear()
    assert run(capsys, "check", "--docs", docs, refs / "a.bib")[0] == 1
    assert seen == [[refs / "a.bib"]]


def test_check_reports_undecodable_entries_with_the_line_of_the_bad_byte(docs, capsys):
    bad = docs / "projects" / "latin.yaml"
    bad.write_bytes(b"name: ok\nsummary: Caf\xe9\n")
    code, _, err = run(capsys, "check", "--docs", docs, bad)
    assert code == 1
    assert f"{bad}:2: not valid UTF-8 text (byte 0xe9); the file is skipped" in err


def test_check_real_bibcheck_reports_duplicates_with_both_locations(tmp_path, capsys):
    first, second = tmp_path / "a.bib", tmp_path / "b.bib"
    first.write_text("@misc{same,\n  title = {A},\n}\n")
    second.write_text("@misc{other,\n  title = {B},\n}\n\n@misc{same,\n  title = {C},\n}\n")
    code, _, err = run(capsys, "check", "--docs", tmp_path / "docs", first, second)
    assert code == 1
    line = next(x for x in err.splitlines() if "same" in x)
    assert str(first) in err and str(second) in line


# -- schema ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_committed_schema_files_are_generated(kind):
    path = REPO / "schema" / f"{kind}.schema.json"
    assert json.loads(path.read_text(encoding="utf-8")) == json_schema(kind), "run: labkb schema --write"
    assert path.read_text(encoding="utf-8") == schema_text(kind), "run: labkb schema --write"


def test_every_entry_starts_with_the_schema_modeline():
    for folder, kind in (("projects", "project"), ("models", "model")):
        for path in sorted((REPO / "docs" / folder).glob("*.yaml")):
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
            assert first == modeline(kind), f"{path}: first line must be {modeline(kind)!r}"
            assert (path.parent / first.split("=", 1)[1]).resolve() == REPO / "schema" / f"{kind}.schema.json"


def test_schema_prints_and_writes(tmp_path, capsys):
    code, out, _ = run(capsys, "schema", "--kind", "project")
    assert code == 0 and json.loads(out) == json_schema("project")
    code, out, _ = run(capsys, "schema", "--write", tmp_path / "s")
    assert code == 0
    for kind in KINDS:
        assert (tmp_path / "s" / f"{kind}.schema.json").read_text(encoding="utf-8") == schema_text(kind)


# -- new ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_writes_a_commented_stub_that_checks(kind, docs, capsys):
    code, out, _ = run(capsys, "new", kind, "my-entry", "--docs", docs)
    assert code == 0
    path = docs / f"{kind}s" / "my-entry.yaml"
    assert out.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert text.split("\n", 1)[0] == modeline(kind)
    assert "name: my-entry" in text and "summary: 'TODO: one sentence.'" in text
    if kind != "source":
        assert "areas: [audio]" in text and "sources: [notes]" in text
    for name, info in KINDS[kind].model_fields.items():
        assert (info.description or "")[:60] in text, f"{name}: description missing from the stub"
    assert run(capsys, "check", "--docs", docs)[0] == 0
    # every commented-out field is a valid placeholder once uncommented
    path.write_text(re.sub(r"^# ([a-z_-]+:(?: \[\]| \{\})?)$", r"\1", text, flags=re.M),
                    encoding="utf-8")
    code, _, err = run(capsys, "check", "--docs", docs)
    assert code == 0, err


def test_new_refuses_to_overwrite_and_checks_the_id(docs, capsys):
    assert run(capsys, "new", "model", "taken", "--docs", docs)[0] == 0
    path = docs / "models" / "taken.yaml"
    path.write_text(path.read_text() + "# edited\n")
    for kind in KINDS:
        code, out, err = run(capsys, "new", kind, "taken", "--docs", docs)
        assert code == 1 and out == ""
        assert f"labkb: {path} already exists; refusing to overwrite it" in err
    assert path.read_text().endswith("# edited\n")
    code, _, err = run(capsys, "new", "project", "My Tool", "--docs", docs)
    assert code == 1 and "invalid id 'My Tool'" in err
    code, _, err = run(capsys, "new", "project", "x", "--docs", docs / "nowhere")
    assert code == 1 and "is not a folder" in err
    assert "invalid choice: 'dataset'" in usage_error(capsys, "new", "dataset", "x")


def test_new_without_research_areas_leaves_a_hint(tmp_path, capsys):
    (tmp_path / "projects").mkdir()
    code, _, err = run(capsys, "new", "project", "lonely", "--docs", tmp_path)
    assert code == 0 and "no research area" in err
    assert "# areas: [area-id]" in (tmp_path / "projects" / "lonely.yaml").read_text()
    code, _, err = run(capsys, "check", "--docs", tmp_path)
    assert code == 1 and "areas: required field is missing" in err


# -- Hugging Face: import -------------------------------------------------------------------------------


@pytest.fixture
def template_card() -> str:
    """huggingface_hub's own template, rendered as a contributor would."""
    hub = pytest.importorskip("huggingface_hub")
    result = hub.EvalResult(task_type="text-generation", dataset_type="wikitext", dataset_name="WikiText",
                            metric_type="perplexity", metric_value=20.5)
    data = hub.ModelCardData(license="mit", language=["en", "zh"], library_name="transformers",
                             pipeline_tag="text-generation", datasets=["c4"], base_model="gpt2",
                             tags=["demo"], eval_results=[result], model_name="demo-7b")
    card = hub.ModelCard.from_template(
        data, model_id="Demo-7B", model_summary="A demo model for the tests.",
        model_description="A longer description.\n\nIt has **two** paragraphs.", developers="OpenMOSS",
        repo="https://github.com/openmoss/demo", paper="[arXiv](https://arxiv.org/abs/2401.00001)",
        direct_use="Chatting in English and Chinese.", downstream_use="- Fine-tuning for QA.\n- Summaries.",
        out_of_scope_use="Medical advice.", bias_risks_limitations="It hallucinates. Sometimes a lot.",
        training_data="C4, deduplicated.", preprocessing="Near-duplicate removal.",
        model_specs="A decoder-only transformer.", citation_bibtex="@misc{demo, title={Demo}}")
    return str(card)


def test_import_hf_template_maps_and_drops_placeholders(template_card, docs, tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text(template_card, encoding="utf-8")
    code, out, err = run(capsys, "import-hf", readme, "--area", "vision", "--docs", docs)
    assert code == 0, err
    path = docs / "models" / "demo-7b.yaml"
    assert out.splitlines()[0] == str(path)
    assert out.splitlines()[1] == str(docs / "sources" / "demo-7b-card.yaml")
    text = path.read_text(encoding="utf-8")
    assert text.split("\n", 1)[0] == modeline("model")
    assert "More Information Needed" not in text and "{{" not in text and "<!--" not in text
    data = entry_data(path)
    assert data["name"] == "Demo-7B" and data["summary"] == "A demo model for the tests."
    assert data["description"] == "A longer description.\n\nIt has **two** paragraphs."
    assert data["organization"] == "OpenMOSS" and data["areas"] == ["vision"]
    assert data["links"] == {"code": "https://github.com/openmoss/demo", "paper": "https://arxiv.org/abs/2401.00001"}
    assert data["intended_uses"] == ["Chatting in English and Chinese.", "Fine-tuning for QA.", "Summaries."]
    assert data["out_of_scope_uses"] == ["Medical advice."]
    assert data["limitations"] == [{"name": "It hallucinates.", "description": "Sometimes a lot."}]
    assert data["training_data"] == "C4, deduplicated."
    assert data["training_procedure"] == [{"name": "Preprocessing", "description": "Near-duplicate removal."}]
    assert data["architecture"] == [{"name": "A decoder-only transformer."}]
    assert (data["license"], data["language"], data["base_model"]) == ("mit", ["en", "zh"], ["gpt2"])
    assert data["model-index"][0]["results"][0]["source"] == {"name": "Hugging Face model card"}
    assert re.search(r"README.md:\d+: model-index\[0\].results\[0\]: no source; "
                     r"set to 'Hugging Face model card'", err)
    assert re.search(r"README.md:\d+: section not mapped: Citation: @misc\{demo", err)
    assert run(capsys, "check", "--docs", docs)[0] == 0
    before = path.read_text(encoding="utf-8")
    code, out, _ = run(capsys, "import-hf", readme, "--area", "vision", "--docs", docs)
    assert code == 0 and out.strip() == f"{path} (unchanged)"  # importing twice changes nothing
    assert path.read_text(encoding="utf-8") == before
    readme.write_text(template_card.replace("A demo model for the tests.", "Changed."), encoding="utf-8")
    code, _, err = run(capsys, "import-hf", readme, "--area", "vision", "--docs", docs)
    assert code == 1 and "already exists; refusing to overwrite it (use --force)" in err
    assert run(capsys, "import-hf", readme, "--area", "vision", "--docs", docs, "--force")[0] == 0


def test_import_hf_export_import_round_trip_on_the_template(template_card, docs, tmp_path, capsys):
    hub = pytest.importorskip("huggingface_hub")
    (tmp_path / "README.md").write_text(template_card, encoding="utf-8")
    assert run(capsys, "import-hf", tmp_path / "README.md", "--area", "audio", "--docs", docs)[0] == 0
    first = entry_data(docs / "models" / "demo-7b.yaml")
    code, _, err = run(capsys, "export-hf", "demo-7b", "--docs", docs, "-o", tmp_path / "OUT.md")
    assert code == 0, err
    exported = (tmp_path / "OUT.md").read_text(encoding="utf-8")
    hub.ModelCard(exported)
    again = import_card(exported, "OUT.md")
    assert not again.problems
    assert mapped(again.data) == mapped(first)


def test_import_hf_reports_what_does_not_map(docs, tmp_path, capsys):
    card = """---
license: apache-2.0
language: en
widget:
- text: Hello
model-index:
- name: m
  results:
  - task: {type: text-classification}
    dataset: {type: imdb, name: IMDB, args: {split: test}}
    metrics:
    - {type: accuracy, value: 0.9, args: {k: 1}}
    source: {name: Leaderboard, url: "https://example.org/lb"}
---
<p align="center"><img src="logo.png"></p>

# Model Card for Org/Tiny Model

Tiny classifies sentiment.

A second intro paragraph.

## Environmental Impact

- **Hardware Type:** 8 GPUs

## Model Sources

- **Repository:** <https://github.com/org/tiny>
- **Blog:** https://example.org/blog
"""
    readme = tmp_path / "README.md"
    readme.write_text(card, encoding="utf-8")
    code, out, err = run(capsys, "import-hf", readme, "--area", "vision,audio", "--docs", docs, "--stdout")
    assert code == 0, err
    data = yaml.safe_load(out)
    assert data["name"] == "Org/Tiny Model" and data["summary"] == "Tiny classifies sentiment."
    assert data["areas"] == ["vision", "audio"] and data["language"] == ["en"]
    assert data["links"] == {"code": "https://github.com/org/tiny"}
    result = data["model-index"][0]["results"][0]
    assert result["dataset"] == {"type": "imdb", "name": "IMDB"}
    assert result["metrics"] == [{"type": "accuracy", "value": 0.9}]
    assert result["source"] == {"name": "Leaderboard", "url": "https://example.org/lb"}
    for note in ("4: widget: front matter key not mapped",
                 "10: model-index[0].results[0].dataset.args: not in the schema; dropped",
                 "12: model-index[0].results[0].metrics[0].args: not in the schema; dropped",
                 "23: section kept in the description: Environmental Impact",
                 "27: Model Sources: **Blog:** https://example.org/blog: not mapped",
                 "17: text before the first section: kept in the description: A second intro paragraph."):
        assert f"{readme}:{note}" in err, note
    # a section with no field of its own, and the rest of the intro, stay in the description (raw HTML
    # with only a relative image in it leaves nothing)
    assert data["description"] == ("A second intro paragraph.\n\n**Environmental Impact**\n\n"
                                   "- **Hardware Type:** 8 GPUs")
    assert not (docs / "models" / "tiny-model.yaml").exists()


def test_import_hf_errors(docs, tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("---\nlicense: mit\nlanguage: [en\n---\n# X\n\nSummary.\n", encoding="utf-8")
    assert "--area is required" in usage_error(capsys, "import-hf", readme, "--docs", docs)
    code, _, err = run(capsys, "import-hf", readme, "--area", "vision", "--docs", docs)
    assert code == 1 and re.search(rf"{re.escape(str(readme))}:[45]: YAML syntax error", err)
    code, _, err = run(capsys, "import-hf", tmp_path / "nope.md", "--area", "vision", "--docs", docs)
    assert code == 1 and "cannot read" in err
    readme = tmp_path / "模型" / "README.md"  # neither the title nor the folder name gives an id
    readme.parent.mkdir()
    readme.write_text("---\nlanguage: [English]\n---\n# 模型\n\nSummary.\n", encoding="utf-8")
    code, _, err = run(capsys, "import-hf", readme, "--area", "vision", "--docs", docs)
    assert code == 1 and "cannot use '' as an id: pass --id" in err
    assert run(capsys, "new", "project", "taken", "--docs", docs)[0] == 0
    code, _, err = run(capsys, "import-hf", readme, "--area", "vision", "--docs", docs, "--id", "taken")
    assert code == 1 and "the id 'taken' is taken by" in err
    code, _, err = run(capsys, "import-hf", readme, "--area", "visoin", "--docs", docs, "--id", "mo")
    path = docs / "models" / "mo.yaml"
    assert code == 1
    assert f"{path}:" in err and "language[0]: String should match pattern" in err
    assert "areas[0]: unknown research area 'visoin' (did you mean 'vision'?)" in err


# -- Hugging Face: export -------------------------------------------------------------------------------


@pytest.mark.parametrize("entry_id", ["moss-vl", "qwen2"])
def test_export_hf_real_models_parse_and_round_trip(entry_id, tmp_path, capsys):
    hub = pytest.importorskip("huggingface_hub")
    from huggingface_hub.repocard_data import model_index_to_eval_results

    code, out, err = run(capsys, "export-hf", entry_id, "--docs", REPO / "docs")
    assert code == 0, err
    card = hub.ModelCard(out)
    original = entry_data(REPO / "docs" / "models" / f"{entry_id}.yaml")
    meta = yaml.safe_load(out.split("---\n")[1]) or {}
    assert hub.ModelCardData(**meta).to_dict().get("language") == original.get("language")
    if original.get("model-index"):
        _name, results = model_index_to_eval_results(meta["model-index"])
        assert len(results) == sum(len(r["metrics"]) for m in original["model-index"] for r in m["results"])
        assert card.data.eval_results
    again = import_card(out, "README.md")
    assert not again.problems
    assert mapped(again.data) == mapped(original)


def test_export_hf_every_real_model_parses_with_huggingface_hub(capsys):
    hub = pytest.importorskip("huggingface_hub")
    for path in sorted((REPO / "docs" / "models").glob("*.yaml")):
        code, out, err = run(capsys, "export-hf", path.stem, "--docs", REPO / "docs")
        assert code == 0, err
        hub.ModelCard(out)


def test_export_hf_keeps_sources_links_and_multiline_values(docs, tmp_path, capsys):
    hub = pytest.importorskip("huggingface_hub")
    entry = {
        "name": "Full", "summary": "Everything mapped.", "areas": ["vision"], "organization": "Lab",
        "description": "Intro.\n\n```python\n# not a heading\nprint(1)\n```",
        "links": {"code": "https://github.com/a/b", "paper": "https://arxiv.org/abs/1", "demo": "https://d.io",
                  "blog": "https://blog.io"},
        "intended_uses": ["Line one\nline two.", "Second use."], "out_of_scope_uses": ["Weapons."],
        "limitations": [{"name": "Bias"}, {"name": "Ends here.", "description": "More | text."}],
        "training_data": "Web text.", "training_procedure": [{"name": "SFT", "description": "Instructions."}],
        "license": "apache-2.0", "language": ["en"], "pipeline_tag": "text-generation",
        "library_name": "transformers", "datasets": ["c4"], "base_model": ["a/b", "c/d"], "tags": ["x|y"],
        "model-index": [{"name": "Full", "results": [
            {"task": {"type": "qa"}, "dataset": {"type": "squad", "name": "SQuAD"},
             "metrics": [{"type": "f1", "value": 90.1}, {"type": "em", "value": "83 ± 1"}],
             "source": {"name": "Paper | table 2", "url": "https://arxiv.org/abs/1"}},
            {"task": {"type": "qa"}, "dataset": {"type": "nq", "name": "NQ"},
             "metrics": [{"type": "em", "value": 40}], "source": {"name": "Our eval"}}]}],
    }
    (docs / "models" / "full.yaml").write_text(yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8")
    original = entry_data(docs / "models" / "full.yaml")
    out = tmp_path / "README.md"
    code, _, err = run(capsys, "export-hf", "full", "--docs", docs, "-o", out)
    assert code == 0, err
    assert "links not exported (the template has Repository, Paper, Demo): blog" in err
    assert "1 sources have no url" in err
    text = out.read_text(encoding="utf-8")
    headings = [m.group(0) for m in re.finditer(r"^##{1,2} .*$", text, re.M)]
    assert headings == ["## Model Details", "### Model Description", "### Model Sources", "## Uses",
                        "### Direct Use", "### Out-of-Scope Use", "## Bias, Risks, and Limitations",
                        "## Training Details", "### Training Data", "### Training Procedure", "## Evaluation",
                        "### Results"]
    card = hub.ModelCard(text)
    assert {r.source_url for r in card.data.eval_results} == {"https://arxiv.org/abs/1", None}
    again = import_card(text, str(out))
    assert not again.notes and not again.problems
    assert mapped(again.data) == mapped(original)
    code, _, err = run(capsys, "export-hf", "full", "--docs", docs, "-o", out)
    assert code == 1 and "refusing to overwrite it (use --force)" in err
    assert run(capsys, "export-hf", "full", "--docs", docs, "-o", out, "--force")[0] == 0


def test_export_hf_errors(docs, capsys):
    code, _, err = run(capsys, "export-hf", "nope", "--docs", docs)
    assert code == 1 and "unknown entry id 'nope'" in err
    assert run(capsys, "new", "project", "proj", "--docs", docs)[0] == 0
    code, _, err = run(capsys, "export-hf", "proj", "--docs", docs)
    assert code == 1 and "is a project; export-hf needs a model" in err
    bad = docs / "models" / "bad.yaml"
    bad.write_text("name: Bad\nsummary: s\nareas: [vision]\nlicense: [mit]\n")
    code, out, err = run(capsys, "export-hf", "bad", "--docs", docs)
    assert code == 1 and out == ""
    assert f"{bad}:4: license: Input should be a valid string" in err


def test_export_hf_bibtex_is_the_sites_without_site_only_fields(docs, capsys):
    from labkb.core.bibdata import SITE_ONLY_FIELDS, bibtex
    from pybtex.database import parse_string

    record = ("@article{Ada2024Vision,\n  title = {Seeing Things},\n  author = {Ada Lovelace},\n"
              "  journal = {Vision Journal},\n  year = {2024},\n  keywords = {vision, nlp},\n"
              "  people = {jane-doe},\n  citations = {42},\n  abbr = {VJ},\n  selected = {true},\n"
              "  has_code = {true},\n  pdf = {https://example.org/a.pdf},\n}\n")
    (docs.parent / "refs").mkdir()
    (docs.parent / "refs" / "lab.bib").write_text(record, encoding="utf-8")
    (docs / "models" / "m.yaml").write_text("name: M\nsummary: s\nareas: [vision]\n"
                                            "papers: [ada2024vision]\n", encoding="utf-8")
    code, out, err = run(capsys, "export-hf", "m", "--docs", docs)
    assert code == 0, err
    block = out.split("```bibtex\n", 1)[1].split("\n```", 1)[0]
    # the very text of the site's BibTeX disclosure (publication pages), key as in the .bib file
    entry = parse_string(record, "bibtex").entries["Ada2024Vision"]
    assert block == bibtex("Ada2024Vision", entry)
    assert "Seeing Things" in block and "Vision Journal" in block
    fields = {m.group(1).lower() for m in re.finditer(r"^\s*(\w+)\s*=", block, re.M)}
    assert fields == {"title", "author", "journal", "year"}
    assert not fields & SITE_ONLY_FIELDS


# -- CFF ------------------------------------------------------------------------------------------------


def cff_problems(text: str) -> list[str]:
    """Problems of a CITATION.cff against the CFF 1.2.0 schema that labkb ships (always checked)."""
    return schema_problems(yaml.safe_load(text))


def test_cff_schema_check_always_runs_and_catches_a_real_invalid_file():
    """The CFF spec's own failing example (tests/data/cff/README.md): its date is ``2020-05-xx``."""
    text = (Path(__file__).parent / "data" / "cff" /
            "cff-spec-example-fail-invalid-date.CITATION.cff").read_text(encoding="utf-8")
    problems = cff_problems(text)
    assert any(p.startswith("date-released:") for p in problems), problems
    assert cff_problems("cff-version: 1.2.0\nmessage: m\ntitle: t\nauthors: [{name: X}]\n") == []


def test_cff_for_a_real_project(capsys):
    code, out, err = run(capsys, "cff", "adan", "--docs", REPO / "docs")
    assert code == 0, err
    assert cff_problems(out) == []
    doc = yaml.safe_load(out)
    assert doc["cff-version"] == "1.2.0" and doc["type"] == "software" and doc["title"] == "Adan"
    assert doc["authors"] == [{"given-names": "Pan", "family-names": "Zhou"}]
    assert doc["repository-code"] == "https://github.com/sail-sg/Adan"
    assert doc["url"] == "https://arxiv.org/abs/2208.06677"
    assert doc["keywords"] == ["optimizer", "faster training"]
    assert doc["abstract"].startswith("An optimizer")


def test_cff_authors_fall_back_to_organization_then_name(docs, tmp_path, capsys):
    base = "summary: S.\nareas: [vision]\n"
    (docs / "projects" / "org.yaml").write_text(f"name: Org Tool\n{base}organization: Fudan NLP\n"
                                                "release_date: 2024-05-01\nlinks: {code: https://g.io/x}\n")
    (docs / "projects" / "bare.yaml").write_text(f"name: Bare\n{base}")
    (docs / "models" / "people.yaml").write_text(f"name: P\n{base}people: [jane-doe, ghost]\n"
                                                 "license: apache-2.0\ntags: [a, a, b]\n")
    code, out, err = run(capsys, "cff", "org", "--docs", docs)
    doc = yaml.safe_load(out)
    assert code == 0 and cff_problems(out) == []
    assert doc["authors"] == [{"name": "Fudan NLP"}] and doc["date-released"] == "2024-05-01"
    assert doc["repository-code"] == "https://g.io/x" and "the author is the entity 'Fudan NLP'" in err
    code, out, _ = run(capsys, "cff", "bare", "--docs", docs)
    assert code == 0 and cff_problems(out) == [] and yaml.safe_load(out)["authors"] == [{"name": "Bare"}]
    code, out, err = run(capsys, "cff", "people", "--docs", docs, "-o", tmp_path / "CITATION.cff")
    doc = yaml.safe_load((tmp_path / "CITATION.cff").read_text())
    assert code == 0 and cff_problems((tmp_path / "CITATION.cff").read_text()) == []
    assert doc["authors"] == [{"given-names": "Jane Q.", "family-names": "Doe"}, {"family-names": "ghost"}]
    assert doc["license"] == "Apache-2.0" and doc["keywords"] == ["a", "b"]
    assert "no page docs/people/ghost.md" in err
    code, _, err = run(capsys, "cff", "people", "--docs", docs, "-o", tmp_path / "CITATION.cff")
    assert code == 1 and "refusing to overwrite" in err
    code, _, err = run(capsys, "cff", "nope", "--docs", docs)
    assert code == 1 and "unknown entry id 'nope'" in err


def test_mapped_fields_are_model_fields():
    fields = {info.alias or name for name, info in Model.model_fields.items()}
    assert set(MAPPED) <= fields


# -- configuration: the same kb_* values as the build ------------------------------------------------


def test_cli_reads_the_layout_from_conf_py_without_running_it(docs, capsys):
    (docs / "areas").mkdir()
    (docs / "areas" / "speech.md").write_text("# Speech\n")
    (docs / "work").mkdir()
    conf = docs.parent / "conf.py"
    conf.write_text("import nothing_that_exists  # never run\n"
                    "kb_entry_dirs = {'work': 'project', 'models': 'model', 'sources': 'source'}\n"
                    "kb_area_dir = 'areas'\n", encoding="utf8")
    code, out, err = run(capsys, "new", "project", "tool", "--docs", docs)
    assert code == 0, err
    assert Path(out.strip()) == docs / "work" / "tool.yaml"
    assert "areas: [speech]" in (docs / "work" / "tool.yaml").read_text()
    assert run(capsys, "check", "--docs", docs)[0] == 0
    (docs / "work" / "bad.yaml").write_text("name: B\nsummary: s\nareas: [vision]\n")
    code, _, err = run(capsys, "check", "--docs", docs)
    assert code == 1 and f"{docs / 'work' / 'bad.yaml'}:3: areas[0]: unknown research area 'vision'" in err


def test_cli_reports_a_bad_config_value_as_the_build_does(docs, capsys):
    conf = docs.parent / "conf.py"
    conf.write_text("project = 'x'\nkb_max_authors = 0\n", encoding="utf8")
    code, _, err = run(capsys, "check", "--docs", docs)
    assert code == 1
    assert (f"{conf}:2: kb_max_authors = 0: must be a whole number of at least 1; "
            "using the default 3 [kb.config]") in err


def test_cli_reads_tool_labkb_from_pyproject(docs, capsys):
    from labkb.core.config import KbConfig

    (docs.parent / "pyproject.toml").write_text("[tool.labkb]\npeople_dir = 'team'\n"
                                                "entry_dirs = {tools = 'project'}\n")
    config, problems = KbConfig.discover(docs)
    assert problems == [] and config.people_dir == "team" and dict(config.entry_dirs) == {"tools": "project"}
    (docs.parent / "pyproject.toml").write_text("[tool.labkb]\narea_dir = '../up'\n")
    config, problems = KbConfig.discover(docs)
    assert config.area_dir == "research"
    assert [p.message for p in problems] == [
        "must be a folder of the sources relative to them, e.g. 'research'"]
