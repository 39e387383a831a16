"""Bulk import of arXiv metadata: the Kaggle snapshot (JSON lines) and OAI-PMH pages.

Streaming with bounded memory (one batch of rows at a time), idempotent (an upsert on arxiv_id),
each batch in its own transaction, so a killed import leaves whole batches and a rerun completes.
Every record gives what it has and nothing is invented (docs/IMPORT.md): a record without version
history keeps an empty one, a record that does not say how many versions there are gets version 0
("unknown"), a record without category codes gets none.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import itertools
import json
import queue
import re
import tarfile
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal

import orjson
from sqlalchemy.engine import Connection, Engine

from app.resolve.normalize import normalize_title
from app.resolve.store import paper_values, settle_after_bulk_write, submitted_text, upsert_statement
from clients.arxiv import (
    UNKNOWN_VERSION,
    Author,
    MalformedIdError,
    MalformedResponse,
    OaiError,
    Paper,
    PaperVersion,
    is_withdrawal_comment,
    parse_id,
    parse_oai_page,
    split_authors,
)

Format = Literal["kaggle", "oai"]
BATCH = 2000
_SPACES = re.compile(r"\s+")
# BibTeX-style accents in Kaggle author strings ("C. Bal\\'azs"), the common ones.
_ACCENTS = {"'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303", "c": "\u0327",
            "v": "\u030c", "=": "\u0304", "u": "\u0306", ".": "\u0307", "H": "\u030b"}
_TEX_ACCENT = re.compile(r"\{?\\([`'\"^~=.uvcH])\s*\{?([A-Za-z])\}?\}?")


class SnapshotError(ValueError):
    """The file cannot be imported at all (missing, not JSON lines, not OAI-PMH XML)."""


@dataclass
class ImportStats:
    imported: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.imported / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        skipped = sum(self.skipped.values())
        why = ", ".join(f"{n} {reason}" for reason, n in self.skipped.most_common(4))
        return (f"imported {self.imported} records in {self.seconds:.1f} s ({self.rate:,.0f} records/s)"
                + (f"; skipped {skipped} ({why})" if skipped else ""))


def _clean(value: Any) -> str | None:
    # str.split is several times faster than a regex here, and abstracts are most of the bytes.
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _detex(name: str) -> str:
    # The pattern needs a backslash and NFC leaves ASCII as it is: most names skip both.
    if "\\" in name:
        name = _TEX_ACCENT.sub(lambda m: m.group(2) + _ACCENTS[m.group(1)], name)
    if "{" in name or "}" in name:
        name = name.replace("{", "").replace("}", "")
    return name if name.isascii() else unicodedata.normalize("NFC", name)


# Days repeat from record to record (oai_dc and OAI `arXiv` dates carry no time), and a datetime is
# immutable: parsing each distinct string once was a tenth of a record's parse.
@functools.lru_cache(maxsize=16384)
def _date(value: str) -> datetime:
    if "," in value or "GMT" in value:
        return parsedate_to_datetime(value).astimezone(UTC)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _affiliations(value: Any) -> tuple[str, ...]:
    """One affiliation or a list of them: the Atom layout holds either."""
    values = value if isinstance(value, list) else [value]
    return tuple(str(v) for v in values if v)


# A record's authors as (name, affiliations) and its versions as (version, submitted, size_kb):
# plain tuples, from which both the Paper (paper_from_kaggle) and the SQLite row (kaggle_sqlite_row)
# are built, so the two cannot disagree on what a record says.
AuthorParts = tuple[str, tuple[str, ...]]
VersionParts = tuple[int, datetime, int | None]


def _author_parts(record: dict[str, Any]) -> list[AuthorParts]:
    if record.get("authors_parsed"):
        affiliations = record.get("oai_affiliations") or []
        out = []
        for i, parts in enumerate(record["authors_parsed"]):
            keyname, forenames, suffix = ([*parts, "", "", ""])[:3]
            name = _detex(" ".join(p for p in (forenames, keyname, suffix) if p))
            aff = affiliations[i] if i < len(affiliations) and affiliations[i] else []
            out.append((name, tuple(aff) if isinstance(aff, list) else (str(aff),)))
        return out
    if record.get("atom_authors"):
        return [(a["name"], _affiliations(a.get("affiliation"))) for a in record["atom_authors"]]
    if record.get("authors"):
        return [(_detex(a.name), ()) for a in split_authors(record["authors"])]
    out = []
    for creator in (record.get("oai_dc") or {}).get("creator") or []:
        keyname, _, forenames = creator.partition(",")
        out.append((" ".join(forenames.split() + keyname.split()) or creator, ()))
    return out


def _authors(record: dict[str, Any]) -> tuple[Author, ...]:
    return tuple(Author(name, affiliations) for name, affiliations in _author_parts(record))


def _version_parts(record: dict[str, Any]) -> tuple[int, datetime, datetime, list[VersionParts]]:
    """(version, published, updated, history) from whatever the layout has."""
    if record.get("versions"):
        found: list[VersionParts] = []
        for v in record["versions"]:
            size = str(v.get("size") or "")
            found.append((int(str(v["version"]).lstrip("v")), _date(v["created"]),
                          int(size[:-2]) if size.endswith("kb") and size[:-2].isdigit() else None))
        found.sort(key=lambda v: v[0])
        return found[-1][0], found[0][1], found[-1][1], found
    if record.get("atom_published"):
        match = re.search(r"v(\d+)$", record.get("atom_id") or "")
        version = int(match.group(1)) if match else UNKNOWN_VERSION
        return version, _date(record["atom_published"]), _date(record["atom_updated"]), []
    if record.get("created"):
        created = _date(record["created"])
        updated = _date(record["updated"]) if record.get("updated") else None
        return (1 if updated is None else UNKNOWN_VERSION), created, updated or created, []
    dates = (record.get("oai_dc") or {}).get("date") or []
    if dates:
        # oai_dc lists one date per version: the count is known, the times are days.
        parsed = sorted(_date(d) for d in dates)
        return len(parsed), parsed[0], parsed[-1], [(i + 1, d, None) for i, d in enumerate(parsed)]
    raise ValueError("no dates")


def _versions(record: dict[str, Any]) -> tuple[int, datetime, datetime, tuple[PaperVersion, ...]]:
    version, published, updated, history = _version_parts(record)
    return version, published, updated, tuple(PaperVersion(*v) for v in history)


# arxiv_id, version, title, abstract, authors, published, updated, primary_category, categories,
# doi, journal_ref, comment, withdrawn, versions
KaggleFields = tuple[str, int, str, str, list[AuthorParts], datetime, datetime, str, tuple[str, ...],
                     str | None, str | None, str | None, bool, list[VersionParts]]


def kaggle_fields(record: dict[str, Any]) -> KaggleFields:
    """What one snapshot record says, in Paper's field order (the one reading of a record)."""
    arxiv_id = parse_id(str(record["id"])).base
    version, published, updated, history = _version_parts(record)
    categories = tuple((record.get("categories") or "").split())
    primary = record.get("atom_primary_category") or (categories[0] if categories else "")
    if primary and primary in categories:
        categories = (primary, *(c for c in categories if c != primary))
    comment = _clean(record.get("comments"))
    withdrawn = is_withdrawal_comment(comment) or bool(history and history[-1][2] == 0)
    return (arxiv_id, version, _clean(record.get("title")) or "", _clean(record.get("abstract")) or "",
            _author_parts(record), published, updated, primary, categories,
            (_clean(record.get("doi")) or "").split(" ")[0] or None, _clean(record.get("journal-ref")),
            comment, withdrawn, history)


