# Identities. Each function runs as its own service account holding only what its
# manifest asks for: the database (every function), secretAccessor on its own secrets
# (secrets.tf), pubsub.publisher on the topics it publishes to (pubsub.tf), and the
# tenant roles below. Grants at project level carry conditions wherever the service
# supports them.

data "google_project" "this" {
  project_id = var.project
}

resource "google_service_account" "function" {
  for_each = local.functions

  account_id   = "fn-${each.key}"
  display_name = "odoo-engines ${each.key}"
  description  = "Runs the ${each.key} function"
}

# Tenant administration (`odoo-engines tenants ...`) runs where an operator runs the CLI,
# acting as this account: it creates, pauses and deletes each tenant's poll-tenant
# Scheduler job and keeps the tenant's Odoo key and webhook secret in Secret Manager.
resource "google_service_account" "tenant_admin" {
  account_id   = "${var.name}-tenants"
  display_name = "odoo-engines tenant administration"
  description  = "Adds, pauses and removes tenants: their Scheduler jobs and secrets"
}

resource "google_service_account_iam_member" "tenant_admin" {
  for_each = toset(var.tenant_admins)

  service_account_id = google_service_account.tenant_admin.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = each.key
}

# The tenant CLI needs the database password only: it never logs into the main Odoo.
resource "google_secret_manager_secret_iam_member" "tenant_admin" {
  for_each = setintersection(local.secret_names, ["DB_PASSWORD"])

  secret_id = google_secret_manager_secret.secret[each.key].id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.tenant_admin.member
}

# ---------------------------------------------------------------- database

locals {
  database_roles = ["roles/cloudsql.client", "roles/cloudsql.instanceUser"]
  database_users = merge(
    { for name in keys(local.functions) : name => google_service_account.function[name].member },
    { "tenant-admin" = google_service_account.tenant_admin.member },
  )
  database_grants = {
    for pair in setproduct(keys(local.database_users), local.database_roles) :
    "${pair[0]}/${pair[1]}" => { user = pair[0], role = pair[1] }
  }
}

resource "google_project_iam_member" "database" {
  for_each = local.database_grants

  project = var.project
  role    = each.value.role
  member  = local.database_users[each.value.user]

  condition {
    title      = "${var.name} database only"
    expression = "resource.service == \"sqladmin.googleapis.com\" && resource.name == \"projects/${var.project}/instances/${google_sql_database_instance.main.name}\""
  }
}

# ---------------------------------------------------------------- tenants
# Tenants' secrets are named orders-webhook-<tenant> and orders-odoo-<tenant>; custom
# roles keep tenant administration to the permissions it uses. tenant_access = webhook
# (orders-api, webhook-retry: they sign or check webhooks) reads the webhook secrets
# only; read (poll-tenant) also tenants' Odoo keys; admin also manages both.

resource "google_project_iam_custom_role" "tenant_scheduler" {
  project     = local.tenant_jobs_project
  role_id     = "${replace(var.name, "-", "_")}_tenant_scheduler"
  title       = "${var.name} tenant Scheduler jobs"
  description = "Create, change, pause and delete the per-tenant poll jobs"
  # Only what odoo_engines.orders.scheduler_jobs calls (no run, list or locations), on the
  # whole project: Cloud Scheduler has no per-job IAM and ignores IAM conditions on job
  # names. var.tenant_jobs_project gives the tenants' jobs a project of their own
  # (scheduler.tf; README, Security).
  permissions = [
    "cloudscheduler.jobs.create",
    "cloudscheduler.jobs.delete",
    "cloudscheduler.jobs.enable",
    "cloudscheduler.jobs.get",
    "cloudscheduler.jobs.pause",
    "cloudscheduler.jobs.update",
  ]
}

resource "google_project_iam_custom_role" "tenant_secrets" {
  role_id     = "${replace(var.name, "-", "_")}_tenant_secrets"
  title       = "${var.name} tenant secrets"
  description = "Manage and read the secrets of tenants' Odoo keys and webhook secrets"
  permissions = [
    "secretmanager.secrets.create",
    "secretmanager.secrets.delete",
    "secretmanager.secrets.get",
    "secretmanager.secrets.update",
    "secretmanager.versions.access",
    "secretmanager.versions.add",
    "secretmanager.versions.destroy",
    "secretmanager.versions.disable",
    "secretmanager.versions.enable",
    "secretmanager.versions.get",
    "secretmanager.versions.list",
  ]
}

