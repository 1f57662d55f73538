# Cloud SQL for PostgreSQL. pgvector is not a Cloud SQL setting: our first migration runs
# CREATE EXTENSION vector as the built-in user (a cloudsqlsuperuser member).

resource "google_sql_database_instance" "main" {
  #checkov:skip=CKV_GCP_60:Functions have no VPC; they connect through the Cloud SQL connector (IAM-checked, mutual TLS) to the public IP, which has no authorized networks.
  #checkov:skip=CKV2_GCP_13:log_duration writes a line per statement (thousands per sync run); Query Insights records statement latency instead.
  #checkov:skip=CKV_GCP_110:pgAudit also needs CREATE EXTENSION pgaudit, which the local PostgreSQL lacks; log_statement=ddl and Cloud Audit Logs record schema and admin changes.
  name                = "${var.name}-db"
  database_version    = var.db_version
  region              = var.region
  deletion_protection = var.db_deletion_protection

  settings {
    # PostgreSQL 16+ would default to Enterprise Plus, which takes other tiers.
    edition                     = "ENTERPRISE"
    tier                        = var.db_tier
    availability_type           = var.db_availability_type
    disk_type                   = "PD_SSD"
    disk_size                   = var.db_disk_size_gb
    disk_autoresize             = true
    deletion_protection_enabled = var.db_deletion_protection

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "03:00"
      transaction_log_retention_days = 7

      backup_retention_settings {
        retained_backups = var.db_backup_retention
      }
    }

    ip_configuration {
      ipv4_enabled = true
      # Only the connector (which presents a client certificate) may connect.
      ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }

    maintenance_window {
      day  = 7
      hour = 4
    }

    insights_config {
      query_insights_enabled = true
    }

    database_flags {
      name  = "cloudsql.iam_authentication"
      value = "on"
    }
    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }
    database_flags {
      name  = "log_connections"
      value = "on"
    }
    database_flags {
      name  = "log_disconnections"
      value = "on"
    }
    database_flags {
      name  = "log_hostname"
      value = "on"
    }
    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }
    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }
    database_flags {
      name  = "log_statement"
      value = "ddl"
    }
  }

  depends_on = [google_project_service.api]
}

resource "google_sql_database" "main" {
  name     = var.db_name
  instance = google_sql_database_instance.main.name
}

resource "random_password" "db" {
  length  = 32
  special = false
}

resource "google_sql_user" "app" {
  name     = var.db_user
  instance = google_sql_database_instance.main.name
  password = random_password.db.result
  # The user owns the schema; PostgreSQL refuses to drop it while its tables exist.
  deletion_policy = "ABANDON"
}

# One IAM database user per function's service account (used when db_iam_auth = true).
resource "google_sql_user" "function" {
  for_each = local.functions

  name     = trimsuffix(google_service_account.function[each.key].email, ".gserviceaccount.com")
  instance = google_sql_database_instance.main.name
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}