def paper_from_kaggle(record: dict[str, Any]) -> Paper:
    (arxiv_id, version, title, abstract, authors, published, updated, primary, categories, doi,
     journal_ref, comment, withdrawn, history) = kaggle_fields(record)
    return Paper(arxiv_id=arxiv_id, version=version, title=title, abstract=abstract,
                 authors=tuple(Author(name, affiliations) for name, affiliations in authors),
                 published=published, updated=updated, primary_category=primary, categories=categories,
                 doi=doi, journal_ref=journal_ref, comment=comment, withdrawn=withdrawn,
                 versions=tuple(PaperVersion(*v) for v in history))


# paper_values' keys, in its order: sqlite_rows takes the names from the dict, the fast path has none.
KAGGLE_ROW_NAMES = ["arxiv_id", "latest_version", "title", "title_norm", "abstract", "authors", "published",
                    "updated", "primary_category", "categories", "doi", "journal_ref", "comment",
                    "withdrawn", "versions", "source", "fetched_at"]


def kaggle_sqlite_row(record: dict[str, Any], fetched_at: str) -> tuple[Any, ...]:
    """sqlite_rows([paper_values(paper_from_kaggle(record), source="kaggle", ...)]) in one step.

    The Paper, its Author and PaperVersion objects and the row's dict were built only to be taken
    apart again: skipping them halves a record's parse, and the parse is most of an import's CPU.
    """
    (arxiv_id, version, title, abstract, authors, published, updated, primary, categories, doi,
     journal_ref, comment, withdrawn, history) = kaggle_fields(record)
    return (arxiv_id, version, title, normalize_title(title), abstract,
            _json_text([{"name": name, "affiliations": affiliations} for name, affiliations in authors]),
            _sqlite_datetime(published), _sqlite_datetime(updated), primary, _json_text(categories), doi,
            journal_ref, comment, withdrawn,
            _json_text([{"version": number, "submitted": submitted_text(submitted), "size_kb": size,
                         "source_type": None} for number, submitted, size in history]),
            "kaggle", fetched_at)


