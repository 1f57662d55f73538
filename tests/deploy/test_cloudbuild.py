"""cloudbuild.yaml: lint and test, package, then Terraform, one step after the other, then
a smoke run of what was deployed."""

import os
import subprocess

import pytest
import yaml

from deploy.production import FUNCTIONS, ROOT
from odoo_engines_tools.packaging import list_manifests

ORDER = [
    "lint-and-test",
    "package",
    "terraform-init",
    "terraform-validate",
    "terraform-plan",
    "terraform-apply",
    "smoke",
]


def _build() -> dict:
    return yaml.safe_load((ROOT / "cloudbuild.yaml").read_text())


def test_steps_run_in_order_and_a_failure_stops_the_build():
    steps = _build()["steps"]
    assert [step["id"] for step in steps] == ORDER
    # waitFor or allowFailure would let a step start early or a failure pass.
    assert not [s["id"] for s in steps if "waitFor" in s or "allowFailure" in s]


def test_the_build_tests_and_packages_with_the_makefile_and_applies_the_plan_it_made():
    steps = {step["id"]: step for step in _build()["steps"]}
    assert steps["lint-and-test"]["args"][-1] == "make test"
    assert steps["package"]["args"][-1] == "make package"
    assert steps["terraform-plan"]["args"] == ["plan", "-out=tfplan"]
    assert steps["terraform-apply"]["args"] == ["apply", "tfplan"]
    assert all(steps[i]["dir"] == "terraform" for i in ORDER[2:-1])
    env = _build()["options"]["env"]
    assert "TF_VAR_project=$PROJECT_ID" in env and "TF_INPUT=0" in env


# Stand-ins for the Google CLI and curl (no local part can answer for Cloud Logging): each
# reads its answers from files in the folder $SMOKE.
FAKE_GCLOUD = r"""#!/bin/bash
case "$1 $2" in
  "functions describe") echo "https://$3.run.example" ;;
  "auth print-identity-token") echo "id-token" ;;
  "pubsub topics") echo "$4" >> "$SMOKE/published"; echo "msg-$4" ;;
  "logging read") id=$(echo "$3" | sed -E 's/^trace="([^"]+)".*/\1/')
                  cat "$SMOKE/log-$id" 2>/dev/null || true ;;
  *) echo "unexpected gcloud $*" >&2; exit 2 ;;
esac
"""
FAKE_CURL = r"""#!/bin/bash
url="${@: -1}"; echo "$url" >> "$SMOKE/called"
grep -qx "$url" "$SMOKE/down" 2>/dev/null && exit 22 || exit 0
"""


def _smoke(tmp_path, logs: dict[str, str], down: tuple[str, ...] = (), wait: int = 30):
    """Run the smoke step's script as Cloud Build would, against the stand-ins."""
    step = next(s for s in _build()["steps"] if s["id"] == "smoke")
    script = step["args"][-1].replace("${_REGION}", "us-central1")
    script = script.replace("${_SMOKE_WAIT_SECONDS}", str(wait)).replace("$$", "$")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in (("gcloud", FAKE_GCLOUD), ("curl", FAKE_CURL), ("sleep", "#!/bin/sh\n")):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    for topic, outcome in logs.items():
        (tmp_path / f"log-msg-{topic}").write_text(outcome + "\n")
    (tmp_path / "down").write_text("".join(f"https://{f}.run.example/health\n" for f in down))
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "SMOKE": str(tmp_path)}
    return subprocess.run(  # noqa: S603 (the step's own script)
        ["bash", "-ceu", script],  # noqa: S607 (bash from PATH, as Cloud Build's image has it)
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


HTTP_FUNCTIONS = sorted(m.name for m in list_manifests(FUNCTIONS) if m.trigger == "http")
ALL_OK = {"product-sync": "connections_ok", "sales-sync": "connections_ok"}


def test_smoke_calls_every_http_health_and_checks_both_syncs(tmp_path):
    result = _smoke(tmp_path, ALL_OK)
    assert result.returncode == 0, result.stdout + result.stderr
    called = (tmp_path / "called").read_text().split()
    assert called == [f"https://{f}.run.example/health" for f in HTTP_FUNCTIONS]
    assert (tmp_path / "published").read_text().split() == ["product-sync", "sales-sync"]
    assert result.stdout.count("ok   ") == len(HTTP_FUNCTIONS) + 2


@pytest.mark.parametrize(
    ("logs", "down", "wait", "why"),
    [
        (ALL_OK, ("enrich",), 30, "FAIL enrich: GET /health"),
        ({**ALL_OK, "sales-sync": "message failed; Pub/Sub will retry"}, (), 30,
         "FAIL sales-sync: TEST_CONNECTIONS_ONLY (message msg-sales-sync): message failed"),
        ({"sales-sync": "connections_ok"}, (), 0,
         "FAIL product-sync: TEST_CONNECTIONS_ONLY (message msg-product-sync): no outcome"),
    ],
)  # fmt: skip
def test_smoke_fails_the_build_when_one_check_fails(tmp_path, logs, down, wait, why):
    result = _smoke(tmp_path, logs, down, wait)
    assert result.returncode == 1, result.stdout + result.stderr
    assert why in result.stdout
