"""The HTTP API as clients use it: checks, papers, resolve, stored documents, auth, limits, metrics."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient

from app.api import create_app
from app.runtime import build_runtime
from app.settings import Settings
from tests.arxiv_standin.server import StandIn

SIMCLR_WRONG = (
    "# Reading list\n\n"
    "- [A Simple Framework for Contrastive Learning of Visual Representations](https://arxiv.org/abs/2002.05709)"
    " by Jonathan Frankle, Michael Carbin (2020)\n"
    "- Attention: https://arxiv.org/abs/1706.03762v5\n"
    "- Broken: arXiv:2002.99999\n"
)


def test_post_check_takes_json_and_returns_the_report(api: TestClient) -> None:
    response = api.post("/v1/check", json={"text": SIMCLR_WRONG, "name": "list.md"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["document"]["name"] == "list.md"
    assert report["document"]["format"] == "markdown"
    by_id = {r["arxiv_id"]: r for r in report["references"]}
    assert by_id["2002.99999"]["status"] == "broken"
    assert {f["code"] for f in by_id["2002.99999"]["findings"]} == {"id_not_found"}
    assert by_id["1706.03762"]["paper"]["title"] == "Attention Is All You Need"
    assert "outdated_version" in {f["code"] for f in by_id["1706.03762"]["findings"]}
    assert set(report["summary"]) == {"references", "ok", "warning", "broken", "unresolved", "unverified"}


def test_post_check_takes_the_raw_document_with_its_media_type(api: TestClient) -> None:
    bib = b"@article{x, title={Attention Is All You Need}, eprint={1706.03762}, archivePrefix={arXiv}}"
    response = api.post("/v1/check", content=bib, headers={"Content-Type": "application/x-bibtex"})
    assert response.status_code == 200, response.text
    assert response.json()["document"]["format"] == "bibtex"
    assert response.json()["references"][0]["status"] == "ok"


def test_bad_check_requests_get_a_4xx_with_a_reason(settings_for: Callable[..., Settings]) -> None:
    app = create_app(lambda: build_runtime(settings_for(max_document_bytes=1000)))
    with TestClient(app) as api:
        too_big = api.post("/v1/check", content=b"x" * 2000, headers={"Content-Type": "text/plain"})
        wrong_type = api.post("/v1/check", content=b"hi", headers={"Content-Type": "image/png"})
        bad_json = api.post("/v1/check", content=b"{nope", headers={"Content-Type": "application/json"})
        missing = api.post("/v1/check", json={"format": "markdown"})
    for response, status in ((too_big, 413), (wrong_type, 415), (bad_json, 400), (missing, 422)):
        assert response.status_code == status
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["detail"]


@pytest.mark.shared_corpus
def test_get_paper_by_any_id_form_and_as_bibtex(api: TestClient) -> None:
    paper = api.get("/v1/papers/2002.05709v2")
    old = api.get("/v1/papers/hep-th/9901001")
    bibtex = api.get("/v1/papers/1706.03762", params={"format": "bibtex"})
    missing = api.get("/v1/papers/2002.99999")
    malformed = api.get("/v1/papers/2002.0570")
    assert paper.status_code == 200
    assert paper.json()["authors"][0]["name"] == "Ting Chen"
    assert paper.json()["latest_version"] == 3
    assert old.status_code == 200
    assert old.json()["arxiv_id"] == "hep-th/9901001"
    assert bibtex.headers["content-type"].startswith("application/x-bibtex")
    assert "eprint = {1706.03762}" in bibtex.text
    assert missing.status_code == 404
    assert malformed.status_code == 422
    assert "malformed" in malformed.json()["detail"]


def test_get_papers_answers_each_id_in_order(api: TestClient) -> None:
    response = api.get("/v1/papers", params={"ids": "1706.03762,nonsense,2002.99999,2002.05709v9"})
    assert response.status_code == 200
    statuses = [(p["requested"], p["status"]) for p in response.json()["papers"]]
    assert statuses == [("1706.03762", "found"), ("nonsense", "malformed"),
                        ("2002.99999", "not_found"), ("2002.05709v9", "version_not_found")]


def test_resolve_takes_ids_and_titles(api: TestClient) -> None:
    by_title = api.get("/v1/resolve", params={"q": "Language Models are Few-Shot Learners"})
    gpt2 = api.get("/v1/resolve", params={"q": "Language Models are Unsupervised Multitask Learners"})
    by_url = api.get("/v1/resolve", params={"q": "https://arxiv.org/pdf/2103.00020v1.pdf"})
    malformed = api.get("/v1/resolve", params={"q": "arXiv:1713.00001"})
    assert by_title.json()["status"] == "found"
    assert by_title.json()["candidates"][0]["arxiv_id"] == "2005.14165"
    assert gpt2.json()["status"] == "unresolved"
    assert by_url.json()["candidates"][0]["arxiv_id"] == "2103.00020"
    assert malformed.status_code == 422
    assert "month 13" in malformed.json()["detail"]


def test_stored_documents_their_reports_and_the_broken_list(api: TestClient) -> None:
    created = api.post("/v1/documents", json={"text": SIMCLR_WRONG, "name": "list.md"})
    assert created.status_code == 201, created.text
    doc_id = created.json()["id"]
    assert created.json()["summary"]["broken"] == 2
    listing = api.get("/v1/documents").json()
    assert [d["id"] for d in listing["documents"]] == [doc_id]
    assert api.get(f"/v1/documents/{doc_id}").json()["text"] == SIMCLR_WRONG
    report = api.get(f"/v1/documents/{doc_id}/report").json()
    assert report["summary"]["broken"] == 2
    broken = api.get("/v1/reports/broken").json()
    assert {r["code"] for r in broken["references"]} >= {"author_mismatch", "id_not_found"}
    only = api.get("/v1/reports/broken", params={"code": "id_not_found"}).json()
    assert [r["arxiv_id"] for r in only["references"]] == ["2002.99999"]
    page = api.get("/v1/reports/broken", params={"limit": 1}).json()
    assert len(page["references"]) == 1
    assert page["total"] == broken["total"]
    assert api.delete(f"/v1/documents/{doc_id}").status_code == 204
    assert api.get(f"/v1/documents/{doc_id}").status_code == 404
    assert api.get("/v1/reports/broken").json()["total"] == 0


def test_writes_and_stored_documents_need_the_api_key_when_one_is_set(
        settings_for: Callable[..., Settings]) -> None:
    app = create_app(lambda: build_runtime(settings_for(api_key="s3cret")))
    key = {"Authorization": "Bearer s3cret"}
    with TestClient(app) as api:
        body = {"text": "arXiv:1706.03762 and arXiv:2002.99999"}
        assert api.post("/v1/documents", json=body).status_code == 401
        wrong = api.post("/v1/documents", json=body, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403
        right = api.post("/v1/documents", json=body, headers=key)
        assert right.status_code == 201
        doc_id = right.json()["id"]
        # Stored documents are private: every route that reads them needs the key too.
        for path in ("/v1/documents", f"/v1/documents/{doc_id}", f"/v1/documents/{doc_id}/report",
                     "/v1/reports/broken"):
            assert api.get(path).status_code == 401, path
            assert api.get(path, headers={"Authorization": "Bearer nope"}).status_code == 403, path
            assert api.get(path, headers=key).status_code == 200, path
        assert api.get(f"/v1/documents/{doc_id}", headers=key).json()["text"] == body["text"]
        assert api.delete(f"/v1/documents/{doc_id}").status_code == 401
        assert api.post("/v1/refresh").status_code == 401
        # Checking and papers stay open.
        assert api.post("/v1/check", json=body).status_code == 200
        assert api.get("/v1/papers", params={"ids": "1706.03762"}).status_code == 200


def test_document_ids_cannot_be_guessed(api: TestClient) -> None:
    first = api.post("/v1/documents", json={"text": "arXiv:1706.03762"}).json()["id"]
    second = api.post("/v1/documents", json={"text": "arXiv:2002.05709"}).json()["id"]
    assert len(first) >= 20 and len(second) >= 20 and first != second
    assert api.get("/v1/documents/1").status_code == 404
    assert api.get(f"/v1/documents/{first}").json()["text"] == "arXiv:1706.03762"


@pytest.mark.shared_corpus
def test_concurrent_checks_citing_the_same_ids_fetch_each_id_once(
    live_server: Callable[..., str], standin: StandIn
) -> None:
    base = live_server()
    ids = ["2002.05709", "1706.03762", "2103.00020", "2011.10566", "hep-th/9901001"]
    text = "\n".join(f"- https://arxiv.org/abs/{i}" for i in ids)

    async def fifty() -> list[int]:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            responses = await asyncio.gather(*(client.post("/v1/check", json={"text": text}) for _ in range(50)))
        return [r.status_code for r in responses]

    assert asyncio.run(fifty()) == [200] * 50
    asked = [i for r in standin.api_requests() for i in r.ids]
    assert sorted(asked) == sorted(ids)


def _counter(api: TestClient, name: str, **labels: str) -> float:
    """One sample's value as /metrics serves it (0 before the first increment)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(api.get("/metrics").text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return 0.0


