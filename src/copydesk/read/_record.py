"""Turn one raw input record into an :class:`Article` or a :class:`Reject` — the rules shared
by every format.

Format modules only find records (a JSON object, a CSV row, a ``.txt`` file) and yield them as
:class:`Row`; the rules that decide what a usable article is live here, once:

- ``id``: a non-empty string; an integer is converted to its decimal string.
- ``text``: a string that is not empty after ``strip()``; kept exactly as supplied.
- ``title``, ``date``, ``source``, ``url``: optional.  A string is kept (an empty one means
  absent), a number is converted to ``str``, a date/datetime to ISO 8601; any other value goes
  to ``extra`` under the same name and the field is left ``None``.
- every other field goes to ``extra``.
- a named field holding an unpaired surrogate (possible through JSON ``\\ud800`` escapes) is
  rejected: such a string cannot be written back out as UTF-8.

Reasons are ``"category"`` or ``"category: detail"``; :class:`~copydesk.read.RejectLog` counts
by the category.

Exports that name things differently (``doc_id``, ``body``, ``published``) are read through a
:class:`FieldMap` (``--id-field`` ...), which renames a record's fields before these rules
apply, so a mapped record becomes exactly the article its renamed twin would.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from ..errors import ConfigError
from ..records import Article, Reject

OPTIONAL_FIELDS = ("title", "date", "source", "url")
KNOWN_FIELDS = frozenset(("id", "text", *OPTIONAL_FIELDS))

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(slots=True)
class Row:
    """One record as found in the input, before validation."""

    where: str  # "path:line", "path:row" or "path"
    fields: Mapping[str, Any]
    raw: str | None = None  # the input text of the record; derived from ``fields`` if None
    raw_bytes: bytes | None = None  # ... or its bytes, decoded when needed
    #: the parser guarantees valid Unicode strings (no unpaired surrogates)
    clean: bool = False

    def raw_text(self) -> str:
        """The record as text, for a reject entry."""
        if self.raw is not None:
            return self.raw
        if self.raw_bytes is not None:
            return self.raw_bytes.decode("utf-8", errors="replace").rstrip("\r\n")
        return json.dumps(dict(self.fields), ensure_ascii=False, default=str)


@dataclass(frozen=True, slots=True)
class FieldMap:
    """The input field that holds each article field (``FieldMap(id="doc_id", text="body")``).

    A field of a standard name that a mapping displaces (a ``id`` column beside the mapped
    ``doc_id``) is not lost: it is kept in ``Article.extra`` under its own name."""

    id: str = "id"
    text: str = "text"
    title: str = "title"
    date: str = "date"
    source: str = "source"

    def __post_init__(self) -> None:
        names = [getattr(self, f.name) for f in dataclass_fields(self)]
        if any(not isinstance(n, str) or not n.strip() for n in names):
            raise ConfigError("field names must be non-empty strings")
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ConfigError(f"field {repeated[0]!r} is mapped to two article fields; "
                              "give each of --id-field, --text-field, ... its own field")

    @property
    def identity(self) -> bool:
        """True if every article field is read from the field of its own name."""
        return self == _IDENTITY

    def pairs(self) -> list[tuple[str, str]]:
        """(article field, input field) for every field read from another name."""
        return [(f.name, getattr(self, f.name)) for f in dataclass_fields(self)
                if getattr(self, f.name) != f.name]

    def apply(self, fields: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """``fields`` renamed to article fields, and the displaced fields (for ``extra``)."""
        pairs = self.pairs()
        sources = {src for _, src in pairs}
        targets = {dst for dst, _ in pairs}
        out: dict[str, Any] = {}
        displaced: dict[str, Any] = {}
        for key, value in fields.items():
            if key in sources:
                continue
            (displaced if key in targets else out)[key] = value
        for dst, src in pairs:
            if src in fields:
                out[dst] = fields[src]
        return out, displaced


_IDENTITY = FieldMap()


def map_row(row: Row, fmap: FieldMap) -> Article | Reject:
    """:func:`to_article` of ``row`` read through ``fmap``."""
    if fmap.identity:
        return to_article(row)
    mapped, displaced = fmap.apply(row.fields)
    result = to_article(Row(row.where, mapped, row.raw, row.raw_bytes, row.clean))
    if displaced and isinstance(result, Article):
        result.extra.update(displaced)
    return result


def type_name(value: object) -> str:
    """A JSON-ish name for a value's type, for messages."""
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string",
            list: "array", dict: "object"}.get(type(value), type(value).__name__)


def utf8_reason(err: UnicodeDecodeError) -> str:
    """Reject reason for bytes that are not UTF-8: ``not valid UTF-8: byte 0xff at offset 7``."""
    return f"not valid UTF-8: byte 0x{err.object[err.start]:02x} at offset {err.start}"


