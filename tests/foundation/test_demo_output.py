"""`odoo-engines demo` (what `make demo` runs) shows its narrative only: the engines' log
lines go to .data/logs/demo.log, named at the end, and each step says how long it took."""

import json

from click.testing import CliRunner

from odoo_engines.core.logging import get_logger
from odoo_engines_tools import demo
from odoo_engines_tools.cli import cli


def _step_that_logs(app):
    """A step whose engine logs, as every real step does."""
    get_logger("demo-test").info("engine_detail", rows=3)
    demo.click.echo("narrative line")


def test_the_demo_prints_its_narrative_and_keeps_logs_in_a_file(base_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    steps = [("Database", demo.step_database), ("A step that logs", _step_that_logs)]
    monkeypatch.setattr(demo, "STEPS", steps)
    result = CliRunner().invoke(cli, ["demo"], env={**base_env, "LOG_FORMAT": "auto"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert not [line for line in lines if line.lstrip().startswith("{")], result.output
    assert "narrative line" in lines and "engine_detail" not in result.output
    assert sum(line.startswith("(") and line.endswith(" s)") for line in lines) == len(steps)
    assert lines[-1] == "The engines' logs (JSON lines): .data/logs/demo.log"
    logged = [
        json.loads(line) for line in (tmp_path / ".data/logs/demo.log").read_text().splitlines()
    ]
    assert any(entry["message"] == "engine_detail" and entry["rows"] == 3 for entry in logged)
