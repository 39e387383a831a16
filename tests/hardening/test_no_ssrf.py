"""No endpoint fetches a URL it was given: links in documents are read, never requested."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fastapi.testclient import TestClient


def test_links_in_a_checked_document_are_never_requested(api: TestClient) -> None:
    hits: list[str] = []

    class Trap(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            return

    trap = ThreadingHTTPServer(("127.0.0.1", 0), Trap)
    threading.Thread(target=trap.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{trap.server_address[1]}"
    try:
        text = (f"- [A paper]({base}/abs/2002.05709) and <{base}/pdf/1706.03762.pdf>\n"
                f"- [Attention Is All You Need]({base}/paper)\n")
        assert api.post("/v1/check", json={"text": text}).status_code == 200
        created = api.post("/v1/documents", json={"text": text})
        assert created.status_code == 201
        assert api.get("/v1/resolve", params={"q": f"{base}/abs/2002.05709"}).status_code in (200, 422)
    finally:
        trap.shutdown()
    assert hits == []
