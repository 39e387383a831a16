"""The checks: what a citation says against what arXiv says, as findings with severities.

Thresholds and their reasons are in docs/CHECKS.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.check.authors import check_authors, same_person
from app.check.report import Finding, Severity
from app.extract import Cited, CitedReference
from app.resolve.model import Resolution, VersionTitle
from app.resolve.normalize import normalize_title
from app.resolve.title_match import ACCEPT, TITLE_SAME, ruled_out_because, title_score
from clients.arxiv import ARXIV_DOI_REGISTRANT, Paper

# TITLE_SAME (0.90, in title_match.py): a cited title this similar is the paper's title (typos,
# capitalisation, a dropped subtitle).
# Below TITLE_SAME but at least this: the same paper cited under a partly different title.
TITLE_RELATED = 0.60
# A bibliography cites the version it read: proceedings of the year before the preprint was posted,
# the conference the year after its last version. Years this far outside arXiv's are fine.
YEAR_SLACK = 1
MONTH_TOLERANCE = 1
# How far from arXiv's years a year in its journal_ref or comments can be the published version's.
PUBLISHED_RANGE = 10
# Years of the published version in arXiv's journal_ref and comments: "ICML 2020", "NeurIPS'19";
# not the pages of "9, 1981-2014".
_YEAR = re.compile(r"(?<!\d)(?<!\d[-–])(19\d\d|20\d\d)(?![-–]?\d)")
_SHORT_YEAR = re.compile(r"[A-Za-z]['’](\d\d)\b")


def _finding(code: str, severity: Severity, message: str) -> Finding:
    return Finding(code=code, severity=severity, message=message)


def resolution_findings(resolution: Resolution) -> list[Finding]:
    """Findings that follow from resolution alone (the id, the title lookup, arXiv's availability)."""
    status = resolution.status
    reason = resolution.reason or ""
    if status == "malformed":
        return [_finding("malformed_id", "broken", f"not a valid arXiv identifier: {reason}")]
    if status == "not_found":
        return [_finding("id_not_found", "broken", reason or "arXiv has no paper with this id")]
    if status == "version_not_found":
        return [_finding("version_not_found", "broken", reason or "arXiv has no such version")]
    if status == "unverified" and reason.startswith("not looked up:"):
        # The request's upstream budget ran out (app/resolve/ids.py over_budget_reason).
        return [_finding("upstream_budget", "info", f"not verified: {reason.removeprefix('not looked up: ')}")]
    if status == "unverified":
        return [_finding("upstream_unavailable", "info",
                         f"arXiv could not be reached; not verified ({reason})" if reason
                         else "arXiv could not be reached; not verified")]
    if status == "unresolved":
        return [_finding("not_on_arxiv", "info", "no arXiv paper has this title; it may never have "
                                                 "been on arXiv (many classics were not)")]
    if status == "ambiguous":
        names = ", ".join(f"{c.paper.arxiv_id} ({c.paper.published.year})" for c in resolution.candidates[:5])
        return [_finding("ambiguous", "warning",
                         f"several arXiv papers have this title and nothing cited decides: {names}")]
    return []


def possible_matches(cited: Cited, resolution: Resolution) -> list[Finding]:
    """The near titles that the rest of the citation ruled out, shown for the reader to judge."""
    if resolution.status != "unresolved":
        return []
    findings = []
    for candidate in resolution.candidates:
        if candidate.score < ACCEPT:
            continue
        paper = candidate.paper
        why = ruled_out_because(candidate, cited.authors, cited.year) or "the citation does not fit it"
        findings.append(_finding(
            "possible_match", "info",
            f"{paper.arxiv_id} \"{paper.title}\" ({paper.published.year}) has a similar title "
            f"(similarity {candidate.score:.2f}) but is not taken for the cited paper: {why}"))
    return findings


def title_findings(cited_title: str | None, paper: Paper, *, cited_version: int | None = None,
                   earlier: Sequence[VersionTitle] = (), earlier_missing: str | None = None) -> list[Finding]:
    """The cited title against the paper's: the latest title, else any earlier version's.

    `earlier` are the earlier versions' titles (read only when the latest does not match);
    `earlier_missing` says why some could not be read: a title that might be an earlier version's
    is then at most a warning."""
    if not cited_title:
        return []
    score = title_score(cited_title, paper.title)
    if score >= TITLE_SAME:
        return []
    versions = sorted(((title_score(cited_title, v.title), v) for v in earlier if v.title != paper.title),
                      key=lambda sv: (sv[1].version != cited_version, -sv[0], -sv[1].version))
    for version_score, version in versions:
        if version_score >= TITLE_SAME:
            return [_finding("earlier_title", "info",
                             f"cites the title of v{version.version} (\"{version.title}\", "
                             f"{version.submitted:%Y-%m}); the paper is now titled \"{paper.title}\"")]
    best = max([score, *(sv for sv, _ in versions)])
    severity: Severity = "warning" if best >= TITLE_RELATED else "broken"
    how = "partly differs from" if severity == "warning" else "is not"
    message = (f"cited title \"{cited_title}\" {how} the paper's title \"{paper.title}\" "
               f"(similarity {best:.2f})")
    pinned = next((v for _, v in versions if v.version == cited_version), None)
    if pinned is not None:
        message += f" nor v{pinned.version}'s \"{pinned.title}\""
    elif versions:
        message += " nor an earlier version's"
    if earlier_missing is not None and severity == "broken":
        # It may be an earlier version's title: without those, the evidence does not reach broken.
        severity = "warning"
        message += f"; the earlier versions' titles could not be read ({earlier_missing})"
    return [_finding("title_mismatch", severity, message)]


def label_findings(label: str | None, paper: Paper) -> list[Finding]:
    """A label ("PPO", "Double DQN") is a name, not a title: never broken or a warning. It is
    `info` when it has nothing to do with the title: a word of it neither in the title nor the
    initials of a run of its words (then the link may point at another paper than the name says)."""
    if not label:
        return []
    title_words = normalize_title(paper.title).split()
    initials = "".join(word[0] for word in title_words)
    if all(word in title_words or (len(word) > 1 and word.rstrip("s") in initials)
           for word in normalize_title(label).split()):
        return []
    return [_finding("label_mismatch", "info",
                     f"cited by the name \"{label}\", which is not in the paper's title \"{paper.title}\"")]


def author_findings(cited_authors: Sequence[str], paper: Paper, *, elsewhere: bool = False) -> list[Finding]:
    """Cited authors against arXiv's. `elsewhere`: the citation names the venue it was published in,
    whose author list may have grown after the arXiv version (a journal version adding a co-author,
    as JMLR's "Natural Evolution Strategies" did): when every arXiv author is cited, the extra names
    are `info`, not a mismatch."""
    if not cited_authors or not paper.authors:
        return []
    names = [a.name for a in paper.authors]
    result = check_authors(cited_authors, names)
    if result.cited == 0 or not result.unmatched:
        return []
    actual = ", ".join(a.name for a in paper.authors[:6]) + (" et al." if len(paper.authors) > 6 else "")
    if elsewhere and all(any(same_person(c, a) for c in cited_authors) for a in names):
        return [_finding("author_mismatch", "info",
                         f"the citation adds {', '.join(result.unmatched)} to arXiv's authors ({actual}), "
                         "as a published version's author list may")]
    if result.matched == 0:
        return [_finding("author_mismatch", "broken",
                         f"none of the cited authors ({', '.join(result.unmatched)}) wrote this paper; "
                         f"its authors are {actual}")]
    return [_finding("author_mismatch", "warning",
                     f"{len(result.unmatched)} of {result.cited} cited authors are not the paper's "
                     f"({', '.join(result.unmatched)}); its authors are {actual}")]


def _arxiv_years(paper: Paper) -> tuple[int, int]:
    years = [paper.published.year, paper.updated.year, *(v.submitted.year for v in paper.versions)]
    return min(years), max(years)


def published_years(paper: Paper) -> set[int]:
    """Years that arXiv's record gives for the published version: its journal reference, and the
    venue its comments name ("Accepted at ICML 2020", "NeurIPS'19")."""
    text = " ".join(t for t in (paper.journal_ref, paper.comment) if t)
    first, last = _arxiv_years(paper)
    years = {int(y) for y in _YEAR.findall(text)} | {2000 + int(y) for y in _SHORT_YEAR.findall(text)}
    # Pages ("1929-1958") and sizes ("2048 pixels") look like years; a venue's year is near arXiv's.
    return {y for y in years if first - PUBLISHED_RANGE <= y <= last + PUBLISHED_RANGE}


def published_elsewhere(cited: Cited) -> bool:
    """The citation names where the paper was published (a venue other than arXiv, or a DOI that
    is not arXiv's): its year and month are that version's, which arXiv's dates do not tell."""
    return cited.venue is not None or bool(cited.doi and not cited.doi.lower().startswith(ARXIV_DOI_REGISTRANT))


def date_findings(year: int | None, month: int | None, paper: Paper, *,
                  elsewhere: bool = False) -> list[Finding]:
    """The cited year against every date that could explain it (docs/CHECKS.md, Dates).

    Explained: a year from a year before v1 to a year after the last version, or within a year of
    a year that arXiv's journal reference or comments give. Unexplained and `elsewhere` (the
    citation names its venue): the published version's year, not a finding. Unexplained otherwise:
    the citation gives arXiv as its source in a year the paper was not there, `date_mismatch`."""
    if year is None:
        return []
    v1 = paper.published
    first, last = _arxiv_years(paper)
    published = published_years(paper)
    when = f"arXiv v1 is {v1:%Y-%m}" + (f", v{paper.version} {paper.updated:%Y-%m}" if paper.version > 1 else "")
    explained = (first - YEAR_SLACK <= year <= last + YEAR_SLACK
                 or any(abs(year - y) <= YEAR_SLACK for y in published))
    if not explained:
        if elsewhere:
            return []
        told = f"; arXiv's record gives {', '.join(map(str, sorted(published)))}" if published else ""
        if year < first:
            return [_finding("date_mismatch", "warning",
                             f"cited year {year} is before the paper was on arXiv ({when}){told}")]
        return [_finding("date_mismatch", "warning", f"cited year {year}, but {when}{told}")]
    if month is not None and year == v1.year and not elsewhere and year not in published:
        dates = [v1, paper.updated, *(v.submitted for v in paper.versions)]
        months = [d.year * 12 + d.month for d in dates]
        if all(abs(year * 12 + month - m) > MONTH_TOLERANCE for m in months):
            return [_finding("date_mismatch", "warning", f"cited {year}-{month:02d}, but {when}")]
    return []


def paper_findings(reference: CitedReference, resolution: Resolution, paper: Paper) -> list[Finding]:
    """Cited against actual for a reference that names a known paper."""
    cited = reference.cited
    findings: list[Finding] = []
    if resolution.status == "version_not_found":
        return findings
    if paper.withdrawn:
        findings.append(_finding("withdrawn", "broken",
                                 f"the paper was withdrawn in v{paper.version}"
                                 + (f": {paper.comment}" if paper.comment else "")))
    findings += title_findings(cited.title, paper, cited_version=resolution.cited_version,
                               earlier=resolution.earlier_titles,
                               earlier_missing=resolution.earlier_titles_missing)
    if cited.title is None:  # a title claim was checked; the name beside it adds nothing
        findings += label_findings(cited.label, paper)
    elsewhere = published_elsewhere(cited)
    findings += author_findings(cited.authors, paper, elsewhere=elsewhere)
    findings += date_findings(cited.year, cited.month, paper, elsewhere=elsewhere)
    version = resolution.cited_version
    if version is not None and paper.version and version < paper.version:
        findings.append(_finding("outdated_version", "info",
                                 f"cites v{version}; the latest is v{paper.version}"))
    return findings
