"""Reading a read model's stored document back, refusing one that is damaged."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from connect_four.eventsourcing.errors import UnreadableDocumentError

T = TypeVar("T")


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


def convert_document(
    projection: str, convert: Callable[[dict[str, Any]], T], document: dict[str, Any]
) -> T:
    """Return a document as the read model's value, refusing one of another shape.

    A JSON object edited by hand may lack a field the read model writes, or
    hold one of another type: that document is damaged like one that is not
    JSON, and the same rebuild writes it again.

    Raises:
        UnreadableDocumentError: a field is missing or holds a value the read
            model never writes there.
    """
    try:
        return convert(document)
    except KeyError as exc:
        reason = f"it lacks the field {exc}"
        raise UnreadableDocumentError(projection, "", reason) from exc
    except (TypeError, ValueError, AttributeError) as exc:
        reason = f"a field holds a value the read model never writes ({exc})"
        raise UnreadableDocumentError(projection, "", reason) from exc