class _Counting(io.RawIOBase):
    """Counts the bytes read from the file on disk, for the progress bar under a gzip reader."""

    def __init__(self, raw: BinaryIO, tick: Callable[[int], None]) -> None:
        self._raw = raw
        self._tick = tick

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._tick(len(data))
        return len(data)


def _open(path: Path, tick: Callable[[int], None]) -> BinaryIO:
    raw = io.BufferedReader(_Counting(path.open("rb"), tick), buffer_size=1 << 20)
    return gzip.GzipFile(fileobj=raw) if path.suffix == ".gz" else raw  # type: ignore[return-value]


def sniff_format(path: Path) -> Format:
    if path.name.endswith((".tar.xz", ".tar.gz", ".tgz", ".tar")):
        return "oai"
    with _open(path, lambda _n: None) as handle:
        head = handle.read(512).lstrip()
    if head.startswith(b"{"):
        return "kaggle"
    if head.startswith(b"<"):
        return "oai"
    raise SnapshotError(f"{path}: neither JSON lines (Kaggle snapshot) nor OAI-PMH XML")


def kaggle_papers(path: Path, stats: ImportStats, tick: Callable[[int], None]) -> Iterator[Paper]:
    with _open(path, tick) as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = orjson.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                if number == 1:
                    raise SnapshotError(f"{path}: line 1 is not JSON; is this the Kaggle snapshot?") from None
                stats.skipped["invalid JSON"] += 1
                continue
            if not isinstance(record, dict) or "id" not in record:
                stats.skipped["no id"] += 1
                continue
            try:
                yield paper_from_kaggle(record)
            except MalformedIdError:
                stats.skipped["invalid id"] += 1
            except (ValueError, KeyError, TypeError):
                stats.skipped["no usable dates"] += 1


# The form a parser process hands its rows to the writer in: driver values for SQLite's executemany,
# COPY text for PostgreSQL, or paper_values dicts (the plain path, which other writes share).
RowForm = Literal["sqlite", "copy", "dicts"]


