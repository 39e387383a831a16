"""A mirror-sized corpus (3,000,000 records by default) made from the shared real records (issue 18).

    .venv/bin/python bench/mirror_corpus.py [OUT_DIR] [--records N] [--seed S] [--gzip] [--measure]

Writes OUT_DIR/arxiv-mirror.jsonl (Kaggle snapshot JSON lines; .gz with --gzip) and
OUT_DIR/oai-pages.tar (OAI-PMH ListRecords pages in arXivRaw, 1,000 records a page), both read by
`arxiv-enrich import`. Default OUT_DIR: /tmp/arxiv-mirror-corpus (never inside the repository).

What is in it:
- the 89,268 real records of ../shared/data/arxiv-corpus/arxiv-metadata.jsonl.gz, as they are (the
  Kaggle file copies their lines; the OAI pages render them in arXivRaw): the real papers are part
  of the mirror, as they are part of arXiv, so a lookup made at 89k can be made again at 3M;
- generated records in "shards" of the real corpus: shard k (1, 2, ...) takes each real record in
  turn and gives it
  - a new-style id in a range real arXiv has never used: yymm.5nnnn-7nnnn for months 1501-2612
    (arXiv numbers up to about 25,000 papers a month), spread over the months in turn;
  - its dates moved into that month (versions keep their spacing), so the id and the dates agree;
  - its title with every word of three letters or more (stop words aside) replaced through shard
    k's own permutation of the title vocabulary, within bands of 32 words of similar frequency:
    word frequencies stay as they are, and two real titles that are near-namesakes (a series'
    "Part I" and "Part II", a reworded title) map to two generated titles that are near-namesakes
    in the same way, while titles of different shards share almost no words. So the share of
    titles with a near namesake is the real corpus's (--measure checks it);
  - its authors' surnames through shard k's permutation of the surnames (co-author groups kept);
  - its abstract, comment, journal-ref and categories as they are, no DOI (a DOI names one paper).
Deterministic: the same --seed and --records give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import itertools
import random
import re
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from app.resolve.importer import paper_from_kaggle  # noqa: E402
from app.resolve.normalize import normalize_title  # noqa: E402
from app.resolve.title_index import STOP_WORDS  # noqa: E402
from clients.arxiv.records import Author, Paper, PaperVersion  # noqa: E402

SHARED_CORPUS = ROOT.parent / "shared" / "data" / "arxiv-corpus" / "arxiv-metadata.jsonl.gz"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "arxiv-mirror-corpus"
DEFAULT_RECORDS = 3_000_000
DEFAULT_SEED = 18
PAGE_RECORDS = 1000
BAND = 32
# yymm 1501..2612: 144 months; numbers 50000..99999 in each, above anything arXiv has issued.
MONTHS = [f"{y:02d}{m:02d}" for y in range(15, 27) for m in range(1, 13)]
FIRST_NUMBER = 50000
_WORD = re.compile(r"[A-Za-z]{3,}")
_OLD_STYLE_ARCHIVE = re.compile(r"^([a-z-]+)(?:\.[A-Z]{2})?/")


@dataclass(frozen=True)
class Source:
    """The real corpus: each record's raw line and what the importer reads from it."""

    lines: list[bytes]
    papers: list[Paper]


def load_source(path: Path = SHARED_CORPUS, limit: int | None = None) -> Source:
    lines: list[bytes] = []
    papers: list[Paper] = []
    with gzip.open(path, "rb") as handle:
        for raw in itertools.islice(handle, limit):
            paper = paper_from_kaggle(orjson.loads(raw))
            lines.append(raw if raw.endswith(b"\n") else raw + b"\n")
            papers.append(paper)
    return Source(lines, papers)


def generated_id(index: int) -> str:
    """The id of generated record `index` (0-based): never one arXiv has issued."""
    month = MONTHS[index % len(MONTHS)]
    number = FIRST_NUMBER + index // len(MONTHS)
    if number > 99999:
        raise ValueError("more generated records than the unused id ranges hold")
    return f"{month}.{number:05d}"


