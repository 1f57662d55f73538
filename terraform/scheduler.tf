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
