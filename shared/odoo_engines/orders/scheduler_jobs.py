"""One Cloud Scheduler job per tenant, publishing to `poll-tenant` with its `connection_id`.

Production uses google-cloud-scheduler; locally the same interface records the jobs in
the `local_scheduler_jobs` table (`odoo-engines run poll-tenant --attr connection_id=ID`
delivers what a job would publish).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ..core.db import Database
from ..core.errors import PermanentError, TransientError
from ..core.publish import POLL_TENANT
from . import store
from .settings import OrdersSettings
from .tenants import cron_for


def job_id(connection_id: str) -> str:
    return f"poll-tenant-{connection_id}"


@dataclass(frozen=True)
class Job:
    name: str
    schedule: str
    topic: str
    attributes: dict[str, str]
    paused: bool


class TenantScheduler(Protocol):
    def upsert(self, connection_id: str, interval_seconds: int, paused: bool = False) -> None:
        """Create the tenant's job, or update its schedule if it exists."""
        ...

    def pause(self, connection_id: str) -> None: ...

    def resume(self, connection_id: str) -> None: ...

    def delete(self, connection_id: str) -> None:
        """Delete the job; no error if it is already gone."""
        ...

    def get(self, connection_id: str) -> Job | None: ...


class CloudSchedulerJobs:
    """Cloud Scheduler jobs in one project and region, publishing to that project's
    `poll-tenant` topic (a job can publish only to a topic of its own project)."""

    def __init__(self, project: str, region: str, timeout: float = 30.0):
        from google.cloud import scheduler_v1

        self.types = scheduler_v1
        self.client = scheduler_v1.CloudSchedulerClient()
        self.project = project
        self.parent = f"projects/{project}/locations/{region}"
        self.timeout = timeout

    def _name(self, connection_id: str) -> str:
        return f"{self.parent}/jobs/{job_id(connection_id)}"

    def _call(
        self,
        what: str,
        fn: Callable[..., Any],
        *args: Any,
        missing_ok: bool = False,
        **kwargs: Any,
    ) -> Any:
        from google.api_core import exceptions

        try:
            return fn(*args, timeout=self.timeout, **kwargs)
        except exceptions.NotFound:
            if missing_ok:
                return None
            raise PermanentError(f"Cloud Scheduler: {what}: the job does not exist") from None
        except exceptions.GoogleAPICallError as exc:
            raise TransientError(f"Cloud Scheduler: {what} failed: {exc}") from exc

    def upsert(self, connection_id: str, interval_seconds: int, paused: bool = False) -> None:
        from google.api_core import exceptions

        job = self.types.Job(
            name=self._name(connection_id),
            description=f"Poll Odoo orders of tenant {connection_id}",
            schedule=cron_for(interval_seconds),
            time_zone="Etc/UTC",
            pubsub_target=self.types.PubsubTarget(
                topic_name=f"projects/{self.project}/topics/{POLL_TENANT}",
                data=b"{}",
                attributes={"connection_id": connection_id},
            ),
        )
        try:
            self.client.create_job(parent=self.parent, job=job, timeout=self.timeout)
        except exceptions.AlreadyExists:
            self._call("update", self.client.update_job, job=job)
        except exceptions.GoogleAPICallError as exc:
            raise TransientError(f"Cloud Scheduler: create failed: {exc}") from exc
        if paused:
            self.pause(connection_id)

    def pause(self, connection_id: str) -> None:
        self._call("pause", self.client.pause_job, name=self._name(connection_id))

    def resume(self, connection_id: str) -> None:
        self._call("resume", self.client.resume_job, name=self._name(connection_id))

    def delete(self, connection_id: str) -> None:
        self._call(
            "delete", self.client.delete_job, name=self._name(connection_id), missing_ok=True
        )

    def get(self, connection_id: str) -> Job | None:
        job = self._call(
            "get", self.client.get_job, name=self._name(connection_id), missing_ok=True
        )
        if job is None:
            return None
        return Job(
            name=job.name,
            schedule=job.schedule,
            topic=job.pubsub_target.topic_name.rsplit("/", 1)[-1],
            attributes=dict(job.pubsub_target.attributes),
            paused=job.state == self.types.Job.State.PAUSED,
        )


class LocalSchedulerJobs:
    """The stand-in: jobs are rows of `local_scheduler_jobs`."""

    def __init__(self, db: Database):
        self.db = db

    def upsert(self, connection_id: str, interval_seconds: int, paused: bool = False) -> None:
        store.upsert_local_job(
            self.db,
            job_id(connection_id),
            POLL_TENANT,
            {"connection_id": connection_id},
            cron_for(interval_seconds),
            paused,
        )

    def _set_paused(self, connection_id: str, paused: bool) -> None:
        if not store.set_local_job_paused(self.db, job_id(connection_id), paused):
            raise PermanentError(f"scheduler job {job_id(connection_id)} does not exist")

    def pause(self, connection_id: str) -> None:
        self._set_paused(connection_id, True)

    def resume(self, connection_id: str) -> None:
        self._set_paused(connection_id, False)

    def delete(self, connection_id: str) -> None:
        store.delete_local_job(self.db, job_id(connection_id))

    def get(self, connection_id: str) -> Job | None:
        row = store.local_job(self.db, job_id(connection_id))
        if row is None:
            return None
        return Job(row["name"], row["schedule"], row["topic"], row["attributes"], row["paused"])


def get_scheduler(orders: OrdersSettings, db: Database) -> TenantScheduler:
    """Cloud Scheduler when a project is set outside local runs, in the jobs project
    (ORDERS_JOBS_PROJECT) if there is one; else the local table."""
    if orders.uses_google_cloud:
        project = orders.jobs_project or orders.gcp_project
        assert project  # uses_google_cloud: a project is set
        return CloudSchedulerJobs(project, orders.region)
    return LocalSchedulerJobs(db)
