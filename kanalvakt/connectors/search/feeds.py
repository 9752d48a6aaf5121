"""RSS 2.0 and Atom news feeds the organisation lists; kept items mention its terms.

The XML is parsed with defusedxml (no entities, no external references). The
feed address is checked to be public before it is fetched, and nothing an item
links to is ever fetched.
"""

from __future__ import annotations

import hashlib
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from kanalvakt.connectors.http import ConnectorError, HttpClient
from kanalvakt.connectors.parsing import html_to_text
from kanalvakt.connectors.search.base import (
    FoundMention,
    Resolver,
    require_public_url,
    resolve_host,
    when,
)

MAX_BYTES = 5 * 1024 * 1024
ATOM = "{http://www.w3.org/2005/Atom}"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8"


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _rfc822(value: str) -> object:
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError):
        return value


def _id(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]


def _rss(root: Element) -> list[FoundMention]:
    found = []
    for item in root.iter("item"):
        link = _text(item.find("link"))
        guid = _text(item.find("guid")) or link
        title = _text(item.find("title"))
        body = html_to_text(_text(item.find("description")))
        found.append(
            FoundMention(
                external_id=guid or _id(title, body),
                url=link,
                author=_text(item.find("author"))
                or _text(item.find("{http://purl.org/dc/elements/1.1/}creator")),
                text=f"{title}\n{body}".strip(),
                published_at=when(_rfc822(_text(item.find("pubDate")))),
            )
        )
    return found


def _atom(root: Element) -> list[FoundMention]:
    found = []
    for entry in root.iter(f"{ATOM}entry"):
        link = ""
        for candidate in entry.findall(f"{ATOM}link"):
            if candidate.get("rel", "alternate") == "alternate":
                link = candidate.get("href", "")
                break
        title = html_to_text(_text(entry.find(f"{ATOM}title")))
        body = html_to_text(
            _text(entry.find(f"{ATOM}summary")) or _text(entry.find(f"{ATOM}content"))
        )
        author = entry.find(f"{ATOM}author")
        found.append(
            FoundMention(
                external_id=_text(entry.find(f"{ATOM}id")) or link or _id(title, body),
                url=link,
                author=_text(author.find(f"{ATOM}name")) if author is not None else "",
                text=f"{title}\n{body}".strip(),
                published_at=when(
                    _text(entry.find(f"{ATOM}updated")) or _text(entry.find(f"{ATOM}published"))
                ),
            )
        )
    return found


def parse_feed(body: bytes) -> list[FoundMention]:
    """Every item of an RSS 2.0 or Atom document."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise ConnectorError(f"not a feed: {error}", platform="feed") from error
    except Exception as error:  # defusedxml refuses entities and DTDs with its own errors
        raise ConnectorError(f"refused feed: {type(error).__name__}", platform="feed") from error
    if root.tag == f"{ATOM}feed":
        return _atom(root)
    if root.tag in ("rss", "rdf", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"):
        return _rss(root)
    raise ConnectorError(f"not RSS or Atom: <{root.tag}>", platform="feed")


def matching(mentions: list[FoundMention], terms: list[str]) -> list[FoundMention]:
    """The items that mention one of the terms (case-insensitive)."""
    lowered = [term.lower().lstrip("#@") for term in terms if term.strip()]
    return [m for m in mentions if any(term in m.text.lower() for term in lowered)]


class FeedReader:
    def __init__(
        self, *, client: HttpClient | None = None, resolve: Resolver = resolve_host
    ) -> None:
        self.client = client or HttpClient(platform="feed")
        self.resolve = resolve

    def read(self, url: str, *, terms: list[str]) -> list[FoundMention]:
        require_public_url(url, resolve=self.resolve)
        response = self.client.request("GET", url, headers={"Accept": ACCEPT})
        if len(response.content) > MAX_BYTES:
            raise ConnectorError("feed too large", platform="feed")
        return matching(parse_feed(response.content), terms)
