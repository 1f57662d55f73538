"""`odoo-engines runs`: the last runs of the jobs, from the `runs` table (locally, or in
production with the production database's variables)."""

from click.testing import CliRunner

from odoo_engines.core.runs import finish_run, start_run
from odoo_engines_tools.cli import cli


def _runs(env, *args):
    result = CliRunner().invoke(cli, ["runs", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_runs_lists_the_latest_runs_with_their_outcome(base_env, db):
    assert _runs(base_env) == ["no runs yet"]
    done = start_run(db, "product-sync")
    finish_run(db, done, {"success": True, "products_processed": 12, "continued": False})
    failed = start_run(db, "sales-sync")
    finish_run(db, failed, {"success": False, "error": "Odoo: access denied"})
    running = start_run(db, "forecast", "shard-1")

    header, *rows = _runs(base_env)
    assert header.split()[:2] == ["ID", "JOB"]
    assert [row.split()[0] for row in rows] == [str(running), str(failed), str(done)]
    assert "running" in rows[0] and "forecast:shard-1" in rows[0]
    assert "FAILED" in rows[1] and "Odoo: access denied" in rows[1]
    assert " ok " in rows[2] and "products_processed 12" in rows[2]

    _, *failed_rows = _runs(base_env, "--failed")
    assert [row.split()[0] for row in failed_rows] == [str(running), str(failed)]
    _, *product_rows = _runs(base_env, "--job", "product-sync", "--limit", "5")
    assert [row.split()[0] for row in product_rows] == [str(done)]
