"""functions/<name>/function.json: checked on load, and held to by the local scheduler."""

import json
import sys

import pytest

from deploy.production import FUNCTIONS
from odoo_engines.core import publish
from odoo_engines.core.errors import ConfigError
from odoo_engines.core.publish import local_publisher
from odoo_engines_tools.packaging import DEFAULTS, list_manifests, load_manifest
from odoo_engines_tools.sandbox.scheduler import deliver

SUITE = {
    "product-sync": "pubsub",
    "sales-sync": "pubsub",
    "forecast": "pubsub",
    "poll-tenant": "pubsub",
    "webhook-retry": "pubsub",
    "embed-document": "http",
    "enrich": "http",
    "orders-api": "http",
}


def _folder(tmp_path, name="job", **spec):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "function.json").write_text(json.dumps(spec))
    return folder


def test_every_function_of_the_suite_has_a_valid_manifest():
    manifests = {m.name: m for m in list_manifests(FUNCTIONS)}
    assert {name: manifests[name].trigger for name in SUITE if name in manifests} == SUITE
    folders = {p.name for p in FUNCTIONS.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(manifests), "every folder of functions/ needs a function.json"


def test_manifest_topics_are_the_topics_the_code_names():
    for manifest in list_manifests(FUNCTIONS):
        named = {manifest.topic, *manifest.publishes} - {None}
        assert named <= set(publish.TOPICS), manifest.name


def test_the_suite_runs_on_its_schedules_and_time_limits():
    manifests = {m.name: m for m in list_manifests(FUNCTIONS)}
    schedules = {name: m.schedule for name, m in manifests.items() if m.schedule}
    assert schedules == {
        "product-sync": "0 */4 * * *",
        "sales-sync": "0 */6 * * *",
        "webhook-retry": "* * * * *",
    }
    assert manifests["forecast"].memory == "2Gi" and manifests["product-sync"].memory == "1Gi"
    # sales-sync hands over to a continuation when its time runs out, then asks for a forecast
    assert manifests["sales-sync"].publishes == ("sales-sync", "forecast")
    assert manifests["forecast"].publishes == ("forecast",)
    assert manifests["poll-tenant"].publishes == ("poll-tenant",)
    # Functions only read tenants' secrets; the CLI's tenant admin manages them.
    assert {name for name, m in manifests.items() if m.tenant_access != "none"} == {
        "poll-tenant",
        "webhook-retry",
        "orders-api",
    }
    # only the poller logs into tenants' Odoo; the others sign or check webhooks
    assert [n for n, m in manifests.items() if m.tenant_access == "read"] == ["poll-tenant"]
    assert manifests["orders-api"].tenant_access == manifests["webhook-retry"].tenant_access
    assert manifests["orders-api"].tenant_access == "webhook"
    assert (manifests["embed-document"].ingress, manifests["embed-document"].invoker) == (
        "all",
        "public",
    )
    assert manifests["enrich"].invoker == "iam"


def test_a_minimal_manifest_takes_the_defaults(tmp_path):
    manifest = load_manifest(
        _folder(tmp_path, entry_point="run", trigger="pubsub", topic="forecast")
    )
    assert manifest.timeout_seconds == DEFAULTS["timeout_seconds"]
    assert manifest.secrets == () and manifest.publishes == ()
    assert (manifest.ingress, manifest.invoker, manifest.tenant_access) == (
        "internal",
        "iam",
        "none",
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"entry_point": "run", "trigger": "pubsub", "topic": "t-1", "timeout": 9}, "timeout"),
        ({"trigger": "http"}, "entry_point"),
        ({"entry_point": "run", "trigger": "pubsub"}, "topic"),
        ({"entry_point": "run", "trigger": "cron", "topic": "abc"}, "trigger"),
        ({"entry_point": "run", "trigger": "http", "schedule": "* * * * *"}, "schedule"),
        (
            {"entry_point": "run", "trigger": "pubsub", "topic": "abc", "timeout_seconds": 900},
            "timeout_seconds",
        ),
        ({"entry_point": "run", "trigger": "http", "memory": "1GB"}, "memory"),
        ({"entry_point": "run", "trigger": "http", "secrets": ["db-password"]}, "secrets"),
        ({"entry_point": "run", "trigger": "http", "secrets": ["A", "A"]}, "repeat"),
        ({"entry_point": "run", "trigger": "pubsub", "topic": "abc", "ingress": "all"}, "internal"),
        ({"entry_point": "main.run", "trigger": "http"}, "entry_point"),
    ],
)
def test_a_bad_manifest_is_refused_naming_the_key(tmp_path, spec, message):
    with pytest.raises(ConfigError, match=message):
        load_manifest(_folder(tmp_path, **spec))


def test_a_folder_name_too_long_for_its_service_account_is_refused(tmp_path):
    folder = _folder(tmp_path, name="a" * 28, entry_point="run", trigger="http")
    with pytest.raises(ConfigError, match="3 to 27"):
        load_manifest(folder)


MAIN = """
import functions_framework
from odoo_engines.core.publish import local_publisher
from odoo_engines.core.triggers import pubsub_handler


def handle(message):
    if message.topic == "probe-start":
        local_publisher().publish("probe-next", {"step": 2})


start = functions_framework.cloud_event(pubsub_handler(handle))
"""


@pytest.fixture
def probe_functions(tmp_path, monkeypatch):
    """Two throwaway functions: `probe-first` publishes to the topic of `probe-second`."""
    root = tmp_path / "functions"
    for name in ("probe-first", "probe-second"):
        (root / name).mkdir(parents=True)
        (root / name / "main.py").write_text(MAIN)
    monkeypatch.setenv("FUNCTIONS_DIR", str(root))

    def declare(publishes: list[str]) -> None:
        for name, topic, listed in (
            ("probe-first", "probe-start", publishes),
            ("probe-second", "probe-next", []),
        ):
            spec = {"entry_point": "start", "trigger": "pubsub", "topic": topic}
            (root / name / "function.json").write_text(json.dumps({**spec, "publishes": listed}))

    yield declare
    for name in ("probe-first", "probe-second"):
        sys.modules.pop(f"_function_{name.replace('-', '_')}", None)
    while local_publisher().pop() is not None:
        pass


def test_local_runs_deliver_what_a_function_may_publish(probe_functions):
    probe_functions(["probe-next"])
    assert deliver("probe-first") == 2


def test_local_runs_refuse_a_topic_the_manifest_does_not_list(probe_functions):
    probe_functions([])
    with pytest.raises(ConfigError, match="probe-first published to probe-next"):
        deliver("probe-first")
