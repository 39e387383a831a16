"""JSON request bodies parsed under limits, so that no body can turn into a server error.

The standard library's parser recurses once per nesting level (RecursionError past ~1,000) and
turns every digit string into an int (ValueError past 4,300 digits): both are checked here first,
with a 400 that says which limit the body broke.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Our bodies are flat objects of strings; a little room for clients that send more than we read.
MAX_DEPTH = 32
MAX_NUMBER_LENGTH = 64

# A JSON string (skipped whole, so brackets inside text do not count) or one bracket.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.S)


class JsonLimitError(ValueError):
    """A body that is JSON, or nearly, but beyond what we parse."""


def _nesting(text: str) -> int:
    depth = deepest = 0
    for token in _TOKENS.finditer(text):
        char = token.group()[0]
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def _number(text: str) -> float | int:
    if len(text) > MAX_NUMBER_LENGTH:
        raise JsonLimitError(f"a number of {len(text)} characters; the limit is {MAX_NUMBER_LENGTH}")
    return float(text) if any(c in text for c in ".eE") else int(text)


def loads(body: bytes | str) -> Any:
    """The parsed body; JsonLimitError past a limit, ValueError (JSONDecodeError, UnicodeDecodeError)
    for a body that is not JSON."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    if _nesting(text) > MAX_DEPTH:
        raise JsonLimitError(f"nested more than {MAX_DEPTH} levels deep")
    return json.loads(text, parse_int=_number, parse_float=_number)
