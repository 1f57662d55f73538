"""The HTTP calls to the odoo-engines functions, with their settings and timeouts."""

import logging

import requests

_logger = logging.getLogger(__name__)

# The seed's parameter names, so a database that ran the seed module keeps its settings.
URL_PARAM = "fastapi.url"
KEY_PARAM = "fastapi.internal_key"
ORDERS_URL_PARAM = "odoo_engines.orders_url"
TENANT_PARAM = "odoo_engines.tenant_id"
TOKEN_PARAM = "odoo_engines.tenant_token"  # noqa: S105 - a parameter's name
RETRY_DELAYS_PARAM = "odoo_engines.retry_delays"
DEFAULT_RETRY_DELAYS = (5, 10, 20)  # seconds, as the seed's backoff
EMBED_TIMEOUT = 300
DELETE_TIMEOUT = 30
CLEANUP_TIMEOUT = 60
HEALTH_TIMEOUT = 10
PUSH_TIMEOUT = 5
KEY_HEADER = "X-Odoo-API-Key"


class EngineError(Exception):
    """A call the engine refused or could not answer; the message is shown to the user."""


def _params(env):
    return env["ir.config_parameter"].sudo()


def knowledge(env):
    """(base URL, key) of the knowledge function, or EngineError when not configured."""
    params = _params(env)
    url = (params.get_param(URL_PARAM) or "").rstrip("/")
    key = params.get_param(KEY_PARAM) or ""
    if not url or not key:
        raise EngineError("Set the knowledge function's URL and key in Settings > Odoo Engines")
    return url, key


def retry_delays(env):
    text = _params(env).get_param(RETRY_DELAYS_PARAM) or ""
    try:
        delays = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        delays = ()
    return delays or DEFAULT_RETRY_DELAYS


def _answer(response, what):
    if response.status_code >= 400:
        try:
            detail = response.json().get("detail") or response.json().get("error")
        except ValueError:
            detail = None
        detail = detail or response.text[:300] or response.reason
        raise EngineError(f"{what}: HTTP {response.status_code}: {detail}")
    try:
        return response.json()
    except ValueError:
        return {}


def call(env, method, path, what, timeout, body=None):
    """One call to the knowledge function; its JSON answer, or EngineError."""
    url, key = knowledge(env)
    try:
        response = requests.request(method, f"{url}{path}", json=body, timeout=timeout,
                                    headers={KEY_HEADER: key})  # fmt: skip
    except requests.RequestException as exc:
        raise EngineError(f"{what}: {exc.__class__.__name__}: {exc}") from exc
    return _answer(response, what)


def health(url):
    """The knowledge function's /health answer, or EngineError."""
    try:
        response = requests.get(f"{url.rstrip('/')}/health", timeout=HEALTH_TIMEOUT)
    except requests.RequestException as exc:
        raise EngineError(f"{url}: {exc.__class__.__name__}: {exc}") from exc
    return _answer(response, "health check")


def after_commit(env, function, *args):
    """Run `function(*args)` once the transaction commits; its failure is only logged."""

    def run():
        try:
            function(*args)
        except Exception:
            _logger.exception("odoo_engines: a call after commit failed")

    env.cr.postcommit.add(run)


def request_poll(env):
    """What the order push needs, read now (the callback runs after the cursor closed)."""
    params = _params(env)
    url = (params.get_param(ORDERS_URL_PARAM) or "").rstrip("/")
    tenant = params.get_param(TENANT_PARAM) or ""
    token = params.get_param(TOKEN_PARAM) or ""
    if not (url and tenant and token):
        return None
    return f"{url}/tenants/{tenant}/poll", token


def push_poll(target):
    url, token = target
    response = requests.post(url, params={"token": token}, timeout=PUSH_TIMEOUT)
    if response.status_code >= 300:
        _logger.warning("odoo_engines: immediate poll refused: HTTP %s", response.status_code)
    else:
        _logger.info("odoo_engines: immediate poll requested")


def delete_remote(url, key, path, timeout, what):
    """A DELETE after commit (the record is gone): failures are logged, never raised."""
    try:
        response = requests.delete(f"{url}{path}", headers={KEY_HEADER: key}, timeout=timeout)
    except requests.RequestException as exc:
        _logger.warning("odoo_engines: %s failed: %s", what, exc)
        return
    if response.status_code >= 400 and response.status_code != 404:
        _logger.warning("odoo_engines: %s failed: HTTP %s", what, response.status_code)
