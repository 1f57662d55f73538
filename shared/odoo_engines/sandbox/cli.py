"""`odoo-engines sandbox …`: run the local stand-ins in the foreground."""

from __future__ import annotations

import click


@click.command("openai")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8098, show_default=True, type=int)
@click.option(
    "--api-key",
    envvar="SANDBOX_OPENAI_KEY",
    default="sk-local",
    show_default=True,
    help="The Bearer key clients must send.",
)
def sandbox_openai(host: str, port: int, api_key: str) -> None:
    """An OpenAI-compatible server answering with the offline models."""
    from .openai_server import LocalOpenAI

    server = LocalOpenAI(host=host, port=port, api_key=api_key).start()
    click.echo(f"LocalOpenAI on {server.url}")
    click.echo(f"  export OPENAI_BASE_URL={server.url} OPENAI_API_KEY=<the --api-key>")
    server.serve_forever()


@click.command("sink")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8099, show_default=True, type=int)
def sandbox_sink(host: str, port: int) -> None:
    """A webhook receiver that prints each delivery and answers 200."""
    from .webhook_sink import WebhookSink

    class PrintingSink(WebhookSink):
        def handle(self, request):
            reply = super().handle(request)
            click.echo(
                f"{request.received_at:%H:%M:%S} {request.method} {request.path} "
                f"{len(request.body)} bytes -> {reply.status}"
            )
            return reply

    sink = PrintingSink(host=host, port=port).start()
    click.echo(f"webhook sink on {sink.url}")
    sink.serve_forever()