locals {
  tenant_admins = merge(
    { for name, f in local.functions : name => google_service_account.function[name].member if f.tenant_access == "admin" },
    { "tenant-admin" = google_service_account.tenant_admin.member },
  )
  tenant_readers = { for name, f in local.functions : name => f if contains(["webhook", "read"], f.tenant_access) }
  tenant_secret_names = {
    webhook = "resource.name.startsWith(\"${local.tenant_webhook_secrets}\")"
    read    = "resource.name.startsWith(\"${local.tenant_webhook_secrets}\") || resource.name.startsWith(\"${local.tenant_odoo_keys}\")"
  }
}

resource "google_project_iam_member" "tenant_scheduler" {
  for_each = local.tenant_admins

  project = local.tenant_jobs_project
  role    = google_project_iam_custom_role.tenant_scheduler.id
  member  = each.value
}

resource "google_project_iam_member" "tenant_secrets_admin" {
  for_each = local.tenant_admins

  project = var.project
  role    = google_project_iam_custom_role.tenant_secrets.id
  member  = each.value

  # Creating a secret is checked on the project; everything else on the secret itself.
  condition {
    title      = "tenant secrets only"
    expression = "resource.type == \"cloudresourcemanager.googleapis.com/Project\" || ${local.tenant_secret_names.read}"
  }
}

resource "google_project_iam_member" "tenant_secrets_reader" {
  for_each = local.tenant_readers

  project = var.project
  role    = "roles/secretmanager.secretAccessor"
  member  = google_service_account.function[each.key].member

  condition {
    title      = each.value.tenant_access == "webhook" ? "tenant webhook secrets only" : "tenant secrets only"
    expression = local.tenant_secret_names[each.value.tenant_access]
  }
}

# ---------------------------------------------------------------- invoking

# Pub/Sub pushes to the event functions with this identity's OIDC token.
resource "google_service_account" "push" {
  account_id   = "${var.name}-push"
  display_name = "odoo-engines Pub/Sub push"
  description  = "Identity of the push subscriptions that deliver messages to the event functions"
}

resource "google_service_account_iam_member" "push_token" {
  service_account_id = google_service_account.push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}

resource "google_cloud_run_v2_service_iam_member" "push" {
  for_each = local.event_functions

  project  = var.project
  location = var.region
  name     = google_cloudfunctions2_function.function[each.key].name
  role     = "roles/run.invoker"
  member   = google_service_account.push.member
}

locals {
  http_invokers = {
    for pair in flatten([
      for name, f in local.http_functions : [
        for member in(f.invoker == "public" ? ["allUsers"] : lookup(var.http_invokers, name, [])) :
        { function = name, member = member }
      ]
    ]) : "${pair.function}/${pair.member}" => pair
  }
}

# invoker = public: anyone may call, and the function checks its own API key (Odoo sends
# X-Odoo-API-Key and cannot mint Google ID tokens). invoker = iam: var.http_invokers only.
resource "google_cloud_run_v2_service_iam_member" "http" {
  for_each = local.http_invokers

  project  = var.project
  location = var.region
  name     = google_cloudfunctions2_function.function[each.value.function].name
  role     = "roles/run.invoker"
  member   = each.value.member
}

# ---------------------------------------------------------------- building

# Cloud Build turns each archive into an image as this account, not the default one.
resource "google_service_account" "builder" {
  account_id   = "${var.name}-builder"
  display_name = "odoo-engines function builds"
  description  = "Builds the functions' images from their source archives"
}

resource "google_project_iam_member" "builder" {
  project = var.project
  role    = "roles/logging.logWriter"
  member  = google_service_account.builder.member
}

resource "google_storage_bucket_iam_member" "builder_reads_sources" {
  bucket = google_storage_bucket.source.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.builder.member
}

resource "google_artifact_registry_repository_iam_member" "builder_writes_images" {
  location   = google_artifact_registry_repository.functions.location
  repository = google_artifact_registry_repository.functions.name
  role       = "roles/artifactregistry.writer"
  member     = google_service_account.builder.member
}
