variable "project" {
  description = "Google Cloud project id to deploy into."
  type        = string
}

variable "region" {
  description = "Region of the functions, the database, Scheduler jobs and the source bucket."
  type        = string
  default     = "us-central1"
}

variable "name" {
  description = "Prefix of the resources that are not named by the code (database instance, buckets, roles)."
  type        = string
  default     = "odoo-engines"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}$", var.name))
    error_message = "name must be 3 to 21 of a-z, 0-9 and -, starting with a letter."
  }
}

variable "labels" {
  description = "Labels put on every resource that takes labels."
  type        = map(string)
  default     = { app = "odoo-engines" }
}

# ---------------------------------------------------------------- database

variable "db_version" {
  description = "Cloud SQL PostgreSQL version (16 or newer; pgvector is created by our migrations)."
  type        = string
  default     = "POSTGRES_18"

  validation {
    condition     = can(regex("^POSTGRES_(1[6-9]|[2-9][0-9])$", var.db_version))
    error_message = "db_version must be POSTGRES_16 or newer."
  }
}

variable "db_tier" {
  description = "Cloud SQL machine tier (Enterprise edition), e.g. db-custom-1-3840 or db-custom-2-7680."
  type        = string
  default     = "db-custom-1-3840"
}

variable "db_availability_type" {
  description = "ZONAL, or REGIONAL for a standby in another zone (high availability)."
  type        = string
  default     = "ZONAL"

  validation {
    condition     = contains(["ZONAL", "REGIONAL"], var.db_availability_type)
    error_message = "db_availability_type must be ZONAL or REGIONAL."
  }
}

variable "db_disk_size_gb" {
  description = "Initial disk size; it grows automatically."
  type        = number
  default     = 10
}

variable "db_backup_retention" {
  description = "How many daily backups Cloud SQL keeps."
  type        = number
  default     = 14
}

variable "db_name" {
  description = "Name of the database that holds every engine's tables."
  type        = string
  default     = "odoo_engines"
}

variable "db_user" {
  description = "Built-in PostgreSQL user (password in Secret Manager as DB_PASSWORD); owns the schema."
  type        = string
  default     = "odoo_engines"
}

variable "db_iam_auth" {
  description = "Functions log in as their own IAM database users instead of the built-in user (see README)."
  type        = bool
  default     = false
}

variable "db_deletion_protection" {
  description = "Refuse to delete the database instance; turn off only to tear the deployment down."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------- functions

variable "python_runtime" {
  description = "Cloud Functions runtime of every function."
  type        = string
  default     = "python311"
}

variable "schedules" {
  description = "Cron schedule per function, overriding its manifest's; \"\" removes the job. Example: { product-sync = \"0 */2 * * *\" }."
  type        = map(string)
  default     = {}
}

variable "time_zone" {
  description = "Time zone of the Scheduler jobs' cron schedules."
  type        = string
  default     = "Etc/UTC"
}

variable "function_settings" {
  description = "Per function overrides of its manifest's memory, timeout_seconds, max_instances, and min_instances (default 0)."
  type = map(object({
    memory          = optional(string)
    timeout_seconds = optional(number)
    max_instances   = optional(number)
    min_instances   = optional(number)
  }))
  default = {}
}

variable "function_env" {
  description = "Extra plain environment variables for every function (LOG_LEVEL, EMBEDDING_MODEL, ODOO_PROTOCOL, ...). Never secrets."
  type        = map(string)
  default     = {}
}

variable "secret_versions" {
  description = "Secret Manager version per secret name for the functions to read (default \"latest\"): pin to roll a rotation out or back."
  type        = map(string)
  default     = {}
}

variable "http_invokers" {
  description = "IAM members allowed to call an HTTP function whose manifest says invoker = iam, e.g. { enrich = [\"group:ops@example.com\"] }."
  type        = map(list(string))
  default     = {}
}

variable "tenant_admins" {
  description = "Members who may act as the tenant-admin service account to add, pause and remove tenants, e.g. [\"group:ops@example.com\"]."
  type        = list(string)
  default     = []
}

variable "max_delivery_attempts" {
  description = "Deliveries of a Pub/Sub message before it goes to the dead-letter topic (5 to 100)."
  type        = number
  default     = 10
}

variable "source_retention_days" {
  description = "Days a function's source archive is kept in the bucket (older ones serve rollbacks until then)."
  type        = number
  default     = 365
}