def _has_surrogate(s: str) -> bool:
    return not s.isascii() and _SURROGATE.search(s) is not None


def _blank(s: str) -> bool:
    """``not s.strip()`` without copying a long string."""
    return not s or s.isspace()


def _check_id(value: object) -> str | tuple[str]:
    """The id as a string, or a 1-tuple holding the reject reason."""
    if value is None:
        return ("missing id",)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return (f"invalid id: expected a string, got {type_name(value)}",)
    if _blank(value):
        return ("empty id",)
    return value


def _optional(value: object) -> tuple[str | None, bool]:
    """(field value, usable).  Unusable values are moved to ``extra`` by the caller."""
    if value is None:
        return None, True
    if isinstance(value, str):
        return (None if _blank(value) else value), True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        return (None if math.isnan(value) else str(value)), True
    if isinstance(value, dt.date):  # also datetime; Parquet date/timestamp columns
        return value.isoformat(), True
    return None, False


_PLAIN = frozenset((str, type(None)))

#: Article's slots in the order of its fields (checked below): :func:`_article` fills them
_SLOTS = tuple(getattr(Article, f.name) for f in dataclass_fields(Article))
assert tuple(d.__name__ for d in _SLOTS) == ("id", "text", *OPTIONAL_FIELDS, "extra")
_new = object.__new__
_SET = tuple(d.__set__ for d in _SLOTS)


def _article(art_id: str, text: str, title: str | None, date: str | None, source: str | None,
             url: str | None) -> Article:
    """``Article(art_id, text, title, date, source, url, {})`` without the frozen dataclass's
    ``__init__`` (an ``object.__setattr__`` by name per field): its slots are set directly,
    0.86 -> 0.46 us an article."""
    art = _new(Article)
    s_id, s_text, s_title, s_date, s_source, s_url, s_extra = _SET
    s_id(art, art_id)
    s_text(art, text)
    s_title(art, title)
    s_date(art, date)
    s_source(art, source)
    s_url(art, url)
    s_extra(art, {})
    return art


def plain_article(fields: dict[str, Any]) -> Article | None:
    """:func:`to_article` for the plainest records — known fields only, each a string or
    null, id and text not blank, parsed by a parser that guarantees valid Unicode —
    without the general checks; None for any other record (:func:`to_article` decides)."""
    if not (fields.keys() <= KNOWN_FIELDS and _PLAIN.issuperset(map(type, fields.values()))):
        return None
    get = fields.get
    art_id, text = get("id"), get("text")
    if not art_id or not text or art_id.isspace() or text.isspace():
        return None
    # each optional field: None when absent or blank (_blank inlined: a call per field
    # per article added up)
    title, date, source, url = get("title"), get("date"), get("source"), get("url")
    return _article(art_id, text, title if title and not title.isspace() else None,
                    date if date and not date.isspace() else None,
                    source if source and not source.isspace() else None,
                    url if url and not url.isspace() else None)


def _reject(row: Row, reason: str, art_id: str | None) -> Reject:
    return Reject(row.where, reason, art_id, row.raw_text())


def to_article(row: Row) -> Article | Reject:
    """Validate ``row``; never raises."""
    fields = row.fields
    art_id = _check_id(fields.get("id"))
    if isinstance(art_id, tuple):
        return _reject(row, art_id[0], None)

    text = fields.get("text")
    if text is None:
        return _reject(row, "missing text", art_id)
    if not isinstance(text, str):
        return _reject(row, f"invalid text: expected a string, got {type_name(text)}", art_id)
    if _blank(text):
        return _reject(row, "empty text", art_id)

    # a record of known fields only (the usual case) has no extra: no dict to build
    extra: dict[str, Any] = {} if fields.keys() <= KNOWN_FIELDS else \
        {k: v for k, v in fields.items() if k not in KNOWN_FIELDS}
    optional: list[str | None] = []
    for name in OPTIONAL_FIELDS:
        value = fields.get(name)
        if value is None or type(value) is str:  # the common case, inline
            optional.append(None if value is None or _blank(value) else value)
            continue
        value, usable = _optional(value)
        optional.append(value)
        if not usable:
            extra[name] = fields[name]

    if not row.clean:
        for name, value in zip(("id", "text", *OPTIONAL_FIELDS), (art_id, text, *optional), strict=True):
            if value is not None and _has_surrogate(value):
                return _reject(row, f"not valid Unicode: unpaired surrogate in {name}", art_id)

    title, date, source, url = optional
    return Article(art_id, text, title, date, source, url, extra)
