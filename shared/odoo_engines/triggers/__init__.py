"""Turning GCP triggers (Pub/Sub CloudEvents, HTTP requests) into engine calls."""

from .http import (
    HttpError,
    Router,
    json_body,
    json_response,
    require_api_key,
)
from .pubsub import PubSubMessage, decode_cloud_event, pubsub_handler

__all__ = [
    "HttpError",
    "PubSubMessage",
    "Router",
    "decode_cloud_event",
    "json_body",
    "json_response",
    "pubsub_handler",
    "require_api_key",
]
