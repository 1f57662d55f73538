"""cloudbuild.yaml: lint and test, package, then Terraform, one step after the other."""

import yaml

from deploy.production import ROOT

ORDER = [
    "lint-and-test",
    "package",
    "terraform-init",
    "terraform-validate",
    "terraform-plan",
    "terraform-apply",
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
    assert all(steps[i]["dir"] == "terraform" for i in ORDER[2:])
    env = _build()["options"]["env"]
    assert "TF_VAR_project=$PROJECT_ID" in env and "TF_INPUT=0" in env
