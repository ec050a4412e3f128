"""A command's JSON request body, read with its limits checked before it is parsed.

A body nested thousands of levels deep used to reach Python's recursion limit inside the JSON parser (a
500 with nothing logged); one of megabytes could be stored as one event. The depth is counted on the
raw text first, so the parser never sees a body it cannot handle.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import request
from flask_smorest import abort

# No command's input nests deeper than a few levels (a brief inside a project, apologies in a list).
MAX_DEPTH = 32
# Command bodies are text; files go to /api/v1/files as multipart.
MAX_BYTES = 1024 * 1024
_STRING = re.compile(rb'"(?:\\.|[^"\\])*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def nesting_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def json_object() -> dict[str, Any]:
    """The request's JSON object (an empty body is an empty object); a 400 or 413 problem says what to fix."""
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BYTES:
        abort(413, message=f"The request body is {len(raw):,} bytes; a command's JSON may be at most {MAX_BYTES:,}.")
    if not raw.strip():
        return {}
    if request.mimetype != "application/json":
        abort(415, message="Send the command's input as a JSON object, with Content-Type: application/json.")
    if nesting_depth(raw) > MAX_DEPTH:
        abort(400, message=f"The JSON is nested more than {MAX_DEPTH} levels deep; no command's input is.")
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        abort(400, message="The request body is not valid JSON: send one JSON object.")
    if not isinstance(value, dict):
        abort(400, message="Send a JSON object of the command's fields, not an array or a single value.")
    if not _is_unicode(value):
        # JSON may escape half of a surrogate pair ("\ud800"): not a character, so not text anyone can store.
        abort(400, message="The JSON holds an escaped lone surrogate (like \\ud800), which is not a character.")
    return value


def _is_unicode(value: Any) -> bool:
    """Whether every string in a parsed JSON value (keys too) is real Unicode text."""
    if isinstance(value, str):
        return not any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return all(_is_unicode(k) and _is_unicode(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_is_unicode(v) for v in value)
    return True
