"""Where tenants' Odoo keys and webhook secrets live: Secret Manager, or encrypted locally.

The `connections` row keeps only a reference. In production the reference is a Secret
Manager secret name; locally it is a Fernet token, encrypted with a key from
`ORDERS_SECRET_KEY` or the key file (`ORDERS_SECRET_KEY_FILE`, created on first use,
mode 0600), so the database alone does not reveal a secret.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from ..core.errors import ConfigError, NotFoundError, TransientError
from .settings import OrdersSettings

LOCAL_PREFIX = "fernet:"


class SecretStore(Protocol):
    def put(self, secret_id: str, value: str) -> str:
        """Store `value` as the newest version of `secret_id`; returns the reference to keep."""
        ...

    def get(self, ref: str) -> str:
        """The value behind a reference."""
        ...

    def delete(self, ref: str) -> None:
        """Forget the secret (no error if it is already gone)."""
        ...

    def describe(self, ref: str) -> str:
        """Where the secret is, for screens (never the value)."""
        ...


class SecretManagerStore:
    """Google Secret Manager: one secret per tenant credential, replicated automatically."""

    def __init__(self, project: str, timeout: float = 30.0):
        from google.cloud import secretmanager

        self.client = secretmanager.SecretManagerServiceClient()
        self.project = project
        self.timeout = timeout

    def put(self, secret_id: str, value: str) -> str:
        from google.api_core import exceptions

        name = f"projects/{self.project}/secrets/{secret_id}"
        try:
            self.client.create_secret(
                request={
                    "parent": f"projects/{self.project}",
                    "secret_id": secret_id,
                    "secret": {"replication": {"automatic": {}}},
                },
                timeout=self.timeout,
            )
        except exceptions.AlreadyExists:
            pass  # editing a tenant adds a version to its existing secret
        except exceptions.GoogleAPICallError as exc:
            raise TransientError(f"Secret Manager: cannot create {secret_id}: {exc}") from exc
        try:
            self.client.add_secret_version(
                request={"parent": name, "payload": {"data": value.encode()}},
                timeout=self.timeout,
            )
        except exceptions.GoogleAPICallError as exc:
            raise TransientError(f"Secret Manager: cannot store {secret_id}: {exc}") from exc
        return name

    def get(self, ref: str) -> str:
        from google.api_core import exceptions

        try:
            response = self.client.access_secret_version(
                request={"name": f"{ref}/versions/latest"}, timeout=self.timeout
            )
        except exceptions.NotFound:
            raise NotFoundError(f"secret {ref} does not exist") from None
        except exceptions.GoogleAPICallError as exc:
            raise TransientError(f"Secret Manager: cannot read {ref}: {exc}") from exc
        return response.payload.data.decode()

    def delete(self, ref: str) -> None:
        from google.api_core import exceptions

        try:
            self.client.delete_secret(request={"name": ref}, timeout=self.timeout)
        except exceptions.NotFound:
            pass
        except exceptions.GoogleAPICallError as exc:
            raise TransientError(f"Secret Manager: cannot delete {ref}: {exc}") from exc

    def describe(self, ref: str) -> str:
        return f"in Secret Manager ({ref})"


class LocalSecretStore:
    """Fernet-encrypted tokens kept in the row itself; the key stays outside the database."""

    def __init__(self, key: str | bytes):
        from cryptography.fernet import Fernet

        try:
            self.fernet = Fernet(key)
        except ValueError:
            raise ConfigError(
                "ORDERS_SECRET_KEY must be a Fernet key (32 url-safe base64-encoded bytes)"
            ) from None

    def put(self, secret_id: str, value: str) -> str:
        return LOCAL_PREFIX + self.fernet.encrypt(value.encode()).decode()

    def get(self, ref: str) -> str:
        from cryptography.fernet import InvalidToken

        if not ref.startswith(LOCAL_PREFIX):
            raise ConfigError("this tenant's secrets are not stored locally (Secret Manager?)")
        try:
            return self.fernet.decrypt(ref[len(LOCAL_PREFIX) :].encode()).decode()
        except InvalidToken:
            raise ConfigError(
                "cannot decrypt a tenant secret: ORDERS_SECRET_KEY or the key file changed "
                "since the tenant was saved; set the tenant's secrets again with `tenants edit`"
            ) from None

    def delete(self, ref: str) -> None:
        return None  # the token lives in the row that is being deleted

    def describe(self, ref: str) -> str:
        return "stored encrypted (local key)"


def local_key(orders: OrdersSettings) -> bytes:
    """`ORDERS_SECRET_KEY`, else the key file's content, creating the file on first use."""
    if orders.secret_key:
        return orders.secret_key.encode()
    path: Path = orders.secret_key_file
    if path.exists():
        return path.read_bytes().strip()
    from cryptography.fernet import Fernet

    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    # O_EXCL: two processes creating the file at once must not end with two keys
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
    return key


def get_secret_store(orders: OrdersSettings) -> SecretStore:
    """Secret Manager when a project is set outside local runs; else the local store."""
    if orders.uses_google_cloud and orders.gcp_project:  # the first implies the second
        return SecretManagerStore(orders.gcp_project)
    return LocalSecretStore(local_key(orders))
