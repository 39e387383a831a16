"""The stand-in's papers: Kaggle-snapshot JSON lines, in every layout of the shared corpus.

../shared/data/arxiv-corpus/arxiv-metadata.jsonl.gz mixes records converted from several sources
(its PROVENANCE.md); each gives what it has. The stand-in must serve every paper as arXiv would, so
where a layout lacks a field it fills in what the real API would show: for oai_dc records the
category codes come from the subject names or the old-style archive.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "corpus"
SHARED_CORPUS = (Path(__file__).resolve().parents[3] / "shared" / "data" / "arxiv-corpus"
                 / "arxiv-metadata.jsonl.gz")
_SPACES = re.compile(r"\s+")
_SUBJECTS = {
    "High Energy Physics - Theory": "hep-th", "High Energy Physics - Phenomenology": "hep-ph",
    "High Energy Physics - Experiment": "hep-ex", "High Energy Physics - Lattice": "hep-lat",
    "General Relativity and Quantum Cosmology": "gr-qc", "Quantum Physics": "quant-ph",
    "Mathematical Physics": "math-ph", "Nuclear Theory": "nucl-th", "Nuclear Experiment": "nucl-ex",
    "Astrophysics": "astro-ph", "Condensed Matter": "cond-mat", "Computer Science": "cs",
    "Mathematics": "math", "Physics": "physics", "Statistics": "stat",
    "Quantitative Biology": "q-bio", "Quantitative Finance": "q-fin",
    "Nonlinear Sciences": "nlin",
}


@dataclass
class StandinPaper:
    arxiv_id: str
    title: str
    abstract: str
    authors: list[tuple[str, tuple[str, ...]]]
    categories: list[str]
    version_dates: list[datetime]
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    submitter: str | None = None
    # Per version, like arXivRaw's <size>: 0 marks a withdrawn version.
    sizes_kb: list[int] = field(default_factory=list)
    datestamp: str | None = None
    # False where the record's layout gives only the first and last dates (oai_dc, created/updated):
    # the stand-in then knows neither how many versions there are nor each one's date.
    versions_listed: bool = True
    # Titles of versions that were titled differently from the latest ({1: "v1's title"}), from a
    # fixture's per-version "title"; every other version has `title`, as the snapshot gives it.
    version_titles: dict[int, str] = field(default_factory=dict)

    @property
    def latest_version(self) -> int:
        return len(self.version_dates)

    @property
    def withdrawn(self) -> bool:
        return bool(self.sizes_kb) and self.sizes_kb[-1] == 0

    def title_of(self, version: int) -> str:
        """The title arXiv gives for `id_list=<id>v<version>`: that version's own."""
        return self.version_titles.get(version, self.title)


def _clean(text: Any) -> str:
    return _SPACES.sub(" ", str(text or "")).strip()


def _date(value: str) -> datetime:
    if "," in value or "GMT" in value:
        return parsedate_to_datetime(value).astimezone(UTC)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _split_authors(text: str) -> list[str]:
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+", _clean(re.sub(r"\([^()]*\)", "", text)))
    return [n.strip() for n in names if n.strip()]


def _affiliations(value: Any) -> tuple[str, ...]:
    """One affiliation or a list of them, as the Atom layout holds either."""
    values = value if isinstance(value, list) else [value]
    return tuple(str(v) for v in values if v)


