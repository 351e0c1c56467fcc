"""JSON for answers: orjson, with lone surrogates escaped, and shared data encoded once."""

from __future__ import annotations

import json
from collections import OrderedDict

import orjson


def encode_json(data: object) -> bytes:
    """``data`` as JSON. orjson refuses strings holding lone surrogates (a variable's value
    may echo one in an error message); those go out escaped (``\\ud800``), still valid JSON."""
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode()


class SharedJSON:
    """The JSON text of objects many answers share (a subscription event's ``data``, executed
    once for all its subscribers: ``coordhub.schema.events.fanout``), encoded once each.

    Objects are recognised by identity; each entry holds its object, so that no other object
    can take its id while the entry is kept. The newest ``kept`` entries are kept.
    """

    def __init__(self, kept: int = 256) -> None:
        self.kept = kept
        self._encoded: OrderedDict[int, tuple[object, str]] = OrderedDict()

    def __call__(self, data: object) -> str:
        entry = self._encoded.get(id(data))
        if entry is not None and entry[0] is data:
            return entry[1]
        text = encode_json(data).decode()
        self._encoded[id(data)] = (data, text)
        self._encoded.move_to_end(id(data))
        while len(self._encoded) > self.kept:
            self._encoded.popitem(last=False)
        return text
