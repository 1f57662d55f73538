# Cloud Scheduler: one job per event function whose manifest (or var.schedules) has a
# schedule, publishing `{}` to the function's own topic. Per-tenant poll-tenant jobs are
# not here: tenant administration creates them at run time (see iam.tf).

locals {
  schedules = {
    for name, f in local.event_functions : name => lookup(var.schedules, name, f.schedule == null ? "" : f.schedule)
  }
  scheduled = { for name, f in local.event_functions : name => f if local.schedules[name] != "" }
}

resource "google_cloud_scheduler_job" "job" {
  for_each = local.scheduled

  name        = each.key
  region      = var.region
  description = "Starts ${each.key}"
  schedule    = local.schedules[each.key]
  time_zone   = var.time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.topic[each.value.topic].id
    data       = base64encode("{}")
    attributes = { origin = "scheduler" }
  }

  depends_on = [google_project_service.api]
}

# ---------------------------------------------------------------- tenants' poll jobs
# The per-tenant poll-tenant jobs live in var.tenant_jobs_project when it is set, and the
# tenant admins' Scheduler role is granted there only (iam.tf): they cannot change the jobs
# above. A job publishes to a topic of its own project only (Cloud Scheduler's
# PubsubTarget), and that project's one topic is a poll-tenant topic that a subscription
# here pushes to the poll-tenant function (pubsub.tf): a job made there can start nothing
# else of ours.

locals {
  tenant_jobs_project  = coalesce(var.tenant_jobs_project, var.project)
  separate_tenant_jobs = local.tenant_jobs_project != var.project
  tenant_jobs_topic    = local.functions["poll-tenant"].topic
}

resource "google_project_service" "tenant_jobs" {
  for_each = toset(local.separate_tenant_jobs ? ["cloudscheduler.googleapis.com", "pubsub.googleapis.com"] : [])

  project            = local.tenant_jobs_project
  service            = each.key
  disable_on_destroy = false
}

resource "google_pubsub_topic" "tenant_jobs" {
  #checkov:skip=CKV_GCP_83:Messages carry only a tenant's connection id, never customer data or secrets; Google-managed encryption is enough.
  count = local.separate_tenant_jobs ? 1 : 0

  project                    = local.tenant_jobs_project
  name                       = local.tenant_jobs_topic
  message_retention_duration = "86400s"

  depends_on = [google_project_service.tenant_jobs]
}