def _authors(record: dict[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    if record.get("atom_authors"):
        return [(a["name"], _affiliations(a.get("affiliation"))) for a in record["atom_authors"]]
    if record.get("authors_parsed"):
        affiliations = record.get("oai_affiliations") or []
        out = []
        for i, parts in enumerate(record["authors_parsed"]):
            keyname, forenames, suffix = ([*list(parts), "", "", ""])[:3]
            name = " ".join(p for p in (forenames, keyname, suffix) if p)
            aff = affiliations[i] if i < len(affiliations) and affiliations[i] else []
            out.append((name, tuple(aff) if isinstance(aff, list) else (aff,)))
        return out
    if record.get("authors"):
        return [(n, ()) for n in _split_authors(record["authors"])]
    creators = (record.get("oai_dc") or {}).get("creator") or []
    out = []
    for creator in creators:
        keyname, _, forenames = creator.partition(",")
        out.append((_clean(f"{forenames} {keyname}"), ()))
    return out


def _categories(record: dict[str, Any]) -> list[str]:
    if record.get("categories"):
        cats = record["categories"].split()
        primary = record.get("atom_primary_category")
        if primary and primary in cats:
            cats.remove(primary)
            cats.insert(0, primary)
        return cats
    if "/" in record["id"]:
        return [record["id"].split("/")[0].split(".")[0]]
    for subject in (record.get("oai_dc") or {}).get("subject") or []:
        head = subject.split(" - ")[0]
        if subject in _SUBJECTS:
            return [_SUBJECTS[subject]]
        if head in _SUBJECTS:
            return [_SUBJECTS[head]]
    return ["physics.gen-ph"]


def _versions(record: dict[str, Any]) -> tuple[list[datetime], list[int]]:
    if record.get("versions"):
        ordered = sorted(record["versions"], key=lambda v: int(str(v["version"]).lstrip("v")))
        dates = [_date(v["created"]) for v in ordered]
        sizes = [int(v["size"][:-2]) if str(v.get("size", "")).endswith("kb") else 100 for v in ordered]
        return dates, sizes
    if record.get("atom_published"):
        match = re.search(r"v(\d+)$", record.get("atom_id", ""))
        count = int(match.group(1)) if match else 1
        first, last = _date(record["atom_published"]), _date(record["atom_updated"])
        return [first] + [last] * (count - 1), [100] * count
    if record.get("created"):
        dates = [_date(record["created"])]
        if record.get("updated"):
            dates.append(_date(record["updated"]))
        return dates, [100] * len(dates)
    dc_dates = (record.get("oai_dc") or {}).get("date") or []
    if dc_dates:
        return [_date(d) for d in dc_dates], [100] * len(dc_dates)
    raise ValueError(f"record {record.get('id')} has no dates")


def _version_titles(record: dict[str, Any]) -> dict[int, str]:
    """Our fixtures' extension of the snapshot layout: a version object may carry its own "title"."""
    titles = {}
    for entry in record.get("versions") or []:
        if entry.get("title"):
            titles[int(str(entry["version"]).lstrip("v"))] = _clean(entry["title"])
    return titles


def paper_from_record(record: dict[str, Any]) -> StandinPaper:
    dates, sizes = _versions(record)
    return StandinPaper(
        arxiv_id=record["id"],
        title=_clean(record.get("title")),
        abstract=_clean(record.get("abstract")),
        authors=_authors(record),
        categories=_categories(record),
        version_dates=dates,
        comment=_clean(record.get("comments")) or None,
        journal_ref=_clean(record.get("journal-ref")) or None,
        doi=_clean(record.get("doi")) or None,
        submitter=record.get("submitter"),
        sizes_kb=sizes,
        datestamp=record.get("update_date") or record.get("oai_datestamp"),
        versions_listed=bool(record.get("versions") or record.get("atom_published")),
        version_titles=_version_titles(record),
    )


def read_jsonl(path: Path, *, limit: int | None = None,
               also: frozenset[str] = frozenset()) -> Iterator[StandinPaper]:
    """The first `limit` records (all without a limit), and beyond them those whose id is in `also`."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        for count, line in enumerate(handle):
            if not line.strip():
                continue
            if limit is not None and count >= limit:
                if not also:
                    return
                head = line[:40]
                if not any(f'"{i}"' in head for i in also):
                    continue
            yield paper_from_record(json.loads(line))


def _earlier_titles(path: Path) -> dict[str, dict[int, str]]:
    """corpus/version_titles.tsv: the titles real papers had in earlier versions (its README)."""
    titles: dict[str, dict[int, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            arxiv_id, version, title = line.split("\t")
            titles.setdefault(arxiv_id, {})[int(version)] = title
    return titles


EARLIER_TITLES = _earlier_titles(FIXTURES / "version_titles.tsv")


def fixture_papers() -> list[StandinPaper]:
    """Our own records for the papers the seeds cite (and the title traps), tests/…/corpus/*.jsonl."""
    papers: list[StandinPaper] = []
    for path in sorted(FIXTURES.glob("*.jsonl")):
        papers.extend(read_jsonl(path))
    return papers


# Papers the seed posts and the resolver's traps cite that the shared corpus holds.
SHARED_WANTED = frozenset({
    "1207.0580", "1310.4546", "1312.5602", "1312.6114", "1406.2661", "1409.0473", "1409.4842",
    "1412.6980", "1502.03167", "1503.02531", "1505.00387", "1505.05770", "1508.07909", "1512.03385",
    "1605.08803", "1607.06450", "1607.08022", "1611.01578", "1701.07875", "1702.08608", "1810.04805",
    "1102.0183", "1301.3781", "1409.1556", "1502.01852", "1511.07289", "1602.07261", "1606.08415",
    "hep-th/9901001", "astro-ph/0601001",
})


def shared_papers(limit: int | None = None, also: frozenset[str] = SHARED_WANTED) -> list[StandinPaper]:
    """Records of the shared corpus (none where ../shared is absent)."""
    if not SHARED_CORPUS.exists():
        return []
    return list(read_jsonl(SHARED_CORPUS, limit=limit, also=also if limit is not None else frozenset()))


# Identify's earliestDatestamp (ARXIV-API.md §6): older records carry it as their datestamp.
EARLIEST_DATESTAMP = date(2005, 9, 16)


def datestamp_of(paper: StandinPaper) -> date:
    """The OAI datestamp (last modified day): the record's own, else its latest version's day."""
    day = date.fromisoformat(paper.datestamp[:10]) if paper.datestamp else paper.version_dates[-1].date()
    return max(day, EARLIEST_DATESTAMP)


class Corpus:
    """Papers by id, with the lookups the API and OAI-PMH need."""

    def __init__(self, papers: Iterable[StandinPaper] = ()) -> None:
        self.by_id: dict[str, StandinPaper] = {}
        # Deleted records and their datestamps: OAI-PMH keeps serving them as deleted headers
        # (arXiv's deletedRecord is "persistent").
        self.deleted: dict[str, date] = {}
        self._index: Any = None
        self._oai_order: list[tuple[date, str, StandinPaper | None]] | None = None
        for paper in papers:
            self.add(paper)

    def add(self, paper: StandinPaper) -> None:
        for version, title in EARLIER_TITLES.get(paper.arxiv_id, {}).items():
            paper.version_titles.setdefault(version, title)
        self.by_id[paper.arxiv_id] = paper
        self.deleted.pop(paper.arxiv_id, None)
        self._index = None
        self._oai_order = None

    def delete(self, arxiv_id: str, datestamp: date) -> None:
        self.by_id.pop(arxiv_id, None)
        self.deleted[arxiv_id] = datestamp
        self._index = None
        self._oai_order = None

    def oai_order(self) -> list[tuple[date, str, StandinPaper | None]]:
        """Every record as ListRecords serves them: by datestamp, then id (None: deleted)."""
        if self._oai_order is None:
            live = [(datestamp_of(p), p.arxiv_id, p) for p in self.by_id.values()]
            gone = [(day, arxiv_id, None) for arxiv_id, day in self.deleted.items()]
            self._oai_order = sorted(live + gone, key=lambda r: (r[0], r[1]))
        return self._oai_order

    def search_index(self) -> Any:
        """The word index of the searches (query.WordIndex), built on first use, rebuilt after add."""
        if self._index is None:
            from tests.arxiv_standin.query import WordIndex

            self._index = WordIndex(list(self.by_id.values()))
        return self._index

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self) -> Iterator[StandinPaper]:
        return iter(self.by_id.values())

    def get(self, arxiv_id: str) -> StandinPaper | None:
        return self.by_id.get(arxiv_id)
