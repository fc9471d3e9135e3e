"""The committed lock and pyproject.toml say the same thing, and every install comes from the lock."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
LOCKS = {"docs": REPO / "requirements" / "docs.txt", "test": REPO / "requirements" / "test.txt"}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def parse_lock(text: str) -> tuple[dict[str, list[tuple[Version, str | None]]], set[str]]:
    """Pins (name -> [(version, marker)]) and the names the lock says pyproject asked for."""
    pins: dict[str, list[tuple[Version, str | None]]] = {}
    direct: set[str] = set()
    current = ""
    for line in text.splitlines():
        if m := _PIN.match(line):
            current = canonicalize_name(m[1])
            pins.setdefault(current, []).append((Version(m[2]), m[3]))
        elif current and re.search(r"#\s+(via\s+)?labkb \(pyproject\.toml\)", line):
            direct.add(current)
        elif line and not line.startswith((" ", "#")):
            pytest.fail(f"a line of the lock that is not a pin: {line!r}")
    return pins, direct


def declared(extra: str) -> list[Requirement]:
    """pyproject's requirements for an install with ``extra`` (the self-reference expanded)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    todo, seen, out = [extra], set(), [Requirement(r) for r in project["dependencies"]]
    while todo:
        name = todo.pop()
        seen.add(name)
        for spec in extras[name]:
            req = Requirement(spec)
            if canonicalize_name(req.name) == "labkb":
                todo += [e for e in req.extras if e not in seen]
            else:
                out.append(req)
    return out


@pytest.mark.parametrize("extra", sorted(LOCKS))
def test_lock_and_pyproject_name_the_same_dependencies(extra):
    _pins, direct = parse_lock(LOCKS[extra].read_text(encoding="utf-8"))
    wanted = {canonicalize_name(r.name) for r in declared(extra)}
    assert wanted - direct == set(), "in pyproject.toml but not locked as its own: run `make lock`"
    assert direct - wanted == set(), "locked as pyproject's but no longer in it: run `make lock`"


@pytest.mark.parametrize("extra", sorted(LOCKS))
def test_every_pin_satisfies_pyprojects_range(extra):
    pins, _ = parse_lock(LOCKS[extra].read_text(encoding="utf-8"))
    for req in declared(extra):
        versions = pins[canonicalize_name(req.name)]
        for version, _marker in versions:
            assert req.specifier.contains(version, prereleases=True), (req, version)


def test_every_pin_has_a_hash_and_python_312_and_313_get_one_version_each():
    for path in LOCKS.values():
        text = path.read_text(encoding="utf-8")
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
        for block in blocks:
            if block.strip():
                assert "--hash=sha256:" in block, block.splitlines()[0]
        pins, _ = parse_lock(text)
        for python in ("3.12", "3.13"):
            env = {"python_version": python, "python_full_version": f"{python}.0",
                   "sys_platform": "linux", "platform_system": "Linux"}
            for name, versions in pins.items():
                chosen = [v for v, m in versions if m is None or Marker(m).evaluate(env)]
                assert len(chosen) <= 1, (path.name, name, python, chosen)


def test_docs_lock_pins_what_the_test_lock_pins():
    docs, _ = parse_lock(LOCKS["docs"].read_text(encoding="utf-8"))
    test, _ = parse_lock(LOCKS["test"].read_text(encoding="utf-8"))
    assert docs.keys() <= test.keys()
    for name, versions in docs.items():
        assert versions == test[name], name


def test_installs_come_from_the_lock():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes --no-deps -r $(LOCK_DOCS)" in makefile
    assert "--require-hashes --no-deps -r $(LOCK_TEST)" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    assert "$(NPM) ci --ignore-scripts" in makefile  # package-lock.json, its hashes checked
    assert re.search(r"pip install [^\n]*-e '\.\[(docs|test)\]'", makefile.split("test-latest:")[0]) is None
    rtd = (REPO / ".readthedocs.yaml").read_text(encoding="utf-8")
    assert "make html" in rtd and 'nodejs: "' in rtd


def test_pre_commit_runs_the_locked_ruff():
    pins, _ = parse_lock(LOCKS["test"].read_text(encoding="utf-8"))
    (ruff, _), = pins["ruff"]
    config = (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert f"rev: v{ruff}" in config


def test_a_dependency_missing_from_the_lock_is_caught():
    """The checks above can fail: a lock without one of pyproject's packages is refused."""
    text = LOCKS["docs"].read_text(encoding="utf-8")
    without = re.sub(r"\npyyaml==.*?(?=\n[A-Za-z0-9])", "", text, flags=re.S)
    _, direct = parse_lock(without)
    wanted = {canonicalize_name(r.name) for r in declared("docs")}
    assert wanted - direct == {"pyyaml"}
