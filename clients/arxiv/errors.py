"""One small hierarchy of errors, so callers can catch at the level they care about."""

from __future__ import annotations


class ArxivError(Exception):
    """Base of every error this package raises."""


class MalformedIdError(ArxivError, ValueError):
    """Text that is not (or cannot be) an arXiv identifier; `reason` says why."""

    def __init__(self, reference: str, reason: str) -> None:
        super().__init__(f"malformed arXiv id {reference!r}: {reason}")
        self.reference = reference
        self.reason = reason


class ArxivApiError(ArxivError):
    """arXiv answered with its error feed (HTTP 400/500, entry id under .../api/errors)."""

    def __init__(self, message: str, status: int, error_id: str = "") -> None:
        super().__init__(f"arXiv API error (HTTP {status}): {message}")
        self.message = message
        self.status = status
        self.error_id = error_id


class OaiError(ArxivError):
    """An OAI-PMH <error> element (these arrive as HTTP 200)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"OAI-PMH error {code}: {message}")
        self.code = code
        self.message = message


class UpstreamUnavailable(ArxivError):
    """arXiv could not be reached, or kept failing, after every retry.

    Callers must report the affected references as unverified, never as missing.
    """

    def __init__(self, reason: str, attempts: int) -> None:
        super().__init__(f"arXiv unavailable after {attempts} attempt(s): {reason}")
        self.reason = reason
        self.attempts = attempts


class PartialLookup(UpstreamUnavailable):
    """arXiv failed part-way through a lookup: `answers` holds the ids it had already answered
    (papers it returned are true whatever happens next); every other id is unverified."""

    def __init__(self, reason: str, attempts: int, answers: dict[object, object]) -> None:
        super().__init__(reason, attempts)
        self.answers = answers


class MalformedResponse(ArxivError):
    """A response that is not a complete, well-formed feed (empty, cut short, HTML, not Atom).

    Retried by the client; surfaces only inside UpstreamUnavailable.
    """