def banded_permutation(counts: Counter[str], rng: random.Random) -> dict[str, str]:
    """Each word to another of about the same frequency (bands of BAND words by rank)."""
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    mapping: dict[str, str] = {}
    for start in range(0, len(ranked), BAND):
        band = ranked[start:start + BAND]
        shuffled = band[:]
        rng.shuffle(shuffled)
        mapping.update(zip(band, shuffled, strict=True))
    return mapping


def _recase(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[0].isupper():
        return word[:1].upper() + word[1:]
    return word


def _surname_split(name: str) -> tuple[str, str]:
    forenames, _, keyname = name.rpartition(" ")
    return forenames, keyname


class Shards:
    """The per-shard word and surname permutations, built from the real corpus once."""

    def __init__(self, source: Source, seed: int) -> None:
        self.seed = seed
        self.title_counts: Counter[str] = Counter()
        self.surname_counts: Counter[str] = Counter()
        for paper in source.papers:
            self.title_counts.update({w.lower() for w in _WORD.findall(paper.title)} - STOP_WORDS)
            self.surname_counts.update(_surname_split(a.name)[1] for a in paper.authors)
        self._cached: tuple[int, dict[str, str], dict[str, str]] | None = None

    def maps(self, shard: int) -> tuple[dict[str, str], dict[str, str]]:
        if self._cached is None or self._cached[0] != shard:
            rng = random.Random(self.seed * 1_000_003 + shard)
            self._cached = (shard, banded_permutation(self.title_counts, rng),
                            banded_permutation(self.surname_counts, rng))
        return self._cached[1], self._cached[2]

    def title(self, title: str, shard: int) -> str:
        words, _ = self.maps(shard)

        def swap(match: re.Match[str]) -> str:
            original = match.group(0)
            return _recase(original, words.get(original.lower(), original.lower()))

        return _WORD.sub(swap, title)

    def author(self, name: str, shard: int) -> tuple[str, str]:
        """(keyname, forenames) of the author's namesake in shard k."""
        _, surnames = self.maps(shard)
        forenames, keyname = _surname_split(name)
        return surnames.get(keyname, keyname), forenames


def _categories(paper: Paper) -> tuple[str, ...]:
    if paper.categories:
        return paper.categories
    # oai_dc records carry subject names only; an old-style id names its archive.
    match = _OLD_STYLE_ARCHIVE.match(paper.arxiv_id)
    return (match.group(1),) if match else ("physics.gen-ph",)


def _moved(moment: datetime, month: str) -> datetime:
    year, number = 2000 + int(month[:2]), int(month[2:])
    return moment.replace(year=year, month=number, day=min(moment.day, 28))


def _gmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


def generated_paper(source: Source, shards: Shards, index: int) -> Paper:
    """Generated record `index` (0-based, after the real ones)."""
    shard, base = 1 + index // len(source.papers), source.papers[index % len(source.papers)]
    arxiv_id = generated_id(index)
    published = _moved(base.published, arxiv_id[:4])
    shift: timedelta = published - base.published
    versions = base.versions or (PaperVersion(1, base.published, None),)
    moved = tuple(PaperVersion(v.version, v.submitted + shift, v.size_kb if v.size_kb is not None else 100,
                               v.source_type) for v in versions)
    authors = tuple(Author(" ".join(p for p in (forenames, keyname) if p))
                    for keyname, forenames in (shards.author(a.name, shard) for a in base.authors))
    categories = _categories(base)
    return Paper(arxiv_id=arxiv_id, version=moved[-1].version, title=shards.title(base.title, shard),
                 abstract=base.abstract, authors=authors, published=moved[0].submitted,
                 updated=moved[-1].submitted, primary_category=categories[0], categories=categories,
                 doi=None, journal_ref=base.journal_ref, comment=base.comment, withdrawn=base.withdrawn,
                 versions=moved)


def kaggle_line(paper: Paper) -> bytes:
    """The paper as a line of the Kaggle snapshot (arxiv-metadata-oai-snapshot.json)."""
    parsed = [[*reversed(_surname_split(a.name)), ""] for a in paper.authors]
    record: dict[str, Any] = {
        "id": paper.arxiv_id, "submitter": paper.authors[0].name if paper.authors else None,
        "authors": ", ".join(a.name for a in paper.authors), "title": paper.title,
        "comments": paper.comment, "journal-ref": paper.journal_ref, "doi": paper.doi, "report-no": None,
        "categories": " ".join(paper.categories), "license": None, "abstract": paper.abstract,
        "versions": [{"version": f"v{v.version}", "created": _gmt(v.submitted)}
                     | ({"size": f"{v.size_kb}kb"} if v.size_kb is not None else {}) for v in paper.versions],
        "update_date": paper.updated.date().isoformat(), "authors_parsed": parsed,
    }
    return orjson.dumps(record) + b"\n"


def _dated_versions(paper: Paper) -> tuple[PaperVersion, ...]:
    """A layout without version history (oai_dc, OAI arXiv) gives the first and last dates."""
    if paper.updated > paper.published:
        return (PaperVersion(1, paper.published), PaperVersion(2, paper.updated))
    return (PaperVersion(1, paper.published),)


def arxiv_raw_record(paper: Paper) -> str:
    """One <record> of an arXivRaw ListRecords page (the shape tests/arxiv_standin serves)."""
    versions = paper.versions or _dated_versions(paper)
    parts = [f"<id>{paper.arxiv_id}</id>"]
    for v in versions:
        size = v.size_kb if v.size_kb is not None else 100
        source_type = v.source_type or ("I" if size == 0 else "D")
        parts.append(f'<version version="v{v.version}"><date>{_gmt(v.submitted)}</date>'
                     f"<size>{size}kb</size><source_type>{source_type}</source_type></version>")
    parts += [f"<title>{escape(paper.title)}</title>",
              f"<authors>{escape(', '.join(a.name for a in paper.authors))}</authors>",
              f"<categories>{' '.join(paper.categories)}</categories>"]
    for tag, value in (("comments", paper.comment), ("journal-ref", paper.journal_ref), ("doi", paper.doi)):
        if value:
            parts.append(f"<{tag}>{escape(value)}</{tag}>")
    parts.append(f"<abstract>{escape(paper.abstract)}</abstract>")
    return (f"<record><header><identifier>oai:arXiv.org:{paper.arxiv_id}</identifier>"
            f"<datestamp>{paper.updated.date().isoformat()}</datestamp></header><metadata>"
            '<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">' + "".join(parts) + "</arXivRaw></metadata></record>\n")


def oai_page(records: list[str], number: int, last: bool) -> bytes:
    token = "<resumptionToken/>" if last else f"<resumptionToken>mirror-corpus|{number + 1}</resumptionToken>"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">\n'
            "<responseDate>2026-12-06T00:00:00Z</responseDate>\n"
            '<request verb="ListRecords" metadataPrefix="arXivRaw">https://oaipmh.arxiv.org/oai</request>\n'
            "<ListRecords>\n" + "".join(records) + token + "\n</ListRecords>\n</OAI-PMH>\n").encode()


