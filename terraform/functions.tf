# One Cloud Function (2nd gen) per folder of functions/, driven by its function.json:
# a new folder deploys without editing Terraform. functions/README.md describes the keys.

locals {
  functions_dir = "${path.module}/../functions"

  # Keys a manifest may leave out: the same values as odoo_engines_tools.packaging.DEFAULTS.
  manifest_defaults = {
    description     = ""
    topic           = null
    schedule        = null
    timeout_seconds = 60
    memory          = "256Mi"
    max_instances   = 3
    secrets         = []
    publishes       = []
    ingress         = "internal"
    invoker         = "iam"
    tenant_access   = "none"
  }

  # var.enrich_public opens the enrich function (its admin panel) as if its manifest said
  # invoker = public; the function still requires ENRICH_API_KEY on every route but /health.
  functions = {
    for manifest in fileset(local.functions_dir, "*/function.json") :
    dirname(manifest) => merge(
      local.manifest_defaults,
      jsondecode(file("${local.functions_dir}/${manifest}")),
      var.enrich_public && dirname(manifest) == "enrich" ? { invoker = "public" } : {},
    )
  }
  event_functions = { for name, f in local.functions : name => f if f.trigger == "pubsub" }
  http_functions  = { for name, f in local.functions : name => f if f.trigger == "http" }

  # Manifest values with the operator's overrides (var.function_settings) on top.
  tuning = {
    for name, f in local.functions : name => merge(
      { memory = f.memory, timeout_seconds = f.timeout_seconds, max_instances = f.max_instances, min_instances = 0 },
      { for key, value in try(var.function_settings[name], {}) : key => value if value != null },
    )
  }

  # `make package` (odoo_engines_tools.packaging) writes build/<name>.zip; the object is named
  # by the archive's SHA-256, so a change of code (and only that) redeploys the function.
  archives = { for name in keys(local.functions) : name => "${path.module}/build/${name}.zip" }

  # Every function reads the same settings (odoo_engines.core.settings); these are the plain ones.
  common_env = {
    ENVIRONMENT        = "production"
    LOG_FORMAT         = "json"
    GCP_PROJECT_ID     = var.project
    GCP_REGION         = var.region
    CLOUD_SQL_INSTANCE = google_sql_database_instance.main.connection_name
    DB_NAME            = google_sql_database.main.name
    DB_IAM_AUTH        = var.db_iam_auth ? "true" : "false"
    # Where tenant administration keeps the poll-tenant jobs (scheduler.tf).
    ORDERS_JOBS_PROJECT = local.tenant_jobs_project
  }
}

resource "google_storage_bucket" "source" {
  #checkov:skip=CKV_GCP_62:Holds only the functions' source archives, written by the deploy alone; Cloud Audit Logs record admin access, usage logs would add a bucket and nothing to learn.
  name                        = "${var.project}-${var.name}-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age = var.source_retention_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.api]
}

resource "google_storage_bucket_object" "source" {
  for_each = local.functions

  bucket = google_storage_bucket.source.name
  name   = "${each.key}/${fileexists(local.archives[each.key]) ? filesha256(local.archives[each.key]) : "missing"}.zip"
  source = local.archives[each.key]

  lifecycle {
    precondition {
      condition     = fileexists(local.archives[each.key])
      error_message = "terraform/build/${each.key}.zip is missing: run `make package` first."
    }
  }
}

resource "google_artifact_registry_repository" "functions" {
  #checkov:skip=CKV_GCP_84:Images hold the functions' code and dependencies, never secrets (read from Secret Manager at run time); Google-managed encryption is enough.
  repository_id = "${var.name}-functions"
  location      = var.region
  format        = "DOCKER"
  description   = "Images Cloud Build makes of the functions"

  depends_on = [google_project_service.api]
}

resource "google_cloudfunctions2_function" "function" {
  for_each = local.functions

  name        = each.key
  location    = var.region
  description = each.value.description

  build_config {
    runtime           = var.python_runtime
    entry_point       = each.value.entry_point
    service_account   = google_service_account.builder.id
    docker_repository = google_artifact_registry_repository.functions.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source[each.key].name
      }
    }
  }

  service_config {
    available_memory                 = local.tuning[each.key].memory
    timeout_seconds                  = local.tuning[each.key].timeout_seconds
    max_instance_count               = local.tuning[each.key].max_instances
    min_instance_count               = local.tuning[each.key].min_instances
    max_instance_request_concurrency = 1
    # Event functions are reached only by their push subscription (internal traffic);
    # HTTP functions say in their manifest whether Odoo or browsers call them from outside.
    ingress_settings               = each.value.ingress == "all" ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision = true
    service_account_email          = google_service_account.function[each.key].email

    environment_variables = merge(var.function_env, local.common_env, {
      DB_USER = var.db_iam_auth ? google_sql_user.function[each.key].name : google_sql_user.app.name
      # Long jobs checkpoint and publish a continuation before the platform stops them.
      TIME_BUDGET_SECONDS = tostring(max(floor(local.tuning[each.key].timeout_seconds * 0.8), local.tuning[each.key].timeout_seconds - 60))
    })

    dynamic "secret_environment_variables" {
      for_each = local.function_secrets[each.key]
      content {
        key        = secret_environment_variables.value
        project_id = var.project
        secret     = google_secret_manager_secret.secret[secret_environment_variables.value].secret_id
        version    = local.secret_versions[secret_environment_variables.value]
      }
    }
  }

  lifecycle {
    precondition {
      condition     = each.value.trigger == "http" || local.tuning[each.key].timeout_seconds <= 540
      error_message = "${each.key}: an event function's timeout must be at most 540 s (its push subscription waits 600 s)."
    }
  }

  depends_on = [
    google_project_iam_member.builder,
    google_storage_bucket_iam_member.builder_reads_sources,
    google_artifact_registry_repository_iam_member.builder_writes_images,
    google_secret_manager_secret_iam_member.function,
    google_secret_manager_secret_version.generated,
  ]
}
