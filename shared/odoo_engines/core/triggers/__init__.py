"""Turning GCP triggers (Pub/Sub CloudEvents, HTTP requests) into engine calls."""

from .http import (
    HttpError,
    Router,
    json_body,
    json_response,
    refuse_nul,
    require_api_key,
    whole_number_arg,
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
    "refuse_nul",
    "require_api_key",
    "whole_number_arg",
]
