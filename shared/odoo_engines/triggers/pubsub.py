"""The wrapper for Pub/Sub-triggered functions.

Delivery is at least once. A message that can never succeed (bad JSON, unknown tenant:
`PermanentError`) is logged and acknowledged by returning; a transient failure raises so
Pub/Sub retries it (retries are on in Terraform, with a dead-letter topic).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import PermanentError
from ..logging import get_logger, set_trace

log = get_logger("trigger")


@dataclass(frozen=True)
class PubSubMessage:
    """A decoded Pub/Sub message: JSON data (a dict) and string attributes."""

    data: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    message_id: str = ""
    topic: str = ""


def decode_cloud_event(event) -> PubSubMessage:
    """Decode a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent.

    Raises PermanentError when the payload is not base64 JSON of an object; an empty
    payload is an empty dict (Cloud Scheduler may send none).
    """
    envelope = event.data or {}
    message = envelope.get("message") if isinstance(envelope, dict) else None
    if not isinstance(message, dict):
        raise PermanentError("CloudEvent has no Pub/Sub message")
    raw = message.get("data") or ""
    try:
        text = base64.b64decode(raw, validate=True).decode("utf-8") if raw else ""
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise PermanentError(f"message data is not base64 UTF-8: {exc}") from None
    try:
        data = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise PermanentError(f"message data is not JSON: {exc.msg} at {exc.pos}") from None
    if not isinstance(data, dict):
        raise PermanentError("message data must be a JSON object")
    source = (event.get("source") if hasattr(event, "get") else "") or ""
    return PubSubMessage(
        data=data,
        attributes={str(k): str(v) for k, v in (message.get("attributes") or {}).items()},
        message_id=str(message.get("messageId") or message.get("message_id") or ""),
        topic=source.rsplit("/", 1)[-1],
    )


def pubsub_handler(fn: Callable[[PubSubMessage], Any]) -> Callable[[Any], None]:
    """Wrap `fn(message)` as a CloudEvent function with the ack/retry policy above."""

    @functools.wraps(fn)
    def handle(event) -> None:
        try:
            message = decode_cloud_event(event)
        except PermanentError as exc:
            log.error("poison message acknowledged", function=fn.__name__, error=str(exc))
            return
        set_trace(message.message_id or None)
        try:
            fn(message)
        except PermanentError as exc:
            log.error(
                "message failed permanently; acknowledged",
                function=fn.__name__,
                message_id=message.message_id,
                error=str(exc),
            )
        except Exception as exc:
            log.warning(
                "message failed; Pub/Sub will retry",
                function=fn.__name__,
                message_id=message.message_id,
                error=str(exc),
                error_type=type(exc).__name__,
            )
            raise

    return handle