def row_form(dialect: str) -> RowForm:
    return "sqlite" if dialect == "sqlite" else "copy"


def parse_kaggle_lines(lines: list[bytes], moment: datetime,
                       form: RowForm = "dicts") -> tuple[Batch, Counter[str]]:
    """Rows ready to write from JSON lines; runs in a worker process beside the writer."""
    skipped: Counter[str] = Counter()
    rows: list[Any] = []
    fetched_at = _sqlite_datetime(moment)
    for raw in lines:
        try:
            # orjson: a third of json's time. It refuses what sqlite3 could not store anyway (lone
            # surrogates) and what is not JSON (NaN), so such lines are skipped as invalid JSON.
            record = orjson.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            skipped["invalid JSON"] += 1
            continue
        if not isinstance(record, dict) or "id" not in record:
            skipped["no id"] += 1
            continue
        try:
            if form == "dicts":
                rows.append(paper_values(paper_from_kaggle(record), source="kaggle", fetched_at=moment))
            else:
                rows.append(kaggle_sqlite_row(record, fetched_at))
        except MalformedIdError:
            skipped["invalid id"] += 1
        except (ValueError, KeyError, TypeError):
            skipped["no usable dates"] += 1
    if form == "dicts":
        return rows, skipped
    prepared = SqliteRows(rows)
    prepared.names = list(KAGGLE_ROW_NAMES) if rows else []
    return (prepared if form == "sqlite" else copy_rows(prepared)), skipped


def parse_oai_body(page: bytes, moment: datetime, form: RowForm = "dicts") -> tuple[Batch, Counter[str]]:
    """Rows from one OAI-PMH page; runs in a worker process beside the writer, like the above."""
    skipped: Counter[str] = Counter()
    try:
        parsed = parse_oai_page(page)
    except (MalformedResponse, OaiError) as exc:
        skipped[f"unreadable page ({exc})"] += 1
        return [], skipped
    skipped["deleted"] += len(parsed.deleted)
    rows = [paper_values(paper, source="oai", fetched_at=moment) for paper in parsed.records]
    if form == "dicts" or not rows:
        return rows, skipped
    prepared = sqlite_rows(rows)
    return (prepared if form == "sqlite" else copy_rows(prepared)), skipped


def _lines(handle: BinaryIO) -> Iterator[bytes]:
    """The file's lines without their ends. Block reads split in C: the writer's process reads the
    whole file, and line by line iteration of a gzip reader cost it a fifth of its time."""
    rest = b""
    while block := handle.read(1 << 20):
        lines = (rest + block).split(b"\n")
        rest = lines.pop()
        yield from lines
    if rest:
        yield rest


