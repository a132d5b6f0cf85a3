"""Safe, stable file names for report pages, derived from article ids.

Ids are the user's own and can hold anything (``/``, ``..``, spaces, any Unicode, names that
differ only in case), so a name is a short ASCII slug for people reading a folder listing,
then a hash of the exact id for uniqueness: never a path separator, never a clash on a
case-insensitive file system (the slug is lower case, the hash hex).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_UNSAFE = re.compile(r"[^a-z0-9]+")
_SLUG_CHARS = 40


def slug(text: str, limit: int = _SLUG_CHARS) -> str:
    """Lower-case ASCII letters and digits joined by ``-`` (accents dropped; may be empty)."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", ascii_.lower()).strip("-")[:limit].strip("-")


def _digest(*parts: str) -> str:
    # "\0" cannot be confused with a character of an id read from text formats
    joined = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(joined).hexdigest()[:12]


def _name(label: str, digest: str) -> str:
    return f"{label}-{digest}.html" if label else f"{digest}.html"


def family_file(family_id: str) -> str:
    """``families/<slug>-<hash>.html`` for a family id."""
    return "families/" + _name(slug(family_id), _digest("family", family_id))


def pair_file(a: str, b: str) -> str:
    """``pairs/<slug-a>--<slug-b>-<hash>.html`` for the pair (a, b)."""
    label = "--".join(s for s in (slug(a, 28), slug(b, 28)) if s)
    return "pairs/" + _name(label, _digest("pair", a, b))
