"""The value types entries are made of (ids, URLs, short and long text) and the strict base model.

Shared by every kind's model (:mod:`labkb.core.schema`, :mod:`labkb.core.provenance`)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
KEY_RE = re.compile(r"^[A-Za-z0-9_:.+/-]+$")


def unsafe_uri(uri: str) -> bool:
    """A URI with a scheme other than http(s): ``javascript:``, ``data:``, ``vbscript:`` ...
    Relative URIs and fragments are safe. Browsers ignore control characters and spaces in a
    scheme (``java\tscript:``), so they are ignored here too."""
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", re.sub(r"[\x00-\x20\x7f]+", "", uri))
    return match is not None and match.group(1).lower() not in ("http", "https")


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s<>\"']+$", value):
        raise ValueError("must be an http:// or https:// URL")
    return value


def _image_ref(value: str) -> str:
    if re.match(r"^https?://", value):
        return _http_url(value)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value) or value.startswith(("/", "\\")):
        raise ValueError("must be an http(s) URL or a path relative to the docs folder")
    if ".." in value.replace("\\", "/").split("/"):
        raise ValueError("must not leave the docs folder ('..')")
    if re.search(r"[\x00-\x1f\x7f<>\"'`|*?]", value):  # never in a file name; * and ? glob
        raise ValueError("must be a file name: no control characters, quotes, <, >, |, * or ?")
    return value


def _entry_id(value: str) -> str:
    if not ID_RE.match(value):
        raise ValueError("must be lowercase letters, digits and hyphens, starting with a letter")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
ImageRef = Annotated[str, AfterValidator(_image_ref)]
EntryId = Annotated[str, AfterValidator(_entry_id)]
Text = Annotated[str, Field(min_length=1, max_length=20_000)]
Short = Annotated[str, Field(min_length=1, max_length=300)]
GithubRepo = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
BibKey = Annotated[str, Field(pattern=KEY_RE.pattern)]


class Strict(BaseModel):
    """Unknown fields are refused; strings are stripped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)
