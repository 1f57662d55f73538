# Pub/Sub: a topic per name in the manifests (a function's topic and what it publishes),
# a push subscription per event function, and a dead-letter topic.
#
# Event functions get their messages from push subscriptions Terraform owns rather than
# from an `event_trigger`: the subscription Eventarc creates for a trigger cannot be given
# a dead-letter policy from Terraform. odoo_engines.core.triggers.pubsub_handler accepts the
# push request; a 2xx acknowledges, a 5xx is retried with backoff and, after
# var.max_delivery_attempts, the message moves to the dead-letter topic.

locals {
  topics = toset(concat(
    [for f in values(local.event_functions) : f.topic],
    flatten([for f in values(local.functions) : f.publishes]),
  ))
  function_publish_pairs = {
    for pair in flatten([
      for name, f in local.functions : [for topic in f.publishes : { function = name, topic = topic }]
    ]) : "${pair.function}/${pair.topic}" => pair
  }
  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  # A push subscription per event function, and one from the tenants' jobs project when
  # it is set (scheduler.tf); `topic` is the topic's full path.
  push_subscriptions = merge(
    { for name, f in local.event_functions : name => { function = name, topic = google_pubsub_topic.topic[f.topic].id } },
    { for topic in google_pubsub_topic.tenant_jobs : "poll-tenant-jobs" => { function = "poll-tenant", topic = topic.id } },
  )
}

resource "google_pubsub_topic" "topic" {
  #checkov:skip=CKV_GCP_83:Messages carry job parameters (cursors, connection ids, shard ranges), never customer data or secrets; Google-managed encryption is enough.
  for_each = local.topics

  name                       = each.key
  message_retention_duration = "86400s"

  depends_on = [google_project_service.api]
}

resource "google_pubsub_topic" "dead_letter" {
  #checkov:skip=CKV_GCP_83:Dead letters are copies of the job messages above: no customer data or secrets.
  name = "dead-letter"

  depends_on = [google_project_service.api]
}

# Keeps dead letters for inspection and replay (README "Deploy to Google Cloud").
resource "google_pubsub_subscription" "dead_letter" {
  name                       = "dead-letter"
  topic                      = google_pubsub_topic.dead_letter.id
  ack_deadline_seconds       = 60
  message_retention_duration = "1209600s"

  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_subscription" "push" {
  for_each = local.push_subscriptions

  name  = "${each.key}-push"
  topic = each.value.topic
  # Longer than any event function's timeout (at most 540 s), so a message is not
  # delivered again while its first delivery still runs.
  ack_deadline_seconds       = 600
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = var.max_delivery_attempts
  }

  push_config {
    # The path names the topic, as Eventarc's would (pubsub_handler reads it).
    push_endpoint = "${google_cloudfunctions2_function.function[each.value.function].service_config[0].uri}/${each.value.topic}"

    oidc_token {
      service_account_email = google_service_account.push.email
      audience              = google_cloudfunctions2_function.function[each.value.function].service_config[0].uri
    }
  }

  depends_on = [google_cloud_run_v2_service_iam_member.push]
}

# The Pub/Sub service agent moves undeliverable messages: it publishes to the dead-letter
# topic and acknowledges them on the source subscription.
resource "google_pubsub_topic_iam_member" "dead_letter" {
  topic  = google_pubsub_topic.dead_letter.name
  role   = "roles/pubsub.publisher"
  member = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter" {
  for_each = google_pubsub_subscription.push

  subscription = each.value.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

# pubsub.publisher on exactly the topics a function's manifest lists under "publishes".
resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = local.function_publish_pairs

  topic  = google_pubsub_topic.topic[each.value.topic].name
  role   = "roles/pubsub.publisher"
  member = google_service_account.function[each.value.function].member
}
