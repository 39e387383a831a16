"""arxiv-enrich: find paper references in documents, resolve them against arXiv, report the broken ones."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("arxiv-enrich")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
