"""`{{ value|web_link }}`: an address that may become a link, or "".

Addresses come from platforms and from people; only http and https may end
up in an `href`. `javascript:`, `data:`, `vbscript:` and everything else
(including tricks like leading spaces, control characters or mixed case)
give "", and templates show no link.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template

register = template.Library()


def web_link(value: object) -> str:
    text = str(value or "")
    if not text or text != text.strip() or any(ord(c) < 32 or ord(c) == 127 for c in text):
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return text


register.filter("web_link", web_link)