def _line_chunks(path: Path, tick: Callable[[int], None]) -> Iterator[list[bytes]]:
    with _open(path, tick) as handle:
        first = True
        chunk: list[bytes] = []
        for raw in _lines(handle):
            if not raw.strip():
                continue
            if first:
                first = False
                try:
                    orjson.loads(raw)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    raise SnapshotError(f"{path}: line 1 is not JSON; is this the Kaggle snapshot?") from None
            chunk.append(raw)
            if len(chunk) >= BATCH:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _die_with_parent() -> None:
    """Pool initializer: a parser whose importer was killed (SIGKILL included) goes too."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _in_parallel(units: Iterator[Any], parse: Callable[[Any], tuple[Batch, Counter[str]]], stats: ImportStats,
                 stack: contextlib.ExitStack) -> Generator[Batch, None, None]:
    """Batches in file order, each unit (2,000 lines, or an OAI page) parsed in one of two worker
    processes ahead of the writer, so the machine's two cores parse while the database writes.
    Small files are parsed in place: starting workers costs more than it saves.

    The pool belongs to `stack`, which the caller closes on its own thread: a generator left
    unfinished (a failed write stops reading) would otherwise shut the pool down wherever it is
    finalised, the pool's own thread included ("cannot join current thread").
    """
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing import get_context
    from multiprocessing.context import BaseContext

    head = list(itertools.islice(units, 2))
    if len(head) < 2:
        for unit in head:
            rows, skipped = parse(unit)
            stats.skipped.update(skipped)
            yield rows
        return
    # Forking a process that runs threads (a server, a test runner) can copy a held lock into the
    # child and hang it: there the workers come from a single-threaded, preloaded fork server.
    # The CLI has one thread, and a plain fork saves the server's start-up.
    context: BaseContext
    if threading.active_count() == 1:
        context = get_context("fork")
    else:
        server = get_context("forkserver")
        server.set_forkserver_preload(["app.resolve.importer"])
        context = server
    pool = ProcessPoolExecutor(max_workers=2, mp_context=context, initializer=_die_with_parent)
    stack.callback(pool.shutdown, wait=True, cancel_futures=True)
    pending: list[Future[tuple[Batch, Counter[str]]]] = []
    for unit in itertools.chain(head, units):
        pending.append(pool.submit(parse, unit))
        if len(pending) > 3:
            rows, skipped = pending.pop(0).result()
            stats.skipped.update(skipped)
            yield rows
    for future in pending:
        rows, skipped = future.result()
        stats.skipped.update(skipped)
        yield rows


def _oai_pages(path: Path, tick: Callable[[int], None]) -> Iterator[bytes]:
    if path.name.endswith((".tar.xz", ".tar.gz", ".tgz", ".tar")):
        tick(path.stat().st_size)
        with tarfile.open(path) as archive:
            for member in sorted((m for m in archive.getmembers() if m.isfile()), key=lambda m: m.name):
                handle = archive.extractfile(member)
                if handle is not None and member.name.endswith(".xml"):
                    yield handle.read()
        return
    with _open(path, tick) as handle:
        yield handle.read()


_JSON_COLUMNS = ("authors", "categories", "versions")


class SqliteRows(list[tuple[Any, ...]]):
    """Rows already in the SQLite driver's form (built in the parser process), with their columns."""

    names: list[str]


