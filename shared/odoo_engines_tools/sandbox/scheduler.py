"""The local scheduler: delivers Pub/Sub-shaped CloudEvents to the functions in-process.

Each `functions/<name>/function.json` names the function's entry point, its trigger
(`pubsub` or `http`), for Pub/Sub its topic, and the topics it may publish to; Terraform
reads the same manifests (`odoo_engines_tools.packaging`, `functions/README.md`).
Messages a function publishes (continuations, forecast shards) land in the local
publisher's queue and are delivered to the subscribed functions until the queue is empty.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

from cloudevents.http import CloudEvent

from odoo_engines.core.errors import ConfigError
from odoo_engines.core.logging import get_logger
from odoo_engines.core.publish import local_publisher

from ..packaging import FunctionManifest, list_manifests

log = get_logger("scheduler")
MAX_DELIVERIES = 10_000


def list_functions() -> list[FunctionManifest]:
    """Every function folder with a manifest, sorted by name."""
    return list_manifests()


def get_function(name: str) -> FunctionManifest:
    for spec in list_functions():
        if spec.name == name:
            return spec
    known = ", ".join(s.name for s in list_functions()) or "none"
    raise ConfigError(f"no function named {name!r} (known: {known})")


def load_entry_point(spec: FunctionManifest):
    """Import the function's main.py as its own module and return the entry point."""
    module_name = f"_function_{spec.name.replace('-', '_')}"
    module = sys.modules.get(module_name)
    if module is None:
        loader = importlib.util.spec_from_file_location(module_name, spec.folder / "main.py")
        module = importlib.util.module_from_spec(loader)
        sys.modules[module_name] = module
        loader.loader.exec_module(module)
    return getattr(module, spec.entry_point)


def pubsub_event(
    topic: str, data: Any, attributes: dict[str, str] | None = None, project: str = "local"
) -> CloudEvent:
    """A CloudEvent shaped exactly like the one Pub/Sub sends a gen2 function."""
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    message_id = uuid.uuid4().hex
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return CloudEvent(
        {
            "specversion": "1.0",
            "type": "google.cloud.pubsub.topic.v1.messagePublished",
            "source": f"//pubsub.googleapis.com/projects/{project}/topics/{topic}",
            "id": message_id,
            "time": now,
        },
        {
            "message": {
                "data": base64.b64encode(raw).decode(),
                "attributes": attributes or {},
                "messageId": message_id,
                "publishTime": now,
            },
            "subscription": f"projects/{project}/subscriptions/{topic}-sub",
        },
    )


def deliver(name: str, data: Any = None, attributes: dict[str, str] | None = None) -> int:
    """Deliver one message to function `name`, then every message it caused; returns count."""
    spec = get_function(name)
    if spec.trigger != "pubsub":
        raise ConfigError(f"{name} is an HTTP function; use `odoo-engines serve {name}`")
    _call(spec, data if data is not None else {}, attributes or {})
    delivered = 1
    publisher = local_publisher()
    while (message := publisher.pop()) is not None:
        targets = [
            s for s in list_functions() if s.trigger == "pubsub" and s.topic == message.topic
        ]
        if not targets:
            log.warning("no local function subscribes to topic", topic=message.topic)
        for target in targets:
            _call(target, message.data, message.attributes)
            delivered += 1
        if delivered >= MAX_DELIVERIES:
            raise RuntimeError(f"stopped after {MAX_DELIVERIES} deliveries: a message loop?")
    return delivered


def _call(spec: FunctionManifest, data: Any, attributes: dict[str, str]) -> None:
    log.info("delivering", function=spec.name, topic=spec.topic, attributes=attributes)
    publisher = local_publisher()
    already = len(publisher.history)
    load_entry_point(spec)(pubsub_event(spec.topic or spec.name, data, attributes))
    # In the cloud a function may publish only to the topics its manifest lists
    # (Terraform grants pubsub.publisher on those alone): hold local runs to the same rule.
    undeclared = {m.topic for m in publisher.history[already:]} - set(spec.publishes)
    if undeclared:
        raise ConfigError(
            f"{spec.name} published to {', '.join(sorted(undeclared))}, which "
            f"{spec.folder / 'function.json'} does not list under publishes"
        )


def serve(name: str, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Run function `name` under the functions-framework server, as Cloud Run does."""
    import functions_framework
    from werkzeug.serving import run_simple

    spec = get_function(name)
    signature = "cloudevent" if spec.trigger == "pubsub" else "http"
    app = functions_framework.create_app(spec.entry_point, str(spec.folder / "main.py"), signature)
    log.info("serving", function=name, url=f"http://{host}:{port}/")
    run_simple(host, port, app, threaded=True)
