"""File names in ``Content-Disposition``, as RFC 6266 says: ``filename*=UTF-8''…`` (RFC 5987,
percent-encoded UTF-8) for the real name, which may be Chinese or Welsh (ŵ, ŷ), and a plain-ASCII
``filename`` beside it for old clients. A header is Latin-1 on the wire: a raw non-Latin-1 name there
made Werkzeug's server fail mid-response, which the browser saw as a request that never ended.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

# What a quoted filename may hold: printable ASCII without quotes, backslashes, or the percent sign,
# which some clients would read as an escape.
_NOT_PLAIN = re.compile(r'[^\x20-\x7e]|["\\%]')


def ascii_fallback(filename: str, default_stem: str = "download") -> str:
    """The name with accents dropped (ŵ → w) and anything else outside plain ASCII removed."""
    plain = _NOT_PLAIN.sub("", unicodedata.normalize("NFKD", filename)).strip()
    suffix = _NOT_PLAIN.sub("", PurePath(filename).suffix)
    if not plain or plain == suffix or plain.startswith("."):
        plain = default_stem + suffix
    return plain


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    fallback = ascii_fallback(filename)
    if fallback == filename:
        return f'{disposition}; filename="{filename}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# A cell a spreadsheet would run as a formula is written as text (CSV injection): OWASP's list, a leading
# tab or carriage return (which some spreadsheets skip before reading a formula) included.
FORMULA_STARTS = frozenset("=+-@\t\r\n")


def csv_cell(value: Any) -> str:
    """A value as a CSV download's cell: empty for None, and never a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text