# SQLAlchemy's storage format for DateTime on SQLite. A batch repeats its datetimes (fetched_at is
# the same on every row, published is often updated), and strftime was a tenth of a record's parse.
@functools.lru_cache(maxsize=16384)
def _sqlite_datetime(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return _sqlite_datetime(value)
    return value


def _json_text(value: Any) -> str:
    """orjson's compact JSON (a tenth of json.dumps' time); SQLAlchemy's JSON type reads it alike."""
    return orjson.dumps(value).decode()


def sqlite_rows(rows: list[dict[str, Any]]) -> SqliteRows:
    names = list(rows[0]) if rows else []
    # One converter a column, chosen once: per value type tests were a third of a record's parse.
    convert = [_json_text if n in _JSON_COLUMNS else _sqlite_value for n in names]
    prepared = SqliteRows(tuple(f(v) for f, v in zip(convert, r.values(), strict=True)) for r in rows)
    prepared.names = names
    return prepared


@dataclass
class CopyRows:
    """A batch as the text of PostgreSQL's COPY (built in the parser process), with its columns.

    `records` counts what the file held; `data` has one row an arxiv_id, the last one, as a
    sequence of upserts would leave it (one INSERT ... ON CONFLICT may not touch a row twice)."""

    names: list[str]
    data: bytes
    records: int

    def __len__(self) -> int:
        return self.records


Batch = list[dict[str, Any]] | SqliteRows | CopyRows
_DATETIME_COLUMNS = ("published", "updated", "fetched_at")


def _copy_text(value: Any) -> str:
    """One field of COPY's text format: \\N for NULL, backslash escapes for the four specials."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = value if isinstance(value, str) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))
    return text


def copy_rows(rows: SqliteRows) -> CopyRows:
    """SQLite's driver values as COPY text: the same strings, datetimes marked UTC, booleans t/f."""
    at_id = rows.names.index("arxiv_id")
    at_time = [rows.names.index(n) for n in _DATETIME_COLUMNS]
    last: dict[str, str] = {}
    for row in rows:
        fields = [_copy_text(v) for v in row]
        for i in at_time:
            # SQLite's form is naive UTC; PostgreSQL would read it in the session's time zone.
            fields[i] += "+00"
        last.pop(row[at_id], None)  # a repeated id takes the place of its last occurrence
        last[row[at_id]] = "\t".join(fields)
    data = ("\n".join(last.values()) + "\n").encode() if last else b""
    return CopyRows(list(rows.names), data, len(rows))


def _write(engine: Engine, rows: Batch) -> None:
    if not rows:
        return
    # One transaction a batch: an import killed midway leaves whole batches only.
    with engine.connect() as connection:
        try:
            with connection.begin():
                _write_batch(connection, rows)
        finally:
            if connection.dialect.name == "sqlite":
                # The connection goes back to the pool, where requests must find the engine's
                # NORMAL (app/db.py), not the import's OFF.
                connection.exec_driver_sql("PRAGMA synchronous=NORMAL")


def _write_batch(connection: Connection, rows: Batch) -> None:
    if isinstance(rows, CopyRows):
        _copy_upsert(connection, rows)
    elif connection.dialect.name == "sqlite":
        # A bulk import is idempotent and redone by a rerun, so it need not wait for the disk
        # at each commit; a killed process still leaves whole batches (the OS keeps the writes).
        connection.exec_driver_sql("PRAGMA synchronous=OFF")
        # The DBAPI's executemany directly: SQLAlchemy's per-row processing doubled the time.
        prepared = rows if isinstance(rows, SqliteRows) else sqlite_rows(rows)
        names = prepared.names
        # Column names come from our own table, never from input.
        columns, marks = ", ".join(names), ", ".join("?" for _ in names)
        updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != "arxiv_id")
        sql = f"INSERT INTO papers ({columns}) VALUES ({marks}) ON CONFLICT (arxiv_id) DO UPDATE SET {updates}"  # noqa: S608
        _upsert_with_title_index(connection, sql, prepared)
    else:
        connection.execute(upsert_statement(connection.dialect.name), list(rows))  # type: ignore[arg-type]


def _copy_upsert(connection: Connection, rows: CopyRows) -> None:
    """PostgreSQL: COPY the batch straight into papers; where that meets an id already held, COPY it
    into a temporary table instead and write it by one INSERT ... SELECT ... ON CONFLICT.

    COPY skips the per-row statement (the executemany before it did about 6,000 rows/s). Straight
    into papers it also skips the temporary table and ON CONFLICT's probe of arxiv_id before each
    row: a sixth of the server's time on new rows (docs/IMPORT.md). A batch naming an id already
    held fails at that row (COPY writes a few dozen rows at a time, each checked by the unique
    index) and is rolled back to the savepoint: a re-import, whose first rows are held already,
    pays little for trying. The title index (a GIN
    index on the titles' tsvector) is kept by COPY and by the INSERT as by any other write.
    """
    import psycopg  # here, not at the top: an import into SQLite never loads the PostgreSQL driver

    columns = ", ".join(rows.names)  # our own column names, never input
    updates = ", ".join(f"{n} = excluded.{n}" for n in rows.names if n != "arxiv_id")
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor:
        # Like SQLite's synchronous=OFF above: an import is idempotent and redone by a rerun; a
        # crash loses at most the last batches' commits, never a batch in part.
        cursor.execute("SET LOCAL synchronous_commit = off")
        if _has_lz4(connection):
            # Abstracts are long enough to be compressed, and pglz was a sixteenth of the server's
            # time; lz4 compresses several times faster (and reads back faster), for this
            # transaction's values only.
            cursor.execute("SET LOCAL default_toast_compression = lz4")
        cursor.execute("SAVEPOINT import_copy")
        try:
            with cursor.copy(f"COPY papers ({columns}) FROM STDIN") as copy:
                copy.write(rows.data)
        except psycopg.errors.UniqueViolation:
            cursor.execute("ROLLBACK TO SAVEPOINT import_copy")
        else:
            cursor.execute("RELEASE SAVEPOINT import_copy")
            return
        # Temporary (unlogged, private), typed like papers, gone at the batch's commit.
        cursor.execute(f"CREATE TEMPORARY TABLE import_staging ON COMMIT DROP AS "  # noqa: S608
                       f"SELECT {columns} FROM papers WITH NO DATA")
        with cursor.copy(f"COPY import_staging ({columns}) FROM STDIN") as copy:
            copy.write(rows.data)
        cursor.execute(f"INSERT INTO papers ({columns}) SELECT {columns} FROM import_staging "  # noqa: S608
                       f"ON CONFLICT (arxiv_id) DO UPDATE SET {updates}")


