"""The compiled extraction modules are used only while they match their sources.

`make` compiles app/extract with mypyc (tools/build_native.py; 1.2 to 1.5 times the speed, see
docs/BENCHMARKS.md), and writes each source's sha256 beside the compiled modules. Python prefers an
extension module to the source beside it, so a source edited since would be ignored without a word.
So when the sources and that record disagree (or ARXIV_ENRICH_PURE_PYTHON is set) every module of
the package is read from its source: all of them, since compiled modules call each other's compiled
functions directly and cannot be mixed with edited ones.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

PACKAGE = "app.extract"
DIRECTORY = Path(__file__).resolve().parent / "extract"
MANIFEST = DIRECTORY / "native.json"  # written by tools/build_native.py, not kept in git
PURE_PYTHON_VARIABLE = "ARXIV_ENRICH_PURE_PYTHON"
_log = logging.getLogger(__name__)


def source_digests(directory: Path) -> dict[str, str]:
    """The sha256 of each module source of the package, by file name."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(directory.glob("*.py"))
    }


def compiled_modules(directory: Path) -> list[str]:
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return [name for name in os.listdir(directory) if name.endswith(suffixes)]


def is_current(directory: Path, manifest: Path) -> bool:
    """Whether the compiled modules were built from the sources there now, by this interpreter."""
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(recorded, dict)
        and recorded.get("cache_tag") == sys.implementation.cache_tag
        and recorded.get("sources") == source_digests(directory)
    )


class _SourceFinder:
    """Finds the package and its modules as their .py sources, past any extension module."""

    def __init__(self, package: str, directory: Path) -> None:
        self.package = package
        self.directory = directory

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == self.package:
            return importlib.util.spec_from_file_location(
                fullname, self.directory / "__init__.py", submodule_search_locations=[str(self.directory)]
            )
        parent, _, name = fullname.rpartition(".")
        source = self.directory / f"{name}.py"
        if parent != self.package or not source.is_file():
            return None  # the compiled group's own library has no source: never imported then
        return importlib.util.spec_from_file_location(fullname, source)


def guard(package: str = PACKAGE, directory: Path = DIRECTORY, manifest: Path = MANIFEST) -> bool:
    """Called before the package is first imported: reads it from its sources where its compiled
    modules are stale or pure Python is asked for. Whether the compiled modules will be used."""
    if not directory.is_dir() or not compiled_modules(directory):
        return False
    if os.environ.get(PURE_PYTHON_VARIABLE):
        reason = f"{PURE_PYTHON_VARIABLE} is set"
    elif not is_current(directory, manifest):
        reason = "its sources changed since they were compiled (make rebuilds them)"
    else:
        return True
    _log.info("%s runs as pure Python: %s", package, reason)
    sys.meta_path.insert(0, _SourceFinder(package, directory))
    return False
