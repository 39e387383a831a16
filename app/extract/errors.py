"""The one error extraction raises, in a module of its own so that every stage can import it."""

from __future__ import annotations


class ExtractionError(ValueError):
    """The input cannot be read as a document (binary data, an unknown format name, ...)."""
