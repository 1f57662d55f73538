"""Cloud Scheduler jobs are made in the tenants' jobs project (ORDERS_JOBS_PROJECT) and
publish to that project's poll-tenant topic: a job can publish only within its project."""

from __future__ import annotations

import pytest
from google.cloud import scheduler_v1

from odoo_engines.orders.scheduler_jobs import get_scheduler
from odoo_engines.orders.settings import load_orders_settings


class FakeSchedulerClient:
    """Records the jobs Cloud Scheduler is asked to create."""

    def __init__(self):
        self.created: list[tuple[str, scheduler_v1.Job]] = []

    def create_job(self, parent: str, job: scheduler_v1.Job, timeout: float) -> scheduler_v1.Job:
        self.created.append((parent, job))
        return job


@pytest.fixture
def client(monkeypatch):
    fake = FakeSchedulerClient()
    monkeypatch.setattr(scheduler_v1, "CloudSchedulerClient", lambda: fake)
    return fake


def _created_job(env: dict[str, str], client: FakeSchedulerClient) -> tuple[str, scheduler_v1.Job]:
    orders = load_orders_settings(
        {"GCP_PROJECT_ID": "main", "GCP_REGION": "europe-west1", "ENVIRONMENT": "production", **env}
    )
    scheduler = get_scheduler(orders, db=None)
    scheduler.upsert("t1", 300)
    (created,) = client.created
    return created


def test_a_tenant_job_is_created_in_the_jobs_project_with_its_poll_tenant_topic(client):
    parent, job = _created_job({"ORDERS_JOBS_PROJECT": "tenant-jobs"}, client)
    assert parent == "projects/tenant-jobs/locations/europe-west1"
    assert job.name == f"{parent}/jobs/poll-tenant-t1"
    assert job.pubsub_target.topic_name == "projects/tenant-jobs/topics/poll-tenant"
    assert dict(job.pubsub_target.attributes) == {"connection_id": "t1"}
    assert job.schedule == "*/5 * * * *"


def test_without_a_jobs_project_the_job_is_created_in_the_main_project(client):
    parent, job = _created_job({}, client)
    assert parent == "projects/main/locations/europe-west1"
    assert job.pubsub_target.topic_name == "projects/main/topics/poll-tenant"
