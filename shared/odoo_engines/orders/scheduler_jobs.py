"""One Cloud Scheduler job per tenant, publishing to `poll-tenant` with its `connection_id`.

Production uses google-cloud-scheduler; locally the same interface records the jobs in
the `local_scheduler_jobs` table (`odoo-engines run poll-tenant --attr connection_id=ID`
delivers what a job would publish).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ..core.db import Database
from ..core.errors import PermanentError, TransientError
from ..core.publish import POLL_TENANT
from ..core.settings import Settings

# Cloud Scheduler runs on cron, whose finest step is a minute: an interval must be a
# number of minutes that divides an hour, or of hours that divides a day.
_MINUTES = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)
_HOURS = (1, 2, 3, 4, 6, 8, 12, 24)


def cron_for(interval_seconds: int) -> str:
    """The cron schedule that fires every `interval_seconds`; PermanentError if none does."""
    minutes, rest = divmod(interval_seconds, 60)
    if not rest and minutes in _MINUTES:
        return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
    hours, rest = divmod(interval_seconds, 3600)
    if not rest and hours in _HOURS:
        return "0 0 * * *" if hours == 24 else f"0 */{hours} * * *"
    allowed = (
        ", ".join(str(m * 60) for m in _MINUTES) + ", " + ", ".join(str(h * 3600) for h in _HOURS)
    )
    raise PermanentError(
        f"polling interval {interval_seconds} s cannot be scheduled; use one of {allowed}"
    )


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
        self.db.execute(
            "INSERT INTO local_scheduler_jobs (name, topic, attributes, schedule, paused)"
            " VALUES (%s, %s, %s::jsonb, %s, %s) ON CONFLICT (name) DO UPDATE SET"
            " schedule = EXCLUDED.schedule, paused = EXCLUDED.paused, updated_at = now()",
            (
                job_id(connection_id),
                POLL_TENANT,
                json.dumps({"connection_id": connection_id}),
                cron_for(interval_seconds),
                paused,
            ),
        )

    def _set_paused(self, connection_id: str, paused: bool) -> None:
        found = self.db.fetchval(
            "UPDATE local_scheduler_jobs SET paused = %s, updated_at = now()"
            " WHERE name = %s RETURNING name",
            (paused, job_id(connection_id)),
        )
        if found is None:
            raise PermanentError(f"scheduler job {job_id(connection_id)} does not exist")

    def pause(self, connection_id: str) -> None:
        self._set_paused(connection_id, True)

    def resume(self, connection_id: str) -> None:
        self._set_paused(connection_id, False)

    def delete(self, connection_id: str) -> None:
        self.db.execute(
            "DELETE FROM local_scheduler_jobs WHERE name = %s", (job_id(connection_id),)
        )

    def get(self, connection_id: str) -> Job | None:
        rows = self.db.rows(
            "SELECT name, schedule, topic, attributes, paused FROM local_scheduler_jobs"
            " WHERE name = %s",
            (job_id(connection_id),),
        )
        return _job(rows[0]) if rows else None


def _job(row: dict[str, Any]) -> Job:
    attributes = row["attributes"]
    if isinstance(attributes, str):
        attributes = json.loads(attributes)
    return Job(row["name"], row["schedule"], row["topic"], attributes, row["paused"])


def get_scheduler(settings: Settings, db: Database) -> TenantScheduler:
    """Cloud Scheduler when a project is set outside local runs, in the jobs project
    (ORDERS_JOBS_PROJECT) if there is one; else the local table."""
    if settings.uses_google_cloud:
        project = settings.orders.jobs_project or settings.gcp_project
        assert project  # uses_google_cloud: a project is set
        return CloudSchedulerJobs(project, settings.region)
    return LocalSchedulerJobs(db)
