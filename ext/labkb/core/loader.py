"""Safe YAML loading that remembers the source line of every key and value.

The only module that knows about YAML. Aliases and anchors are refused (they are never needed in an
entry and they make "billion laughs" documents possible); duplicate keys, which PyYAML silently
collapses, are reported.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from labkb.core.problems import Problem, field_path

Path = tuple[str | int, ...]

#: libyaml's safe loader when PyYAML was built with it (ten times faster), else the pure one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Refuse files larger than this before parsing (a YAML entry is a few kilobytes).
MAX_BYTES = 1_000_000
#: Refuse documents nested deeper than this.
MAX_DEPTH = 20


@dataclass
class Loaded:
    """The data of one YAML file plus the line of each path in it (1-based)."""

    data: Any = None
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, loc: Path) -> int:
        """The line of ``loc``, or of its closest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


class _RefusedError(Exception):
    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


def load_yaml(text: str, path: str) -> Loaded:
    """Parse ``text`` (the content of ``path``) into plain Python data with line numbers."""
    out = Loaded()
    if len(text) > MAX_BYTES:
        out.problems.append(Problem(path, 1, "", f"file is larger than {MAX_BYTES} bytes", "yaml"))
        return out
    text = text.removeprefix("\ufeff")
    loader = _Loader(text)
    try:
        _prescan(text)
        node = loader.get_single_node()
        if node is None:
            out.problems.append(Problem(path, 1, "", "the file is empty", "yaml"))
            return out
        _walk(node, (), out.lines, set(), 0)
        try:
            out.data = loader.construct_document(node)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # a value PyYAML resolved but cannot build: 2020-13-45, !!int x
            _refuse_unbuildable(node, exc)
    except _RefusedError as exc:
        out.problems.append(Problem(path, exc.line, exc.field, exc.message, "yaml"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        last = _line_count(text)
        line = min(mark.line + 1, last) if mark else 1
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p) or "invalid YAML"
        start = min(exc.context_mark.line + 1, last) if exc.context_mark else line
        if start != line:
            message += f" (the construct starts on line {start})"
        out.problems.append(Problem(path, line, "", f"YAML syntax error: {message}", "yaml"))
    except yaml.YAMLError as exc:  # reader errors (control characters) and the like
        out.problems.append(Problem(path, 1, "", f"YAML error: {exc}", "yaml"))
    except RecursionError:
        out.problems.append(Problem(path, 1, "", "the document is nested too deeply", "yaml"))
    finally:
        loader.dispose()
    # libyaml may put the end of the stream on a line after the last one: say the last one
    last = _line_count(text)
    out.problems = [replace(p, line=min(p.line, last)) for p in out.problems]
    out.lines = {loc: min(line, last) for loc, line in out.lines.items()}
    return out


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _line_count(text: str) -> int:
    """Lines as YAML and editors count them (after a final line break, one more, empty line)."""
    return len(_BREAK.findall(text)) + 1


def _text_before(text: str, line: int, column: int) -> str:
    """The text before 0-based ``line`` and ``column``, counting line breaks as YAML does."""
    starts = [0] + [m.end() for m in _BREAK.finditer(text)]
    return text[: starts[min(line, len(starts) - 1)] + column]


def _prescan(text: str) -> None:
    """Refuse aliases and nesting deeper than :data:`MAX_DEPTH` from the event stream, before
    composing: libyaml's composer recurses in C (a deep document is a segfault, not a
    RecursionError), and an alias event knows its own line (its node only the anchor's).

    Syntax errors are left to the composer, which reports them at the same place, except libyaml's
    own nesting limit (PyYAML >= 6.0.4 stops at about 1,000 levels, looking ahead of the events):
    the text up to that point is scanned again, so labkb's limit, at :data:`MAX_DEPTH`, speaks
    first and the warning is the same whichever PyYAML is installed."""
    try:
        _scan_events(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        if mark is None or "nesting depth" not in str(exc.problem):
            return
        with contextlib.suppress(yaml.YAMLError):
            _scan_events(_text_before(text, mark.line, mark.column))
        raise _RefusedError(mark.line + 1, "", "nested too deeply") from None
    except yaml.YAMLError:
        return


def _scan_events(text: str) -> None:
    """The event loop of :func:`_prescan`; raises :class:`_RefusedError` or the parser's error."""
    scanner = _Loader(text)
    frames: list[_Frame] = []  # the open collections, innermost last
    try:
        while (event := scanner.get_event()) is not None:
            if isinstance(event, yaml.CollectionEndEvent):
                frames.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            loc = frames[-1].locate(event) if frames else ()
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent):
                raise _RefusedError(line, field_path(loc), "YAML aliases are not allowed")
            if isinstance(event, yaml.CollectionStartEvent):
                if len(loc) > MAX_DEPTH:
                    raise _RefusedError(line, field_path(loc), "nested too deeply")
                frames.append(_Frame(loc, isinstance(event, yaml.MappingStartEvent)))
    finally:
        scanner.dispose()


@dataclass
class _Frame:
    """An open collection while scanning events: its path, and where the next node goes."""

    loc: Path
    mapping: bool
    next: str | int = 0  #: the key of the next value, or the index of the next item
    key_turn: bool = True  #: in a mapping, whether the next node is a key

    def locate(self, event: yaml.NodeEvent) -> Path:
        """The path of the node ``event`` starts (a key has its mapping's path plus ``?``)."""
        if not self.mapping:
            index = int(self.next)
            self.next = index + 1
            return (*self.loc, index)
        if self.key_turn:
            self.key_turn = False
            self.next = event.value if isinstance(event, yaml.ScalarEvent) else "?"
            return (*self.loc, "?")
        self.key_turn = True
        return (*self.loc, self.next)


def _refuse_unbuildable(root: yaml.Node, exc: Exception) -> None:
    """Raise :class:`_RefusedError` at the first scalar that cannot be built (the cause of ``exc``)."""
    probe = _Loader("")
    pending: list[tuple[Path, yaml.Node]] = [((), root)]
    try:
        while pending:
            loc, node = pending.pop(0)
            if isinstance(node, yaml.ScalarNode):
                try:
                    probe.construct_object(node)
                except Exception as err:
                    detail = f" ({err})" if isinstance(err, ValueError) else ""
                    raise _RefusedError(node.start_mark.line + 1, field_path(loc),
                                   f"{node.value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}"
                                   f"{detail}") from None
                finally:
                    probe.constructed_objects.clear()
                    probe.recursive_objects.clear()
            elif isinstance(node, yaml.MappingNode):
                pending[:0] = [item for k, v in node.value for item in (((*loc, k.value), k),
                                                                        ((*loc, k.value), v))]
            elif isinstance(node, yaml.SequenceNode):
                pending[:0] = [((*loc, i), v) for i, v in enumerate(node.value)]
    finally:
        probe.dispose()
    raise _RefusedError(root.start_mark.line + 1, "", f"invalid value: {exc}")


def _walk(node: yaml.Node, loc: Path, lines: dict[Path, int], seen: set[int], depth: int) -> None:
    """Record lines, refuse aliases, duplicate keys and excessive nesting."""
    if id(node) in seen:
        raise _RefusedError(node.start_mark.line + 1, field_path(loc), "YAML aliases are not allowed")
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _RefusedError(node.start_mark.line + 1, field_path(loc), "nested too deeply")
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        keys: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _RefusedError(key_node.start_mark.line + 1, field_path(loc), "keys must be plain")
            key = key_node.value
            if key in keys:
                raise _RefusedError(
                    key_node.start_mark.line + 1,
                    field_path((*loc, key)),
                    f"duplicate key (first defined on line {keys[key]})",
                )
            keys[key] = key_node.start_mark.line + 1
            _walk(value_node, (*loc, key), lines, seen, depth + 1)
            lines[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*loc, i), lines, seen, depth + 1)
