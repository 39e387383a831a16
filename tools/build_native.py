"""Compile app/extract with mypyc, in place, and record the sources it was compiled from.

    .venv/bin/python tools/build_native.py

Run by `make` (the set-up of `make run` and `make test`) whenever a source of app/extract changed.
The C code and object files are made in a temporary directory; only the extension modules and
app/extract/native.json (each source's sha256) land in the tree, and git ignores both. app/compiled.py
uses them only while the sources match that record. Where they cannot be built (no C compiler, a
construct mypyc rejects) this says so in one line, removes any old ones and exits 0: extraction
then runs as pure Python, with the same results, more slowly.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.compiled import DIRECTORY, MANIFEST, compiled_modules, source_digests  # noqa: E402

# Its shared library, app/extract_native__mypyc.*.so, is outside app/extract: the package's own
# compiled __init__ imports it, and a module inside the package could not be imported before it.
GROUP = "app.extract_native"


def remove_compiled() -> None:
    for directory in (DIRECTORY, DIRECTORY.parent):
        for name in compiled_modules(directory):
            (directory / name).unlink()
    MANIFEST.unlink(missing_ok=True)


def build(work: Path) -> None:
    from mypyc.build import mypycify
    from setuptools import setup

    sources = sorted(str(path.relative_to(ROOT)) for path in DIRECTORY.glob("*.py"))
    os.chdir(ROOT)  # mypy resolves app.* and clients.* from here
    extensions = mypycify(
        # the project's mypy settings, less the warning about sections these modules do not use
        ["--config-file", str(ROOT / "pyproject.toml"), "--no-warn-unused-configs", *sources],
        opt_level="3",
        group_name=GROUP,
        target_dir=str(work / "c"),
    )
    out = work / "out"
    (out / "app" / "extract").mkdir(parents=True)
    os.chdir(out)  # build_ext --inplace writes app/extract/*.so under here; pyproject.toml is not read
    setup(
        name="arxiv-enrich-native",
        ext_modules=extensions,
        script_args=["--quiet", "build_ext", "--inplace", "--build-temp", str(work / "temp")],
    )
    built = sorted((out / "app").rglob("*.*"))
    if not built:
        raise RuntimeError("mypyc built nothing")
    remove_compiled()
    for path in built:
        shutil.copy2(path, ROOT / path.relative_to(out))
    MANIFEST.write_text(
        json.dumps({"cache_tag": sys.implementation.cache_tag, "sources": source_digests(DIRECTORY)}, indent=1)
        + "\n",
        encoding="utf-8",
    )


def _reason(error: BaseException, log: str) -> str:
    """The exception's own words; where it is only an exit status (mypy's), the last error line
    the build printed."""
    errors = [line.strip() for line in log.splitlines() if "error" in line.lower()]
    message = str(error).strip()
    if errors and (not message or message.isdigit()):
        message = errors[-1]
    return (message or type(error).__name__)[:200]


def main() -> int:
    log = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="arxiv-enrich-native-") as work:
        try:
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                build(Path(work))
        except (Exception, SystemExit) as error:  # mypy's and distutils' failures exit
            remove_compiled()
            print(f"build_native: not compiled, extraction runs as pure Python ({_reason(error, log.getvalue())})")
            return 0
        finally:
            os.chdir(ROOT)
    print(f"build_native: compiled {len(compiled_modules(DIRECTORY))} modules of app/extract with mypyc")
    return 0


if __name__ == "__main__":
    sys.exit(main())
