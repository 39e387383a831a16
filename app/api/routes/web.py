"""The web page at /: paste or upload a document, see its HTML report."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from app.api.deps import RuntimeDep
from app.api.limits import charge_upstream
from app.check.render import render
from app.extract import ExtractionError
from app.pipeline import check_text

router = APIRouter(include_in_schema=False)

PAGE = """<!DOCTYPE html><html lang=en><head><meta charset=utf-8>
<meta name=viewport content="width=device-width,initial-scale=1"><title>arxiv-enrich</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
textarea{width:100%;height:18rem;font:13px ui-monospace,monospace}
label{display:block;margin:.8rem 0 .3rem;font-weight:600}
button{margin-top:1rem;padding:.5rem 1.4rem;font-size:1rem;border-radius:.4rem;border:1px solid #888;cursor:pointer}
.error{color:#b42318;font-weight:600}</style></head><body>
<h1>Check the arXiv references of a document</h1>
<p>Paste a blog post, a reading list, a README or a BibTeX file, or upload one. Every arXiv link,
id and paper title is checked against arXiv: ids that do not exist, titles or authors that are
not the paper's, withdrawn papers, dates that disagree.</p>
{error}
<form method=post action="/ui/check" enctype="multipart/form-data">
<label for=text>Document</label><textarea id=text name=text placeholder="Paste the document here"></textarea>
<label for=file>…or upload a file</label><input id=file type=file name=file>
<label for=format>Format</label>
<select id=format name=format><option value=auto>detect</option><option>markdown</option>
<option>html</option><option>text</option><option>bibtex</option><option>latex</option><option>rst</option></select>
<br><button id=submit type=submit>Check references</button></form></body></html>"""


def _page(error: str = "", status: int = 200, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    from html import escape

    block = f"<p class=error role=alert>{escape(error)}</p>" if error else ""
    return HTMLResponse(PAGE.replace("{error}", block), status_code=status, headers=headers)


@router.get("/", response_class=HTMLResponse)
async def home() -> HTMLResponse:
    return _page()


@router.post("/ui/check", response_class=HTMLResponse)
async def check_page(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    try:
        charge = charge_upstream(request)
    except HTTPException as exc:
        return _page(str(exc.detail), exc.status_code, exc.headers)
    with charge:
        return await _check_form(request, runtime)


async def _check_form(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    limit = runtime.settings.max_document_bytes
    # The form is read here, not by FastAPI's Form() parameters: a pasted document may be as large
    # as the API accepts (Starlette's default part limit is 1 MiB), and a field sent in the wrong
    # shape (text as a file part) gets this page with a reason, not a validation error.
    try:
        form = await request.form(max_files=2, max_fields=4, max_part_size=limit + 1)
    except (MultiPartException, StarletteHTTPException) as exc:
        # Starlette hands the parser's complaint on as an HTTPException(400) inside an app; the
        # body limits' own answers (408, 413) go out as they are.
        if isinstance(exc, StarletteHTTPException) and exc.status_code != 400:
            raise
        message = exc.message if isinstance(exc, MultiPartException) else str(exc.detail)
        if "exceeded maximum size" in message:
            return _page(f"The document is over the limit of {limit} bytes.", 413)
        return _page(f"The form could not be read: {message}", 400)
    text, format, file = form.get("text", ""), form.get("format", "auto"), form.get("file")
    name = None
    document: str | bytes
    if isinstance(text, UploadFile):
        # A client that sent the pasted text as a file: its content is the document all the same.
        document = await text.read(limit + 1)
    else:
        document = text
    if isinstance(file, UploadFile) and file.filename:
        document = await file.read(limit + 1)
        name = file.filename
    if not isinstance(format, str):
        return _page("The format must be a form field, not a file.", 422)
    size = len(document.encode() if isinstance(document, str) else document)
    if not size or not document.strip():
        return _page("Paste a document or choose a file first.", 400)
    if size > limit:
        return _page(f"The document is over the limit of {limit} bytes.", 413)
    if format not in ("auto", "markdown", "html", "text", "bibtex", "latex", "rst"):
        return _page(f"Unknown format {format!r}.", 422)
    try:
        report = await check_text(runtime, document, name=name or "pasted document", format=format,
                                  budgeted=True)
    except ExtractionError as exc:
        return _page(f"The document cannot be read: {exc}", 422)
    finally:
        await form.close()
    return HTMLResponse(render([report], "html", paths=[name or "pasted document"]))