def test_metrics_count_upstream_requests_and_cache_hits(api: TestClient) -> None:
    # The registry is the process's, shared with earlier tests: what is asserted is the change.
    def snapshot() -> dict[str, float]:
        return {"upstream": _counter(api, "arxiv_enrich_upstream_requests_total", outcome="ok"),
                "hits": _counter(api, "arxiv_enrich_cache_lookups_total", kind="id", result="hit"),
                "misses": _counter(api, "arxiv_enrich_cache_lookups_total", kind="id", result="miss")}

    before = snapshot()
    api.post("/v1/check", json={"text": "arXiv:1706.03762 and arXiv:2002.05709"})
    first = snapshot()
    # Both ids miss the empty cache and go to arXiv in one batch.
    assert first["upstream"] - before["upstream"] == 1
    assert first["misses"] - before["misses"] == 2
    assert first["hits"] == before["hits"]
    api.post("/v1/check", json={"text": "arXiv:1706.03762 and arXiv:2002.05709"})
    second = snapshot()
    # The second check is answered from the cache: two hits, no request.
    assert second["upstream"] == first["upstream"]
    assert second["hits"] - first["hits"] == 2
    assert "arxiv_enrich_refresh_pass_seconds" in api.get("/metrics").text


def test_swagger_ui_and_redoc_are_served_from_the_package_offline(api: TestClient) -> None:
    import re

    for path in ("/docs", "/redoc"):
        page = api.get(path)
        assert page.status_code == 200
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert any(a.endswith(".js") for a in assets), page.text
        # Nothing from a CDN or any other host: every asset is ours and is served.
        assert "http://" not in page.text and "https://" not in page.text
        for asset in assets:
            response = api.get(asset)
            assert response.status_code == 200 and len(response.content) > 0, asset


def test_a_failed_confirmation_round_leaves_the_answered_ids_verified(api: TestClient, standin: StandIn) -> None:
    from tests.arxiv_standin.faults import Fault

    standin.faults.push(Fault("slow", delay=0.001), *["http_503"] * 10)
    report = api.post("/v1/check", json={"text": "See arXiv:2002.05709 and arXiv:2002.99999."}).json()
    by_id = {r["arxiv_id"]: r["status"] for r in report["references"]}
    # SimCLR was in arXiv's first answer: one failed confirmation must not make it unverified.
    assert by_id == {"2002.05709": "ok", "2002.99999": "unverified"}
