"""The bundled model as plain arrays in the start-up cache (diskcache.py, issue 8).

`learned.Model.from_bytes` decodes base64, inflates zlib and widens float16:
about 0.1 s of CPU, and the scorer then transposes the weights (0.03 s). The
first process stores the result: the model's fields as JSON and its weights
as float32, already in the scorer's layout (one row per feature bucket), so
a later process reads them in a few milliseconds. `weights` is the same
numbers as `from_bytes` gives, as a transposed view.

The key is a digest of the model's bytes and of the code that reads them.
"""

from __future__ import annotations

import hashlib
import json
import struct
from typing import TYPE_CHECKING

from kanalvakt.moderation.screening import diskcache

if TYPE_CHECKING:
    from kanalvakt.moderation.screening.learned import Model

NAME = "model"
_SIZES = struct.Struct("<QQ")  # bytes of the JSON fields, bytes of the weights


def _key(data: bytes) -> str:
    from kanalvakt.moderation.screening import hashing, learned

    sources = diskcache.source_digest(__file__, learned.__file__)
    content = hashlib.sha256(data).hexdigest()
    return diskcache.key(NAME, learned.FORMAT, hashing.DIM, content, sources)


def _read(payload: memoryview) -> Model | None:
    import numpy as np

    from kanalvakt.moderation.screening.hashing import DIM
    from kanalvakt.moderation.screening.learned import Model

    try:
        head, size = _SIZES.unpack_from(payload)
        start = _SIZES.size
        fields = json.loads(bytes(payload[start : start + head]))
        start += head
        start += -start % diskcache.ALIGN
        heads = len(fields["categories"]) + 1
        if size != 4 * heads * DIM or len(payload) != start + size:
            return None
        columns = np.frombuffer(payload[start:], dtype=np.float32).reshape(DIM, heads).copy()
        return Model(
            version=str(fields["version"]),
            categories=[str(category) for category in fields["categories"]],
            weights=columns.T,
            biases=np.asarray(fields["biases"], dtype=np.float32),
            thresholds=np.asarray(fields["thresholds"], dtype=np.float32),
            evaluation=dict(fields["evaluation"]),
            trained_on=dict(fields["trained_on"]),
        )
    except (ValueError, TypeError, KeyError, struct.error):
        return None


def _stored_form(data: bytes, model: Model) -> list[bytes]:
    import numpy as np

    document = json.loads(data)
    fields = {
        "version": model.version,
        "categories": model.categories,
        "biases": document["biases"],  # the numbers as the model file writes them
        "thresholds": document["thresholds"],
        "evaluation": model.evaluation,
        "trained_on": model.trained_on,
    }
    head = json.dumps(fields).encode("ascii")
    weights = np.ascontiguousarray(model.weights.T, dtype=np.float32).tobytes()
    start = _SIZES.size + len(head)
    return [_SIZES.pack(len(head), len(weights)), head, diskcache.padding(start), weights]


def load(data: bytes) -> Model:
    """`Model.from_bytes(data)`, from the cache when it holds this model."""
    from kanalvakt.moderation.screening.learned import Model

    digest = _key(data)
    payload = diskcache.read(NAME, digest)
    found = _read(payload) if payload is not None else None
    if found is not None:
        return found
    model = Model.from_bytes(data)
    diskcache.write(NAME, digest, lambda: _stored_form(data, model))
    return model