def _has_lz4(connection: Connection) -> bool:
    """Whether the server was built with lz4 (PostgreSQL 14 and later may be), asked once a connection."""
    info = connection.connection.info
    if "import_lz4" not in info:
        info["import_lz4"] = bool(connection.exec_driver_sql(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'").scalar())
    return bool(info["import_lz4"])


# The title index's insert and update triggers (migration 0002) cost about 30 µs a row, more than
# half of an import's writing; one INSERT ... SELECT a batch does the same work six times faster.
_FTS_TRIGGERS = ("papers_fts_ai", "papers_fts_au")
_IN_LIST = 500
_MAX_ROWID = 2**63 - 1


def _marks(count: int) -> str:
    """Placeholders only: the values go as parameters, never into the SQL text."""
    return "(" + ", ".join("?" * count) + ")"


def _upsert_with_title_index(connection: Connection, sql: str, rows: SqliteRows) -> None:
    """The batch's upsert, with the full-text index kept in step in bulk instead of by triggers.

    The triggers are dropped and re-created inside the batch's own transaction (BEGIN IMMEDIATE:
    SQLite's DDL is transactional, and the write lock keeps every other writer out until COMMIT),
    so no other connection ever writes without them and a killed import rolls them back with
    the batch.
    """
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    found = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)", _FTS_TRIGGERS)
    # Not dict(found): a Result has keys(), so dict() would take it for a mapping.
    triggers: dict[str, str] = {name: ddl for name, ddl in found}  # noqa: C416
    if len(triggers) != len(_FTS_TRIGGERS):  # an index we do not know: let it keep itself
        connection.exec_driver_sql(sql, list(rows))
        return
    at_id, at_title = rows.names.index("arxiv_id"), rows.names.index("title_norm")
    new_titles = {row[at_id]: row[at_title] for row in rows}
    ids = list(new_titles)
    held: dict[str, tuple[int, str]] = {}
    for start in range(0, len(ids), _IN_LIST):
        part = ids[start:start + _IN_LIST]
        held.update((arxiv_id, (rowid, title)) for rowid, arxiv_id, title in connection.exec_driver_sql(
            "SELECT id, arxiv_id, title_norm FROM papers WHERE arxiv_id IN " + _marks(len(part)),  # noqa: S608
            tuple(part)))
    top: int = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM papers").scalar_one()
    for name in _FTS_TRIGGERS:
        connection.exec_driver_sql(f"DROP TRIGGER {name}")
    connection.exec_driver_sql(sql, list(rows))
    changed = [(rowid, old, new_titles[arxiv_id]) for arxiv_id, (rowid, old) in held.items()
               if new_titles[arxiv_id] != old]
    if changed:
        connection.exec_driver_sql("INSERT INTO papers_fts(papers_fts, rowid, title_norm) VALUES ('delete', ?, ?)",
                                   [(rowid, old) for rowid, old, _ in changed])
        connection.exec_driver_sql("INSERT INTO papers_fts(rowid, title_norm) VALUES (?, ?)",
                                   [(rowid, new) for rowid, _, new in changed])
    if top < _MAX_ROWID:
        # A new row takes the largest rowid plus one, so this batch's new rows are exactly those
        # above the largest before it: a range of the table's own key instead of a lookup by
        # arxiv_id for each.
        connection.exec_driver_sql(
            "INSERT INTO papers_fts(rowid, title_norm) SELECT id, title_norm FROM papers WHERE id > ?", (top,))
    else:  # SQLite then picks free rowids at random (never reached in practice)
        fresh = [i for i in ids if i not in held]
        for start in range(0, len(fresh), _IN_LIST):
            part = fresh[start:start + _IN_LIST]
            connection.exec_driver_sql(
                "INSERT INTO papers_fts(rowid, title_norm) SELECT id, title_norm FROM papers WHERE arxiv_id IN "  # noqa: S608
                + _marks(len(part)), tuple(part))
    for name in _FTS_TRIGGERS:
        connection.exec_driver_sql(triggers[name])


def import_file(engine: Engine, path: Path, *, format: Format | None = None,
                on_bytes: Callable[[int], None] = lambda _n: None,
                on_records: Callable[[int], None] = lambda _n: None,
                form: RowForm | None = None) -> ImportStats:
    """Import one snapshot file; raises SnapshotError when the file cannot be read at all.

    `form` is for tests: "dicts" writes through the plain upsert instead of the bulk path."""
    if not path.is_file():
        raise SnapshotError(f"{path}: no such file")
    fmt = format or sniff_format(path)
    stats = ImportStats()
    started = time.monotonic()
    moment = datetime.now(UTC)
    chosen = form or row_form(engine.dialect.name)
    units: Iterator[Any]
    if fmt == "kaggle":
        units = _line_chunks(path, on_bytes)
        parse: Callable[[Any], tuple[Batch, Counter[str]]] = functools.partial(
            parse_kaggle_lines, moment=moment, form=chosen)
    else:
        units = _oai_pages(path, on_bytes)
        parse = functools.partial(parse_oai_body, moment=moment, form=chosen)

    def written(rows: Batch) -> None:
        stats.imported += len(rows)
        on_records(len(rows))

    try:
        with contextlib.ExitStack() as stack:
            batches = _in_parallel(units, parse, stats, stack)
            # Closed before the pool shuts down (the stack runs backwards), on this thread.
            stack.callback(batches.close)
            _write_behind(engine, batches, written)
    except (OSError, EOFError, gzip.BadGzipFile, tarfile.TarError) as exc:
        raise SnapshotError(f"{path}: cannot read: {exc}") from None
    if stats.imported:
        settle_after_bulk_write(engine)
    stats.seconds = time.monotonic() - started
    return stats


def _write_behind(engine: Engine, batches: Iterable[Batch], written: Callable[[Batch], None]) -> None:
    """Write the batches in order, in a thread of their own, while this thread reads the file and
    collects the parsed batches: sqlite3 and psycopg let go of the GIL while the database works, so
    the writing (half of the importer process's time) overlaps the reading instead of following it.

    At most two batches wait (bounded memory). A failed write stops the import and is raised here;
    a failure reading stops it once the batches already handed over are written, whole as ever.
    """
    pending: queue.Queue[Batch | None] = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def drain() -> None:
        while (rows := pending.get()) is not None:
            if failed:
                continue
            try:
                _write(engine, rows)
                written(rows)
            except BaseException as exc:  # handed to the reading thread, raised there
                failed.append(exc)

    writer: threading.Thread | None = None
    try:
        for rows in batches:
            if failed:
                break
            if writer is None:
                # Started after the first batch: by then the parser processes are forked (from a
                # single-threaded process, see _in_parallel).
                writer = threading.Thread(target=drain, name="import-writer", daemon=True)
                writer.start()
            pending.put(rows)
    finally:
        if writer is not None:
            pending.put(None)
            writer.join()
    if failed:
        raise failed[0]
