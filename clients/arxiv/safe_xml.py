"""Parsing what arXiv sends, safely: no entity expansion, no external entities, no partial trees.

Everything that is not a complete, safe XML document is a MalformedResponse, which the client
retries: an empty body, an HTML robot-block page, a body cut short, a "billion laughs" feed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from clients.arxiv.errors import MalformedResponse


def parse_xml(body: bytes) -> ET.Element:
    if not body or not body.strip():
        raise MalformedResponse("empty body")
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise MalformedResponse("an HTML page instead of XML (arXiv's robot block page?)")
    try:
        root: ET.Element = SafeET.fromstring(body)
    except DefusedXmlException as exc:
        raise MalformedResponse(f"unsafe XML refused: {type(exc).__name__}") from None
    except ET.ParseError as exc:
        raise MalformedResponse(f"not well-formed XML (cut short?): {exc}") from None
    return root
