"""Shared by the publish tests: posts, media and recorded bodies."""

import gzip
import json
from typing import Any

import yaml

from kanalvakt.connectors.base import MediaKind, OutgoingMedia, OutgoingPost
from kanalvakt.connectors.http import HttpClient, RetryPolicy
from kanalvakt.connectors.tests.helpers import fixture

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
VTT = (
    "WEBVTT\n\n00:00.000 --> 00:02.500\nVälkommen till Kyrkslätt!\n\n"
    "00:02.500 --> 00:05.000\nTervetuloa!\n"
)


def http(platform: str, sleeps: list[float] | None = None) -> HttpClient:
    slept = sleeps if sleeps is not None else []
    return HttpClient(platform=platform, retry=RetryPolicy(base_delay=0), sleep=slept.append)


def image(alt: str = "Biblioteksbussen vid Veikkola skola", url: str = "") -> OutgoingMedia:
    return OutgoingMedia(
        kind=MediaKind.IMAGE,
        filename="bussen.png",
        content_type="image/png",
        data=PNG,
        alt_text=alt,
        url=url,
    )


def video(captions: str = VTT, url: str = "") -> OutgoingMedia:
    return OutgoingMedia(
        kind=MediaKind.VIDEO,
        filename="halsning.mp4",
        content_type="video/mp4",
        data=MP4,
        alt_text="Kommundirektören hälsar välkommen",
        captions=captions,
        url=url,
    )


def post(text: str = "Biblioteksbussen kör igen från måndag.", **kwargs: Any) -> OutgoingPost:
    kwargs.setdefault("idempotency_key", "post-17-account-4")
    return OutgoingPost(text=text, **kwargs)


def cassette(platform: str, name: str) -> list[tuple[str, str, bytes]]:
    """(method, uri, body) of each recorded interaction; gzip bodies are inflated."""
    recorded = yaml.safe_load(fixture(platform, name))
    out = []
    for interaction in recorded["interactions"]:
        body = interaction["response"]["body"]["string"]
        if isinstance(body, str):
            body = body.encode()
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        out.append((interaction["request"]["method"], interaction["request"]["uri"], body))
    return out


def form_fields(request_body: bytes) -> str:
    """The multipart body as text, for asserting on field names and values."""
    return request_body.decode("utf-8", "replace")


def sent_json(route_call: Any) -> Any:
    return json.loads(route_call.request.content)
