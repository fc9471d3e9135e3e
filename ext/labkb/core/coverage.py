"""How complete and how well sourced the knowledge base is: the curation page and
``labkb check --coverage`` both print this, computed from the same records and problems.

Counts only what the records say: a field is *filled* when the validated entry has a value for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from labkb.core.records import EntryRecord
from labkb.core.schema import ENTRY_KINDS, KINDS

#: Fields every entry has (required), left out of the completeness of an entry.
_ALWAYS = frozenset({"name", "summary", "areas"})


@dataclass
class KindCoverage:
    kind: str
    count: int = 0
    with_sources: int = 0
    filled: dict[str, int] = field(default_factory=dict)  #: field -> entries having it

    def share(self, n: int) -> float:
        return n / self.count if self.count else 1.0


@dataclass
class Coverage:
    kinds: list[KindCoverage]
    least_complete: list[tuple[str, str, float]]  #: (kind, id, share of its kind's fields filled)
    areas_without_entries: list[str]
    missing: list[tuple[str, str]]  #: (what, where): references to nothing, from the problems
    threshold: float

    @property
    def sourced_share(self) -> float:
        """Share of research entries (projects, models) naming at least one source."""
        count = sum(k.count for k in self.kinds if k.kind in ENTRY_KINDS)
        sourced = sum(k.with_sources for k in self.kinds if k.kind in ENTRY_KINDS)
        return sourced / count if count else 1.0

    @property
    def below_threshold(self) -> bool:
        return self.sourced_share < self.threshold


def _fields(kind: str) -> list[str]:
    model = KINDS[kind]
    return [info.alias or name for name, info in model.model_fields.items()
            if (info.alias or name) not in _ALWAYS]


def coverage(records: Iterable[EntryRecord], areas: Iterable[str],
             missing: Iterable[tuple[str, str]] = (), threshold: float = 1.0) -> Coverage:
    """The coverage of ``records``; ``missing`` are the located reference problems."""
    records = list(records)
    kinds: dict[str, KindCoverage] = {}
    scores = []
    for rec in records:
        stats = kinds.setdefault(rec.kind, KindCoverage(rec.kind, filled={f: 0 for f in
                                                                          _fields(rec.kind)}))
        data = rec.dump()  # the fields the file set, by their YAML names
        stats.count += 1
        stats.with_sources += bool(data.get("sources")) or rec.kind == "source"
        have = [f for f in stats.filled if data.get(f) not in (None, [], {}, "")]
        for name in have:
            stats.filled[name] += 1
        if rec.kind in ENTRY_KINDS:
            scores.append((len(have) / len(stats.filled), rec.kind, rec.id))
    used = {a for rec in records if rec.is_research for a in rec.research.areas}
    least = [(kind, entry_id, share) for share, kind, entry_id in sorted(scores)[:10]]
    return Coverage([kinds[k] for k in sorted(kinds)], least,
                    sorted(set(areas) - used), sorted(set(missing)), threshold)


def report_lines(cov: Coverage) -> list[str]:
    """The coverage as plain text lines (``labkb check --coverage``)."""
    lines = [f"entries naming a source: {cov.sourced_share:.0%} (threshold {cov.threshold:.0%})"]
    for kind in cov.kinds:
        lines.append(f"{kind.kind}: {kind.count} records, {kind.share(kind.with_sources):.0%} "
                     "with sources")
        for name, n in kind.filled.items():
            lines.append(f"  {name}: {kind.share(n):.0%}")
    lines.append("least complete: " + ", ".join(f"{k}/{i} ({s:.0%})"
                                                 for k, i, s in cov.least_complete))
    lines.append("areas without entries: " + (", ".join(cov.areas_without_entries) or "none"))
    lines += [f"missing: {what} ({where})" for what, where in cov.missing] or ["missing: none"]
    return lines
