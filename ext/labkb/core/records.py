"""One entry file as the knowledge base holds it: where it is, and its validated record.

The record is the pydantic model that validated it (:class:`~labkb.core.schema.Project`,
:class:`~labkb.core.schema.Model`, :class:`~labkb.core.provenance.SourceDoc`,
:class:`~labkb.core.people.Person`), so every layer reads
typed attributes; :meth:`EntryRecord.dump` gives the JSON form the exports write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from labkb.core.newsitem import News
from labkb.core.people import Person
from labkb.core.provenance import SourceDoc
from labkb.core.schema import ENTRY_KINDS, Project

#: What an entry file validates into.
Entry = Project | SourceDoc | News | Person


@dataclass
class EntryRecord:
    """An entry file: its id (the file name), kind (its folder), document, and record.

    ``entry`` is ``None`` when the file could not be built (its problems were reported)."""

    id: str
    kind: str
    docname: str
    path: str
    entry: Entry | None
    #: field path ("name", "papers[0]") -> line in the file, for located messages
    lines: dict[str, int] = field(default_factory=dict)
    #: references to nothing, as ("field: message", "file:line"), for the curation page
    missing: list[tuple[str, str]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The page's label and section id, unique per entry."""
        return f"kb-{self.kind}-{self.id}"

    @property
    def is_research(self) -> bool:
        """A project or model (what grids show), not a source record."""
        return self.kind in ENTRY_KINDS and isinstance(self.entry, Project)

    @property
    def research(self) -> Project:
        """The record as a research entry; only for :attr:`is_research` records."""
        if not isinstance(self.entry, Project):
            raise TypeError(f"{self.id} is a {self.kind} record, not a research entry")
        return self.entry

    @property
    def person(self) -> Person:
        """The record as a person entry; only for ``person`` records."""
        if not isinstance(self.entry, Person):
            raise TypeError(f"{self.id} is a {self.kind} record, not a person")
        return self.entry

    @property
    def name(self) -> str:
        """What pages call it: its name (a news item's title)."""
        if isinstance(self.entry, News):
            return self.entry.title
        return self.entry.name if self.entry is not None else self.id

    def line(self, field_path: str) -> int:
        return self.lines.get(field_path, 1)

    def dump(self) -> dict[str, Any]:
        """The record as JSON data: the fields the file set, by their YAML names."""
        if self.entry is None:
            return {}
        return self.entry.model_dump(mode="json", by_alias=True, exclude_defaults=True)
