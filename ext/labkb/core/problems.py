"""Problems found in source files, independent of Sphinx so the CLI can report them too."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem: ``file:line: field: message``, with a subtype for ``suppress_warnings``."""

    path: str  #: the file, as given to the loader
    line: int  #: 1-based line number (1 when the whole file is at fault)
    field: str  #: dotted field path, e.g. ``links.code`` or ``architecture[0].name``; "" for the file
    message: str
    subtype: str = "schema"  #: ``yaml``, ``schema``, ``ref``, ``link``, ``id``, ``duplicate``

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    def __str__(self) -> str:
        field = f"{self.field}: " if self.field else ""
        return f"{self.location}: {field}{self.message}"


def field_path(loc: tuple[str | int, ...]) -> str:
    """Render a location tuple as ``a.b[0].c``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def decode_problem(path: str, data: bytes, encoding: str = "utf-8-sig") -> Problem | None:
    """The located problem of bytes that are not valid text in ``encoding``, or None."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        name = "UTF-8" if encoding.lower().startswith("utf-8") else encoding
        return Problem(path, line, "", f"not valid {name} text (byte 0x{data[exc.start]:02x}); "
                       "the file is skipped", "encoding")
    return None