def papers(source: Source, shards: Shards, total: int) -> Iterator[Paper]:
    """Every record of the corpus, the real ones first."""
    yield from source.papers[:total]
    for index in range(max(0, total - len(source.papers))):
        yield generated_paper(source, shards, index)


def _add_page(archive: tarfile.TarFile, number: int, body: bytes) -> None:
    info = tarfile.TarInfo(f"oai-pages/page-{number:06d}.xml")
    info.size, info.mtime = len(body), 1764979200  # fixed: the same bytes on every run
    archive.addfile(info, io.BytesIO(body))


def write_corpus(out: Path, source: Source, *, total: int = DEFAULT_RECORDS, seed: int = DEFAULT_SEED,
                 compress: bool = False, formats: tuple[str, ...] = ("kaggle", "oai"),
                 progress: Callable[[int], None] = lambda _n: None) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    shards = Shards(source, seed)
    written: dict[str, Path] = {}
    kaggle: IO[bytes] | None = None
    archive: tarfile.TarFile | None = None
    with ExitStack() as stack:
        if "kaggle" in formats:
            written["kaggle"] = out / ("arxiv-mirror.jsonl.gz" if compress else "arxiv-mirror.jsonl")
            # mtime=0: gzip would otherwise stamp the time into the header.
            kaggle = stack.enter_context(
                gzip.GzipFile(written["kaggle"], "wb", compresslevel=1, mtime=0) if compress
                else written["kaggle"].open("wb", buffering=1 << 20))
        if "oai" in formats:
            written["oai"] = out / "oai-pages.tar"
            archive = stack.enter_context(tarfile.open(written["oai"], "w", format=tarfile.GNU_FORMAT))
        page: list[str] = []
        pages = 0
        for count, paper in enumerate(papers(source, shards, total)):
            if kaggle is not None:
                kaggle.write(source.lines[count] if count < len(source.lines) else kaggle_line(paper))
            if archive is not None:
                page.append(arxiv_raw_record(paper))
                if len(page) == PAGE_RECORDS:
                    pages += 1
                    _add_page(archive, pages, oai_page(page, pages, count + 1 == total))
                    page = []
            if count % 100_000 == 99_999:
                progress(count + 1)
        if archive is not None and page:
            pages += 1
            _add_page(archive, pages, oai_page(page, pages, True))
    return written


