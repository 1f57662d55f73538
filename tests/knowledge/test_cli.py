"""The operator's side: `odoo-engines knowledge search` and the demo step."""

from __future__ import annotations

from click.testing import CliRunner

from odoo_engines.knowledge.samples import PRODUCT_CARE
from odoo_engines_tools.app import App
from odoo_engines_tools.cli import cli, main
from odoo_engines_tools.commands.knowledge import demo

from .test_embed import embed


def test_search_command_prints_the_nearest_chunks(client, knowledge_env, monkeypatch):
    embed(client, 4, PRODUCT_CARE, chatbot_id=3, metadata={"filename": "cuidados.pdf"})
    for name, value in knowledge_env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(
        cli, ["knowledge", "search", "3", "¿Cómo lavo las fundas del sofá?", "-k", "2"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("1. score ") and "document 4" in lines[0]
    assert "cuidados.pdf" in lines[0] and "fundas" in lines[1]
    assert sum(line[:3] in ("1. ", "2. ") for line in lines) == 2


def test_search_command_refuses_a_blank_question(knowledge_env, monkeypatch, capsys):
    for name, value in knowledge_env.items():
        monkeypatch.setenv(name, value)
    assert main(["knowledge", "search", "3", "   "]) == 2
    assert "must not be empty" in capsys.readouterr().err


def test_demo_embeds_two_documents_and_answers_the_question(settings, capsys):
    app = App(settings)
    try:
        demo(app)
        demo(app)  # again: nothing changed, nothing is sent to the provider
    finally:
        app.close()
    out = capsys.readouterr().out
    assert "politica-envios.pdf: 3 chunks (3 embedded, 0 reused)" in out
    assert "guia-cuidados.pdf: 3 chunks (0 embedded, 3 reused)" in out
    first_hit = out.split("Question:")[1].splitlines()[1]
    assert first_hit.startswith("1. score") and "politica-envios.pdf" in first_hit
