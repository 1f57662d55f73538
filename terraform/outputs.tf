output "http_function_urls" {
  description = "URL of each HTTP function (give embed-document's to Odoo)."
  value       = { for name in keys(local.http_functions) : name => google_cloudfunctions2_function.function[name].url }
}

output "database_connection_name" {
  description = "CLOUD_SQL_INSTANCE for the functions, the CLI and the Cloud SQL Auth Proxy."
  value       = google_sql_database_instance.main.connection_name
}

output "database" {
  description = "Database name and built-in user (its password is the secret DB_PASSWORD)."
  value       = { name = google_sql_database.main.name, user = google_sql_user.app.name }
}

output "topics" {
  description = "Pub/Sub topics the functions use."
  value       = sort([for topic in google_pubsub_topic.topic : topic.name])
}

output "dead_letter" {
  description = "Where undeliverable messages go, and the subscription that keeps them."
  value       = { topic = google_pubsub_topic.dead_letter.name, subscription = google_pubsub_subscription.dead_letter.name }
}

output "scheduler_jobs" {
  description = "Scheduler job and cron schedule per scheduled function."
  value       = { for name, job in google_cloud_scheduler_job.job : name => job.schedule }
}

output "function_service_accounts" {
  description = "Service account of each function (grant DB roles to these with IAM database auth)."
  value       = { for name, account in google_service_account.function : name => account.email }
}

output "source_bucket" {
  description = "Bucket of the functions' source archives."
  value       = google_storage_bucket.source.name
}

output "tenant_admin_service_account" {
  description = "Act as this account to add, pause and remove tenants (README)."
  value       = google_service_account.tenant_admin.email
}

output "tenant_jobs_project" {
  description = "ORDERS_JOBS_PROJECT for the tenant CLI: the project of the poll-tenant jobs."
  value       = local.tenant_jobs_project
}
