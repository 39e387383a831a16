"""The command line: `arxiv-enrich serve | check | resolve | refresh | import | mirror | db upgrade`.

Exit status: 0 success, 1 when a check finds what --fail-on names, 2 for bad usage or unreadable
input, with one line on standard error.
"""

from __future__ import annotations

import os
import sys

# Each command lives in its own module under app/commands/ and registers itself on `cli` when
# imported; none of them imports this module.
from app.commands import check, db, importing, mirror, refresh, resolve, serve  # noqa: F401
from app.commands.common import UsageFailure, cli

__all__ = ["cli", "main"]


def main() -> None:
    """Console-script entry point: turns our usage failures and bad settings into exit 2."""
    from sqlalchemy.exc import OperationalError

    try:
        cli(standalone_mode=True)
    except UsageFailure as exc:
        print(f"arxiv-enrich: {exc}", file=sys.stderr)
        sys.exit(2)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        print(f"arxiv-enrich: database unavailable: {reason}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("ARXIV_ENRICH_DEBUG"):
            raise
        print(f"arxiv-enrich: internal error: {type(exc).__name__}: {exc} "
              "(set ARXIV_ENRICH_DEBUG=1 for the traceback)", file=sys.stderr)
        sys.exit(70)
