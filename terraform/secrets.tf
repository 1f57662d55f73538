# Secret Manager: one secret per name any manifest lists under "secrets", read by the
# functions as environment variables. Terraform generates the database password and our
# own API keys; operators add the versions of the others (README "Deploy to Google
# Cloud"), so no Odoo or OpenAI credential ever passes through Terraform or its state.

locals {
  # The test Odoo account (USE_TEST_ODOO) goes wherever the production account goes, when
  # var.test_odoo_secrets asks for it.
  test_odoo_secrets = var.test_odoo_secrets ? ["ODOO_TEST_URL", "ODOO_TEST_DB", "ODOO_TEST_USERNAME", "ODOO_TEST_PASSWORD"] : []
  manifest_secrets = {
    for name, f in local.functions : name => concat(f.secrets, contains(f.secrets, "ODOO_PROD_URL") ? local.test_odoo_secrets : [])
  }
  secret_names = toset(flatten(values(local.manifest_secrets)))

  # With IAM database authentication the functions need no database password.
  function_secrets = {
    for name, secrets in local.manifest_secrets : name => [
      for secret in secrets : secret if !(var.db_iam_auth && secret == "DB_PASSWORD")
    ]
  }
  function_secret_pairs = {
    for pair in flatten([
      for name, secrets in local.function_secrets : [
        for secret in secrets : { function = name, secret = secret }
      ]
    ]) : "${pair.function}/${pair.secret}" => pair
  }

  # The keys callers present to our HTTP functions: embed-document (Odoo) and enrich.
  api_keys = toset(["INTERNAL_API_KEY", "ENRICH_API_KEY"])
  generated_secrets = merge(
    { DB_PASSWORD = random_password.db.result },
    { for name in local.api_keys : name => random_password.api_key[name].result },
  )
  generated_secret_names = setintersection(local.secret_names, setunion(["DB_PASSWORD"], local.api_keys))

  # A generated secret is pinned to the version Terraform wrote, so replacing it rolls
  # the functions out; the others follow var.secret_versions, else "latest".
  secret_versions = {
    for name in local.secret_names : name => (
      contains(local.generated_secret_names, name)
      ? google_secret_manager_secret_version.generated[name].version
      : lookup(var.secret_versions, name, "latest")
    )
  }

  # Tenants' credentials, named by odoo_engines.orders.tenants (WEBHOOK_SECRETS, ODOO_KEYS).
  secrets_path           = "projects/${data.google_project.this.number}/secrets/"
  tenant_webhook_secrets = "${local.secrets_path}orders-webhook-"
  tenant_odoo_keys       = "${local.secrets_path}orders-odoo-"
}

resource "google_secret_manager_secret" "secret" {
  for_each = local.secret_names

  secret_id = each.key

  replication {
    auto {}
  }

  depends_on = [google_project_service.api]
}

resource "random_password" "api_key" {
  for_each = local.api_keys

  length  = 48
  special = false
}

resource "google_secret_manager_secret_version" "generated" {
  for_each = local.generated_secret_names

  secret      = google_secret_manager_secret.secret[each.key].id
  secret_data = local.generated_secrets[each.key]
}

# secretAccessor on each of a function's own secrets, and nothing else.
resource "google_secret_manager_secret_iam_member" "function" {
  for_each = local.function_secret_pairs

  secret_id = google_secret_manager_secret.secret[each.value.secret].id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.function[each.value.function].member
}