def near_namesake_share(sample: list[str], population: list[str], sample_at: list[int],
                        threshold: float) -> float:
    """Share of `sample` (normalised titles at `sample_at` in `population`) whose nearest other title
    in `population` scores at least `threshold` (rapidfuzz ratio, 0-100)."""
    from rapidfuzz import fuzz, process

    near = 0
    for title, at in zip(sample, sample_at, strict=True):
        best = process.extract(title, population, scorer=fuzz.ratio, score_cutoff=threshold, limit=2)
        near += any(index != at for _, _, index in best)  # a title is not its own namesake
    return near / len(sample)


def measure(source: Source, total: int, seed: int, size: int = 300) -> list[str]:
    """Near-namesakes, real against generated: the share of sampled titles whose nearest other
    title scores at least 90 (and 80) by rapidfuzz's ratio on normalised titles."""
    rng = random.Random(seed)
    shards = Shards(source, seed)
    real = [normalize_title(p.title) for p in source.papers]
    count = len(source.papers)
    # Only the titles: generated_paper's title, without the rest of the record.
    mirror = real + [normalize_title(shards.title(source.papers[i % count].title, 1 + i // count))
                     for i in range(total - count)]
    real_at = rng.sample(range(len(real)), size)
    generated_at = rng.sample(range(len(real), len(mirror)), size)
    lines = [f"| titles sampled ({size} each) | population | ratio ≥ 90 | ratio ≥ 80 |", "|---|---:|---:|---:|"]
    for label, population, at in (("real", real, real_at), ("generated", mirror, generated_at)):
        sample = [population[i] for i in at]
        shares = [near_namesake_share(sample, population, at, t) for t in (90, 80)]
        lines.append(f"| {label} | {len(population):,} | {shares[0]:.1%} | {shares[1]:.1%} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--gzip", action="store_true", help="gzip the JSON lines (level 1)")
    parser.add_argument("--format", choices=["kaggle", "oai", "both"], default="both")
    parser.add_argument("--measure", action="store_true",
                        help="compare near-namesakes, real against generated, instead of writing files")
    args = parser.parse_args()
    if not SHARED_CORPUS.is_file():
        print(f"skipped: {SHARED_CORPUS} is absent (the generator needs ../shared beside the project)",
              file=sys.stderr)
        return
    if args.out.resolve().is_relative_to(ROOT):
        parser.error("the corpus is data, not code: write it outside the repository")
    started = time.monotonic()
    source = load_source()
    if args.measure:
        print("\n".join(measure(source, args.records, args.seed)))
        return
    formats = ("kaggle", "oai") if args.format == "both" else (args.format,)
    written = write_corpus(args.out, source, total=args.records, seed=args.seed, compress=args.gzip,
                           formats=formats,
                           progress=lambda n: print(f"{n:,} records, {time.monotonic() - started:.0f} s",
                                                    file=sys.stderr))
    for name, path in written.items():
        print(f"{name}: {path} ({path.stat().st_size / 1e9:.2f} GB)")
    print(f"{args.records:,} records in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
