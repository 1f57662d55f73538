"""Where webhooks and tenants' Odoo keys may go: anywhere locally; public https only in
production, to the address that was checked."""

import ipaddress
import socket
import threading

import pytest

from odoo_engines.core.errors import PermanentError
from odoo_engines.orders.delivery import Delivery, WebhookSender, check_public_url
from odoo_engines.orders.tenants import validate

from .conftest import SECRET


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/computeMetadata/v1/",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://localhost/hook",
        "https://[64:ff9b::a9fe:a9fe]/hook",  # NAT64 of 169.254.169.254
        "https://[64:ff9b:1::a00:1]/hook",
        "https://[2002:a9fe:a9fe::1]/hook",  # 6to4 of 169.254.169.254
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::127.0.0.1]/hook",
    ],
)
def test_private_loopback_and_link_local_are_refused_in_production(url):
    with pytest.raises(PermanentError, match="refused in production"):
        check_public_url(url, production=True)


def test_plain_http_is_refused_in_production():
    with pytest.raises(PermanentError, match="https"):
        check_public_url("http://8.8.8.8/hook", production=True)


def test_public_https_address_is_allowed_in_production():
    assert check_public_url("https://8.8.8.8/hook", True) == ipaddress.ip_address("8.8.8.8")


def test_loopback_is_allowed_locally():
    assert check_public_url("http://127.0.0.1:8099/hook", production=False) is None


@pytest.mark.parametrize(
    "url", ["http://odoo.example.com", "https://169.254.169.254", "https://[::1]:8069"]
)
def test_a_tenants_odoo_url_follows_the_webhook_rule_in_production(url):
    """The tenant's Odoo key travels to odoo_url: never in clear, never inward."""
    with pytest.raises(PermanentError, match="odoo_url"):
        validate({"odoo_url": url}, production=True)
    assert validate({"odoo_url": url}, production=False)["odoo_url"] == url


def test_a_name_that_rebinds_after_the_check_is_not_followed(monkeypatch):
    """DNS answers a public address for the check, then 127.0.0.1 (rebinding): the
    webhook goes to the address that was checked, never to the one DNS gives later."""
    listener = socket.create_server(("127.0.0.1", 0))
    port, reached = listener.getsockname()[1], []
    threading.Thread(target=lambda: reached.append(listener.accept()), daemon=True).start()
    real_lookup, answers = socket.getaddrinfo, iter(["8.8.4.4"])

    def rebinding(host, *args, **kwargs):
        if host != "hooks.rebind.example":
            return real_lookup(host, *args, **kwargs)
        address = next(answers, "127.0.0.1")  # public for the check, loopback after
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)  # the one stand-in: DNS
    with WebhookSender(timeout=0.5, max_parallel=1, production=True) as sender:
        outcome = sender.send(
            Delivery("t1", f"https://hooks.rebind.example:{port}/hook", SECRET, "msg_1", "{}")
        )
    listener.close()
    assert not outcome.ok
    assert reached == []  # nothing connected to 127.0.0.1


@pytest.mark.parametrize("url", ["ftp://example.com/x", "not a url", "https:///nohost"])
def test_malformed_urls_are_refused_everywhere(url):
    with pytest.raises(PermanentError, match="http"):
        check_public_url(url, production=False)
