"""Which files the importer takes: the export's data files, never a packed archive.

The platforms hand out their exports as ZIP files. The importer does not
unpack them (no paths from a stranger's ZIP ever touch the disk, and no
compression bomb is ever inflated): a ZIP, or a gzip/7z/rar file, is refused
with a hint naming the file inside it to import instead.
"""

from __future__ import annotations

from pathlib import Path

PACKED = {
    b"PK\x03\x04": "ZIP",
    b"PK\x05\x06": "ZIP",
    b"PK\x07\x08": "ZIP",
    b"\x1f\x8b": "gzip",
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"Rar!\x1a\x07": "RAR",
}

HINTS = {
    "x": "data/tweets.js (inlägg och svar) eller data/direct-messages.js (direktmeddelanden)",
    "facebook": (
        "your_facebook_activity/comments_and_reactions/comments.json, "
        "your_facebook_activity/posts/your_posts_1.json eller "
        "your_facebook_activity/messages/inbox/<tråd>/message_1.json"
    ),
    "instagram": (
        "your_instagram_activity/comments/post_comments_1.json eller "
        "your_instagram_activity/messages/inbox/<tråd>/message_1.json"
    ),
    "bluesky": "repo.car (Bluesky exporterar en CAR-fil som importeras som den är)",
}


def packed_kind(path: Path) -> str:
    """'ZIP', 'gzip', '7z' or 'RAR' when the file is a packed archive, else ''."""
    with path.open("rb") as handle:
        head = handle.read(8)
    for magic, kind in PACKED.items():
        if head.startswith(magic):
            return kind
    return ""


def packed_archive_problem(path: Path, format: str) -> str:
    """Why the file cannot be imported as it is, with what to do instead; '' if it can."""
    kind = packed_kind(path)
    if not kind:
        return ""
    hint = HINTS.get(format, "exportens datafil")
    return (
        f"{path}: filen är ett packat {kind}-arkiv, som inte importeras som det är. "
        f"Packa upp det och importera filen {hint}."
    )
