"""Reading a read model's stored document back, refusing one that is damaged."""

from __future__ import annotations

import json
from typing import Any

from connect_four.eventsourcing.errors import UnreadableDocumentError


def decode_document(
    stored: str | bytes, projection: str, key: str = ""
) -> dict[str, Any]:
    """Return a stored document's JSON object.

    Raises:
        UnreadableDocumentError: the stored value is not a JSON object; the
            message says which rebuild writes it again.
    """
    try:
        value = json.loads(stored)
    except (TypeError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError
        raise UnreadableDocumentError(projection, key, f"not JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise UnreadableDocumentError(projection, key, "not a JSON object")
    return value
