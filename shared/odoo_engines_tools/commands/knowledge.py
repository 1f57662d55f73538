"""`odoo-engines knowledge …`: search a chatbot's chunks from a terminal; the demo step."""

from __future__ import annotations

import textwrap

import click

from odoo_engines.knowledge.store import MAX_K, SOURCE_TYPES

from ..app import App, pass_app

# The embedder (and the OpenAI SDK behind it) is imported when a command runs, not when
# the `odoo-engines` command starts.

DEMO_CHATBOT = 9001
DEMO_QUESTION = "¿Cuánto tarda un pedido en llegar a Canarias y cuánto cuesta el envío?"


@click.group("knowledge")
def knowledge() -> None:
    """Chatbot knowledge: the chunks the embed-document function stores."""


@knowledge.command("search")
@click.argument("chatbot_id", type=click.IntRange(min=1))
@click.argument("question")
@click.option("-k", "k", default=5, show_default=True, type=click.IntRange(1, MAX_K))
@click.option("--source-type", type=click.Choice(SOURCE_TYPES), help="Only documents or links.")
@pass_app
def search_command(
    app: App, chatbot_id: int, question: str, k: int, source_type: str | None
) -> None:
    """Print the chunks of CHATBOT_ID nearest to QUESTION, best first."""
    if not question.strip():
        raise click.BadParameter("must not be empty", param_hint="QUESTION")
    from odoo_engines.embeddings import get_embedder

    rows = _search(app, get_embedder(app.settings), chatbot_id, question, k, source_type)
    if not rows:
        click.echo(f"chatbot {chatbot_id} has no chunks embedded with this model")
    for rank, row in enumerate(rows, start=1):
        _print_hit(rank, row)


def demo(app: App) -> None:
    """Embed two Spanish documents for a demo chatbot and answer a question from them."""
    from odoo_engines.embeddings import get_embedder
    from odoo_engines.knowledge import run, samples
    from odoo_engines.knowledge.run import Source
    from odoo_engines.knowledge.settings import load_knowledge_settings
    from odoo_engines.knowledge.store import SourceKey

    db = app.db()
    embedder = get_embedder(app.settings)
    settings = load_knowledge_settings()
    documents = (
        ("politica-envios.pdf", samples.SHIPPING_POLICY),
        ("guia-cuidados.pdf", samples.PRODUCT_CARE),
    )
    for source_id, (name, text) in enumerate(documents, start=1):
        source = Source(DEMO_CHATBOT, SourceKey("document", source_id), text, {"filename": name})
        result = run.index_source(db, embedder, settings, source)
        click.echo(
            f"{name}: {result.stored} chunks ({result.embedded} embedded, "
            f"{result.reused} reused) with {embedder.model}"
        )
    click.echo(f"Question: {DEMO_QUESTION}")
    for rank, row in enumerate(_search(app, embedder, DEMO_CHATBOT, DEMO_QUESTION, 3), start=1):
        _print_hit(rank, row)


def _search(app: App, embedder, chatbot_id: int, question: str, k: int, source_type=None):
    from odoo_engines.knowledge import run, store
    from odoo_engines.knowledge.settings import load_knowledge_settings

    db = app.db()
    store.use_search_settings(db, load_knowledge_settings().ef_search)
    rows, sources = run.search(db, embedder, chatbot_id, question, k, source_type)
    filenames = {(s["source_type"], s["source_id"]): s["metadata"].get("filename")
                 for s in sources}  # fmt: skip
    return [{**r, "name": filenames[r["source_type"], r["source_id"]] or r["source_url"]}
            for r in rows]  # fmt: skip


def _print_hit(rank: int, row: dict) -> None:
    name = row["name"] or ""
    click.echo(
        f"{rank}. score {row['score']:.3f}  {row['source_type']} {row['source_id']} "
        f"chunk {row['chunk_index']}  {name}".rstrip()
    )
    text = " ".join(row["content"].split())
    click.echo(textwrap.indent(textwrap.shorten(text, 240, placeholder=" …"), "   "))
