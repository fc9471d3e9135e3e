"""CITATION.cff (Citation File Format 1.2.0) for an entry, so a repository can cite it the same way.

CFF requires ``authors``: the people of the entry, else its organization, else the entry itself as an
entity (a work always has someone to credit).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from labkb.core.cffschema import SCHEMA_PATH, schema_problems
from labkb.core.loader import load_yaml

__all__ = ["SCHEMA_PATH", "cff_text", "citation", "schema_problems"]

MESSAGE = "If you use this software, please cite it using the metadata from this file."
#: Hugging Face license ids -> SPDX ids (CFF accepts SPDX only); others are reported, not guessed.
SPDX = {"apache-2.0": "Apache-2.0", "mit": "MIT", "bsd-2-clause": "BSD-2-Clause",
        "bsd-3-clause": "BSD-3-Clause", "gpl-2.0": "GPL-2.0-only", "gpl-3.0": "GPL-3.0-only",
        "lgpl-3.0": "LGPL-3.0-only", "agpl-3.0": "AGPL-3.0-only", "mpl-2.0": "MPL-2.0",
        "cc0-1.0": "CC0-1.0", "cc-by-4.0": "CC-BY-4.0", "cc-by-sa-4.0": "CC-BY-SA-4.0",
        "cc-by-nc-4.0": "CC-BY-NC-4.0", "cc-by-nc-sa-4.0": "CC-BY-NC-SA-4.0", "unlicense": "Unlicense"}
#: Entry links that can be the landing page (``url``), best first.
LANDING = ("homepage", "docs", "huggingface", "modelscope", "demo", "paper", "arxiv", "blog")


def person_name(docs: Path, person_id: str, people_dir: str = "people") -> str | None:
    """A person's name: the ``name`` of the entry ``docs/<people_dir>/<id>.yaml``, else the ``#``
    title of ``docs/<people_dir>/<id>.md``."""
    entry = docs / people_dir / f"{person_id}.yaml"
    if entry.is_file():
        data = load_yaml(entry.read_text(encoding="utf-8"), str(entry)).data
        name = data.get("name") if isinstance(data, dict) else None
        return name if isinstance(name, str) else None
    page = docs / people_dir / f"{person_id}.md"
    if not page.is_file():
        return None
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


def _author(name: str) -> dict[str, str]:
    """A CFF person; a single word (e.g. a name in Chinese characters) stays whole."""
    given, _, family = name.rpartition(" ")
    return {"given-names": given, "family-names": family} if given else {"family-names": family}


def citation(data: dict[str, Any], docs: Path, people_dir: str = "people"
             ) -> tuple[dict[str, Any], list[str]]:
    """The CFF document for an entry's validated ``data``, and notes on what was approximated."""
    notes: list[str] = []
    authors = []
    for person in data.get("people", []):
        name = person_name(docs, person, people_dir)
        if name is None:
            notes.append(f"people: no page docs/{people_dir}/{person}.md; the id is used as the name")
        authors.append(_author(name or person))
    if not authors:
        entity = data.get("organization") or data["name"]
        authors = [{"name": entity}]
        notes.append(f"authors: the entry lists no people; the author is the entity {entity!r}")
    cff: dict[str, Any] = {"cff-version": "1.2.0", "message": MESSAGE, "type": "software",
                           "title": data["name"], "authors": authors, "abstract": data["summary"]}
    links = data.get("links") or {}
    code = links.get("code") or (f"https://github.com/{data['github']}" if data.get("github") else None)
    if code:
        cff["repository-code"] = code
    if links.get("huggingface"):
        cff["repository-artifact"] = links["huggingface"]
    landing = next((links[k] for k in LANDING if links.get(k)), None)
    if landing:
        cff["url"] = landing
    if data.get("release_date"):
        cff["date-released"] = str(data["release_date"])
    if data.get("tags"):
        cff["keywords"] = list(dict.fromkeys(data["tags"]))
    if data.get("license"):
        spdx = SPDX.get(str(data["license"]).lower())
        if spdx:
            cff["license"] = spdx
        else:
            notes.append(f"license: {data['license']!r} is not an SPDX id CFF accepts; left out")
    return cff, notes


def cff_text(cff: dict[str, Any]) -> str:
    """YAML text; the date stays a quoted string, which the CFF schema validates without casting."""
    return yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=100)
