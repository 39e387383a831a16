"""SARIF 2.1.0: one run per file, one result per finding, so code scanning shows them inline."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from app import __version__
from app.check.report import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"broken": "error", "warning": "warning", "info": "note"}
RULES = {
    "malformed_id": ("broken", "Looks like an arXiv id or URL but is not a valid one"),
    "id_not_found": ("broken", "A valid arXiv id that arXiv does not have"),
    "version_not_found": ("broken", "The cited version does not exist"),
    "withdrawn": ("broken", "The paper was withdrawn"),
    "title_mismatch": ("broken", "The cited title is not the paper's"),
    "author_mismatch": ("broken", "The cited authors are not the paper's"),
    "date_mismatch": ("warning", "The cited year or month disagrees with arXiv's dates"),
    "ambiguous": ("warning", "The title matches several arXiv papers and nothing cited decides"),
    "not_on_arxiv": ("info", "No arXiv paper has this title"),
    "label_mismatch": ("info", "The name the paper is cited by is not in its title"),
    "outdated_version": ("info", "Cites an older version than the latest"),
    "duplicate": ("info", "The same paper is cited again in the document"),
    "upstream_unavailable": ("info", "arXiv could not be reached; the reference is not verified"),
    "upstream_budget": ("info", "Not looked up: the request's upstream budget was spent"),
}


def _rules() -> list[dict[str, Any]]:
    return [{"id": code, "name": code, "shortDescription": {"text": text},
             "defaultConfiguration": {"level": LEVEL[severity]},
             "helpUri": "https://github.com/arxiv-enrich/arxiv-enrich/blob/main/docs/CHECKS.md"}
            for code, (severity, text) in RULES.items()]


def _run(report: Report, uri: str) -> dict[str, Any]:
    results = []
    for ref in report.references:
        for finding in ref.findings:
            results.append({
                "ruleId": finding.code,
                "ruleIndex": list(RULES).index(finding.code),
                "level": LEVEL[finding.severity],
                "message": {"text": f"{ref.text}: {finding.message}"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": ref.line, "startColumn": ref.column,
                               "endColumn": ref.column + len(ref.text.splitlines()[0] if ref.text else "")},
                }}],
                "partialFingerprints": {"arxivEnrich/v1": f"{finding.code}:{ref.arxiv_id or ref.text}"},
            })
    return {
        "tool": {"driver": {"name": "arxiv-enrich", "version": __version__,
                            "informationUri": "https://github.com/arxiv-enrich/arxiv-enrich",
                            "rules": _rules()}},
        "artifacts": [{"location": {"uri": uri}}],
        "results": results,
    }


def render_sarif(reports: Sequence[Report], names: Sequence[str]) -> str:
    log = {"$schema": SCHEMA, "version": "2.1.0",
           "runs": [_run(r, n) for r, n in zip(reports, names, strict=True)]}
    return json.dumps(log, indent=2) + "\n"
