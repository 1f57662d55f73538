"""The wrapper for Pub/Sub-triggered functions.

Delivery is at least once. A message that can never succeed (bad JSON, unknown tenant:
`PermanentError`) is logged and acknowledged by returning; a transient failure raises so
Pub/Sub retries it (retries are on in Terraform, with a dead-letter topic).

A wrapped function takes either a CloudEvent (Eventarc, the local scheduler) or the HTTP
request of a Pub/Sub push subscription, which is how Terraform delivers messages: only a
subscription it owns can carry a dead-letter policy. Push requests are acknowledged with
204 and retried on any 5xx.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request

from ..errors import PermanentError
from ..logging import get_logger, set_trace

if TYPE_CHECKING:
    from cloudevents.http import CloudEvent

log = get_logger("trigger")


@dataclass(frozen=True)
class PubSubMessage:
    """A decoded Pub/Sub message: JSON data (a dict) and string attributes."""

    data: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    message_id: str = ""
    topic: str = ""

    def field(self, key: str, kind: type, *, required: bool = False) -> Any:
        """`data[key]` checked to be a `kind` (bool, int or str); None when absent.

        A wrong type (a number for a month, "yes" for a flag), an empty string, or a
        missing required field is a PermanentError: retrying cannot fix the message.
        """
        value = self.data.get(key)
        if value is None:
            if required:
                raise PermanentError(f"message field {key!r} is required")
            return None
        # bool is an int in Python; a flag is never a count
        wrong_type = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        if wrong_type or value == "":
            raise PermanentError(
                f"message field {key!r} must be a non-empty {kind.__name__}, got {value!r:.80}"
            )
        return value


def decode_cloud_event(event: CloudEvent) -> PubSubMessage:
    """Decode a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent.

    Raises PermanentError when the payload is not base64 JSON of an object; an empty
    payload is an empty dict (Cloud Scheduler may send none).
    """
    envelope = event.data or {}
    message = envelope.get("message") if isinstance(envelope, dict) else None
    source = (event.get("source") if hasattr(event, "get") else "") or ""
    return _decode_message(message, topic=source.rsplit("/", 1)[-1])


def decode_push_request(request: Request) -> PubSubMessage:
    """Decode the JSON envelope a Pub/Sub push subscription POSTs.

    Terraform points each subscription at `<function url>/projects/P/topics/T`, so the
    topic is the last part of the path.
    """
    envelope = request.get_json(force=True, silent=True)
    message = envelope.get("message") if isinstance(envelope, dict) else None
    topic = request.path.rsplit("/topics/", 1)[-1] if "/topics/" in request.path else ""
    return _decode_message(message, topic=topic)


def _decode_message(message: Any, topic: str) -> PubSubMessage:
    if not isinstance(message, dict):
        raise PermanentError("no Pub/Sub message in the event")
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
    return PubSubMessage(
        data=data,
        attributes={str(k): str(v) for k, v in (message.get("attributes") or {}).items()},
        message_id=str(message.get("messageId") or message.get("message_id") or ""),
        topic=topic,
    )


def pubsub_handler(
    fn: Callable[[PubSubMessage], Any],
) -> Callable[[CloudEvent | Request], tuple[str, int] | None]:
    """Wrap `fn(message)` as a CloudEvent function with the ack/retry policy above."""

    @functools.wraps(fn)
    def handle(event: CloudEvent | Request) -> tuple[str, int] | None:
        push = isinstance(event, Request)
        acknowledge = ("", 204) if push else None
        try:
            message = (
                decode_push_request(event)
                if isinstance(event, Request)  # the same test as `push`, so mypy narrows
                else decode_cloud_event(event)
            )
        except PermanentError as exc:
            log.error("poison message acknowledged", function=fn.__name__, error=str(exc))
            return acknowledge
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
        return acknowledge

    return handle
