"""`kanalvakt screen --prepare`: the start-up cache built at install time (issue 8).

A new process reads what screening derives before its first answer from the
start-up cache (`diskcache.py`): wordfreq's figures, Voikko's readings of the
common Finnish words, the prefilter's anchors, the compiled patterns and the
model's arrays. The first process on a machine builds them, about 5 s of
CPU; run at install (the container image does), no user waits for that.
"""

from __future__ import annotations

from pathlib import Path

# one comment in each language that takes every step: the lexicons, Voikko, the
# patterns, spelling and the learned scorer
SAMPLES = (
    "Du är en idiot och jag hatar dig",
    "Olet ihan idiootti, senkin pässi",
    "You are an idiot and I hate you",
)


def prepare() -> tuple[Path | None, list[str]]:
    """Build every start-up table; the cache folder and the files in it (none: not kept)."""
    from kanalvakt.moderation.screening import diskcache, morphology, voikkotable
    from kanalvakt.moderation.screening.config import ScreeningConfig
    from kanalvakt.moderation.screening.engine import screen_many

    screen_many(list(SAMPLES), config=ScreeningConfig.default())
    voikkotable.table(morphology._voikko_analyses)
    folder = diskcache.directory()
    if folder is None or not folder.is_dir():
        return folder, []
    return folder, sorted(path.name for path in folder.glob("*.bin"))


def prepare_report() -> tuple[bool, str]:
    """`prepare()`, and what the command says of it: (kept, message)."""
    folder, names = prepare()
    if not names:
        return False, (
            f"No start-up cache could be kept ({folder or 'no home folder'}): each process"
            " builds its tables in memory, about 5 s before its first answer."
        )
    return True, f"Start-up cache ready in {folder}: {', '.join(names)}"
