"""Where webhooks may go: anywhere locally; public https only in production."""

import pytest

from odoo_engines.errors import PermanentError
from odoo_engines.orders.delivery import check_webhook_url


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
    ],
)
def test_private_loopback_and_link_local_are_refused_in_production(url):
    with pytest.raises(PermanentError, match="refused in production"):
        check_webhook_url(url, production=True)


def test_plain_http_is_refused_in_production():
    with pytest.raises(PermanentError, match="https"):
        check_webhook_url("http://8.8.8.8/hook", production=True)


def test_public_https_address_is_allowed_in_production():
    assert check_webhook_url("https://8.8.8.8/hook", production=True)


def test_loopback_is_allowed_locally():
    assert check_webhook_url("http://127.0.0.1:8099/hook", production=False)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "not a url", "https:///nohost"])
def test_malformed_urls_are_refused_everywhere(url):
    with pytest.raises(PermanentError, match="http"):
        check_webhook_url(url, production=False)
