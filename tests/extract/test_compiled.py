"""The mypyc-compiled extraction modules: used only while they match their sources, and giving
exactly the references the pure-Python modules give.

`make` compiles them before the tests (tools/build_native.py); where they were not built, the
tests that compare them skip and say so.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import app
from app.compiled import MANIFEST, PURE_PYTHON_VARIABLE

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"
# A fake extension module: importing it fails, so an import that succeeds read the source.
BROKEN_EXTENSION = b"not a shared library"
EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]  # the one Python tries first

# Prints what every reference of the documents named on the command line holds, as one digest.
DIGEST = textwrap.dedent(
    """
    import hashlib, sys
    import app
    from app.extract import extract
    digest = hashlib.sha256()
    count = 0
    for path in sys.argv[1:]:
        data = open(path, "rb").read()
        for document in (extract(data, name=path), extract(data.decode("utf-8", "replace"), name=path)):
            for reference in document.references:  # a dataclass: its repr shows every field
                digest.update(repr(reference).encode("utf-8", "surrogatepass"))
                count += 1
    print(app.COMPILED_EXTRACTION, count, digest.hexdigest())
    """
)


def _run(code: str, *args: str, cwd: Path = ROOT, pure: bool = False) -> str:
    env = {k: v for k, v in os.environ.items() if k != PURE_PYTHON_VARIABLE}
    if pure:
        env[PURE_PYTHON_VARIABLE] = "1"
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _fake_package(root: Path, *, current: bool) -> Path:
    """A package with a source module and a broken "compiled" one beside it, and a record of its
    sources that is current or stale."""
    package = root / "fakepkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "mod.py").write_text("WHERE = 'source'\n")
    (package / f"mod{EXTENSION}").write_bytes(BROKEN_EXTENSION)
    sources = {
        name: hashlib.sha256((package / name).read_bytes()).hexdigest() for name in ("__init__.py", "mod.py")
    }
    if not current:
        sources["mod.py"] = "0" * 64  # edited since it was compiled
    (root / "native.json").write_text(json.dumps({"cache_tag": sys.implementation.cache_tag, "sources": sources}))
    return package


_IMPORT_FAKE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from app.compiled import guard
    compiled = guard("fakepkg", Path({root!r}) / "fakepkg", Path({root!r}) / "native.json")
    try:
        import fakepkg.mod
        print(compiled, fakepkg.mod.WHERE)
    except ImportError:
        print(compiled, "extension")
    """
)


def test_stale_compiled_modules_are_passed_over_for_their_sources(tmp_path: Path) -> None:
    _fake_package(tmp_path, current=False)
    assert _run(_IMPORT_FAKE.format(root=str(tmp_path))) == "False source"


def test_current_compiled_modules_are_used(tmp_path: Path) -> None:
    _fake_package(tmp_path, current=True)
    # the import reaches the (broken) extension module: the guard left Python's own choice alone
    assert _run(_IMPORT_FAKE.format(root=str(tmp_path))) == "True extension"


def test_pure_python_can_be_asked_for(tmp_path: Path) -> None:
    _fake_package(tmp_path, current=True)
    assert _run(_IMPORT_FAKE.format(root=str(tmp_path)), pure=True) == "False source"


def test_a_fresh_build_is_used() -> None:
    """The record the build writes matches the sources it was built from (else the guard would
    pass over every fresh build, and extraction would silently run at pure-Python speed). In CI
    the build has just run; elsewhere a source may have been edited since."""
    if not MANIFEST.exists():
        pytest.skip("app/extract is not compiled here (tools/build_native.py was not run or could not compile)")
    if os.environ.get(PURE_PYTHON_VARIABLE):
        pytest.skip(f"{PURE_PYTHON_VARIABLE} is set")
    if not os.environ.get("CI") and not app.COMPILED_EXTRACTION:
        pytest.skip("a source of app/extract changed since it was compiled (make rebuilds it)")
    assert app.COMPILED_EXTRACTION
    from app.extract import prose

    assert prose.__spec__.origin is not None
    assert not prose.__spec__.origin.endswith(".py")


def _documents(tmp_path: Path) -> list[str]:
    paths = [p for p in (FIXTURES / "documents").iterdir() if p.suffix != ".json"]
    if SEEDS.exists():
        paths += sorted(SEEDS.glob("*.txt"))
    # larger than a piece (1 MB), so that the piece reader runs too
    posts = b"\n\n".join(p.read_bytes() for p in paths if p.suffix in (".md", ".txt"))
    large = tmp_path / "large.md"
    large.write_bytes(posts * (1_200_000 // len(posts) + 1))
    return [str(p) for p in [*paths, large]]


def test_compiled_and_pure_python_extract_the_same(tmp_path: Path) -> None:
    if not app.COMPILED_EXTRACTION:
        pytest.skip("app/extract is not compiled here, or not current: nothing to compare")
    documents = _documents(tmp_path)
    compiled = _run(DIGEST, *documents)
    pure = _run(DIGEST, *documents, pure=True)
    assert compiled.startswith("True ") and pure.startswith("False ")
    assert compiled.split()[1:] == pure.split()[1:]
    assert int(compiled.split()[1]) > 1000
