"""The package's layers: imports run one way, no circles, and the core works without Sphinx."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PKG = REPO / "ext" / "labkb"

#: Each layer and the layers it may import from (besides itself).
ALLOWED = {
    "core": set(),
    "outputs": {"core"},
    "importers": {"core"},
    "cli": {"core", "outputs", "importers"},
    "sphinxext": {"core", "outputs"},
    "": {"core", "cli", "sphinxext"},  # labkb/__init__.py and __main__.py: the entry points
}
#: Packages only the Sphinx adapters may import.
SPHINX_SIDE = ("sphinx", "docutils", "myst_parser", "sphinx_design", "sphinxcontrib", "sphinxext")


def module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, int]]:
    """Every module ``path`` imports (at any depth of the code), with its line."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}:{node.lineno}: relative import"
            out.append((node.module, node.lineno))
    return out


MODULES = {module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else ""


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_one_way(module):
    here = layer(module)
    for target, line in imports(MODULES[module]):
        where = f"{MODULES[module].relative_to(REPO)}:{line}"
        if target.split(".")[0] == "labkb":
            there = layer(target) if target != "labkb" else ""
            assert there == here or there in ALLOWED[here], f"{where}: {module} -> {target}"
        elif here != "sphinxext" and module != "labkb":
            assert target.split(".")[0] not in SPHINX_SIDE, f"{where}: {module} imports {target}"


def test_no_import_circle():
    graph = {m: {t for t, _ in imports(p) if t in MODULES and t != m} for m, p in MODULES.items()}
    # a package's __init__ that re-exports is an edge to its own modules; leave those out
    graph = {m: {t for t in targets if not t.startswith(m + ".")} for m, targets in graph.items()}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                pytest.fail("import circle: " + " -> ".join([*path[path.index(target):], target]))
            if target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_the_core_and_the_command_line_work_without_sphinx_or_docutils():
    """With Sphinx, docutils and myst made unimportable, every module of the core, the outputs,
    the importers and the CLI imports, and ``labkb check`` checks the real site."""
    code = textwrap.dedent(f"""
        import importlib, sys
        BLOCKED = {SPHINX_SIDE!r}

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ImportError(f"blocked in this test: {{name}}")
                return None

        sys.meta_path.insert(0, Block())
        for name in {sorted(m for m in MODULES if layer(m) in ("core", "outputs", "importers", "cli"))!r}:
            importlib.import_module(name)
        from labkb.cli import main
        sys.exit(main(["check", "--docs", {str(REPO / "docs")!r}]))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ", 0 problems" in proc.stderr


def test_no_module_over_400_lines_and_no_function_over_60():
    long = []
    for module, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 420:
            long.append(f"{module}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 60:
                    long.append(f"{module}.{node.name}: {length} lines")
    assert long == []


#: Where a record may be turned into JSON data with ``EntryRecord.dump()`` (the fields the file
#: set, by their YAML names), and why: everywhere else the records' typed attributes are read.
DUMP_ALLOWED = {
    "labkb.outputs.knowledge": "knowledge.json is the records as JSON",
    "labkb.outputs.llms": "the Markdown lists each field the file set, by its YAML name",
    "labkb.core.coverage": "coverage counts the fields each file set",
    "labkb.sphinxext.compare": "the table's columns are fields named by the page, by YAML name",
}
#: ``.get("data")`` that reads something other than a record, and what it reads.
GET_DATA_ALLOWED = {"labkb.sphinxext.nodes": "a kb_div node's data-kb-* attributes"}
#: ``plain(...)`` that is not a record turned into a dict, and what it is.
PLAIN_ALLOWED = {"labkb.core.bibdata": "LaTeX markup of a .bib field to plain text"}


def _dict_record_reads(module: str, tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and \
                node.slice.value == "data":
            out.append((node.lineno, '["data"]'))
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", "")
        first = node.args[0] if node.args else None
        if name == "get" and isinstance(first, ast.Constant) and first.value == "data" and \
                module not in GET_DATA_ALLOWED:
            out.append((node.lineno, '.get("data")'))
        elif name == "plain" and module not in PLAIN_ALLOWED:
            out.append((node.lineno, "plain()"))
        elif name == "dump" and not node.args and module not in DUMP_ALLOWED:
            out.append((node.lineno, ".dump()"))
    return out


def test_records_are_read_by_their_typed_attributes_not_as_dicts():
    """The core, the outputs, the Sphinx side and the command line read an ``EntryRecord``'s
    typed entry (``record.person.figures``, ``model.base_model``), never a dict copy of it
    (``record["data"]["name"]``); the importers write YAML from dicts by design."""
    found = []
    for module, path in MODULES.items():
        if layer(module) in ("core", "outputs", "sphinxext", "cli"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(REPO)}:{line}: {what}"
                      for line, what in _dict_record_reads(module, tree)]
    assert found == []
    for module in (*DUMP_ALLOWED, *GET_DATA_ALLOWED, *PLAIN_ALLOWED):  # no stale exception
        assert module in MODULES, module
