"""The checks: what a citation says against what arXiv says, as findings with severities.

Thresholds and their reasons are in docs/CHECKS.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.check.authors import check_authors
from app.check.report import Finding, Severity
from app.extract import CitedReference
from app.resolve.model import Resolution
from app.resolve.normalize import normalize_title
from app.resolve.title_match import title_score
from clients.arxiv.records import Paper

# A cited title this similar is the paper's title (typos, capitalisation, a dropped subtitle).
TITLE_SAME = 0.90
# Below TITLE_SAME but at least this: the same paper cited under a partly different title.
TITLE_RELATED = 0.60
# Conference versions come out the year after the preprint; a citation may give either.
YEAR_AFTER_V1 = 1
MONTH_TOLERANCE = 1


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


def title_findings(cited_title: str | None, paper: Paper) -> list[Finding]:
    if not cited_title:
        return []
    score = title_score(cited_title, paper.title)
    if score >= TITLE_SAME:
        return []
    severity: Severity = "warning" if score >= TITLE_RELATED else "broken"
    how = "partly differs from" if severity == "warning" else "is not"
    return [_finding("title_mismatch", severity,
                     f"cited title \"{cited_title}\" {how} the paper's title \"{paper.title}\" "
                     f"(similarity {score:.2f})")]


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


def author_findings(cited_authors: Sequence[str], paper: Paper) -> list[Finding]:
    if not cited_authors or not paper.authors:
        return []
    result = check_authors(cited_authors, [a.name for a in paper.authors])
    if result.cited == 0 or not result.unmatched:
        return []
    actual = ", ".join(a.name for a in paper.authors[:6]) + (" et al." if len(paper.authors) > 6 else "")
    if result.matched == 0:
        return [_finding("author_mismatch", "broken",
                         f"none of the cited authors ({', '.join(result.unmatched)}) wrote this paper; "
                         f"its authors are {actual}")]
    return [_finding("author_mismatch", "warning",
                     f"{len(result.unmatched)} of {result.cited} cited authors are not the paper's "
                     f"({', '.join(result.unmatched)}); its authors are {actual}")]


def date_findings(year: int | None, month: int | None, paper: Paper) -> list[Finding]:
    if year is None:
        return []
    v1 = paper.published
    dates = [v1, paper.updated, *(v.submitted for v in paper.versions)]
    years = {d.year for d in dates} | {v1.year + step for step in range(YEAR_AFTER_V1 + 1)}
    when = f"arXiv v1 is {v1:%Y-%m}" + (f", v{paper.version} {paper.updated:%Y-%m}" if paper.version > 1 else "")
    if year not in years:
        return [_finding("date_mismatch", "warning", f"cited year {year}, but {when}")]
    if month is not None and year == v1.year:
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
    findings += title_findings(cited.title, paper)
    if cited.title is None:  # a title claim was checked; the name beside it adds nothing
        findings += label_findings(cited.label, paper)
    findings += author_findings(cited.authors, paper)
    findings += date_findings(cited.year, cited.month, paper)
    version = resolution.cited_version
    if version is not None and paper.version and version < paper.version:
        findings.append(_finding("outdated_version", "info",
                                 f"cites v{version}; the latest is v{paper.version}"))
    return findings
