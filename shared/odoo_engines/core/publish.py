"""Publishing Pub/Sub messages: Google's client in the cloud, an in-process queue locally.

Topics are named here once; Terraform creates the same names.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from .errors import TransientError

PRODUCT_SYNC = "product-sync"
SALES_SYNC = "sales-sync"
FORECAST = "forecast"
POLL_TENANT = "poll-tenant"
WEBHOOK_RETRY = "webhook-retry"
TOPICS = (PRODUCT_SYNC, SALES_SYNC, FORECAST, POLL_TENANT, WEBHOOK_RETRY)


@dataclass(frozen=True)
class Published:
    topic: str
    data: dict[str, Any]
    attributes: dict[str, str]
    message_id: str


class Publisher(Protocol):
    def publish(self, topic: str, data: dict[str, Any], **attributes: str) -> str:
        """Publish JSON `data` with string attributes; returns the message id."""
        ...


class GooglePublisher:
    """google-cloud-pubsub, topics under one project; waits for the server's ack."""

    def __init__(self, project: str, timeout: float = 30.0):
        from google.cloud import pubsub_v1  # type: ignore[attr-defined]  # no py.typed

        self.client = pubsub_v1.PublisherClient()
        self.project = project
        self.timeout = timeout

    def publish(self, topic: str, data: dict[str, Any], **attributes: str) -> str:
        path = self.client.topic_path(self.project, topic)
        body = json.dumps(data, default=str).encode()
        try:
            message_id: str = self.client.publish(path, body, **attributes).result(
                timeout=self.timeout
            )
            return message_id
        except Exception as exc:
            raise TransientError(f"publishing to {topic} failed: {exc}") from exc


@dataclass
class LocalPublisher:
    """Keeps messages in memory; the local scheduler delivers them to the functions."""

    queue: deque[Published] = field(default_factory=deque)
    history: list[Published] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, topic: str, data: dict[str, Any], **attributes: str) -> str:
        message = Published(
            topic,
            json.loads(json.dumps(data, default=str)),
            {k: str(v) for k, v in attributes.items()},
            uuid.uuid4().hex,
        )
        with self._lock:
            self.queue.append(message)
            self.history.append(message)
        return message.message_id

    def pop(self) -> Published | None:
        with self._lock:
            return self.queue.popleft() if self.queue else None


_local = LocalPublisher()


def get_publisher(project: str | None, environment: str) -> Publisher:
    """Google's publisher when a project is set outside local runs (one per project and
    process: its client keeps its connections); else the local queue."""
    if project and environment not in ("local", "test"):
        return _google_publisher(project)
    return _local


@cache
def _google_publisher(project: str) -> GooglePublisher:
    return GooglePublisher(project)


def local_publisher() -> LocalPublisher:
    """The process-wide local queue (tests and the local scheduler read it)."""
    return _local
