"""terraform/ read with python-hcl2 (no terraform binary): every function, topic, job and
secret the code needs is wired, each function under its own service account.

Terraform builds its resources from the manifests (`for_each` over local.functions, a
`fileset` of functions/*/function.json); these tests check that wiring in the HCL and
then compute from the manifests what Terraform will create.
"""

import ast
import re

import pytest

from deploy.production import (
    FUNCTIONS,
    production_env,
    resource,
    secret_variables,
    terraform,
    variable_default,
)
from odoo_engines.core.publish import POLL_TENANT
from odoo_engines.core.settings import load_settings
from odoo_engines.enrichment.settings import load_enrichment_settings
from odoo_engines.orders.settings import load_orders_settings
from odoo_engines_tools.packaging import DEFAULTS, MAX_EVENT_TIMEOUT, list_manifests

MANIFESTS = list_manifests(FUNCTIONS)
FUNCTION = ("google_cloudfunctions2_function", "function")
# Secret settings no deployed function needs. ORDERS_SECRET_KEY: the key of the orders
# engine's local encrypted store, which Secret Manager replaces in the cloud.
LOCAL_ONLY_SECRETS = {"ORDERS_SECRET_KEY"}


def _block(body: dict, name: str) -> dict:
    (block,) = body[name]
    return block


def _dynamic(body: dict, name: str) -> dict:
    (block,) = [d[name] for d in body.get("dynamic", []) if name in d]
    return block


def _topics() -> set[str]:
    """What local.topics evaluates to: each event function's topic and what any publishes."""
    return {m.topic for m in MANIFESTS if m.trigger == "pubsub"} | {
        topic for m in MANIFESTS for topic in m.publishes
    }


def test_functions_are_read_from_every_manifest_with_its_defaults():
    functions = terraform()["locals"]["functions"]
    assert 'fileset(local.functions_dir, "*/function.json")' in functions
    assert "merge(local.manifest_defaults, jsondecode(file(" in functions
    assert terraform()["locals"]["functions_dir"] == "${path.module}/../functions"
    assert terraform()["locals"]["manifest_defaults"] == DEFAULTS


def test_every_function_folder_has_a_function_resource_with_its_entry_point():
    body = resource(*FUNCTION)
    assert body["for_each"] == "${local.functions}"
    assert body["name"] == "${each.key}"
    assert _block(body, "build_config")["entry_point"] == "${each.value.entry_point}"
    on_disk = {p.parent.name for p in FUNCTIONS.glob("*/function.json")}
    assert on_disk == {m.name for m in MANIFESTS}
    for manifest in MANIFESTS:
        if manifest.has_code:
            tree = ast.parse((manifest.folder / "main.py").read_text())
            defined = {
                target.id
                for node in tree.body
                if isinstance(node, ast.Assign)
                for target in node.targets
                if isinstance(target, ast.Name)
            } | {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
            assert manifest.entry_point in defined, f"{manifest.name}/main.py"


def test_each_archive_is_uploaded_under_its_content_hash():
    body = resource("google_storage_bucket_object", "source")
    assert body["for_each"] == "${local.functions}"
    assert "filesha256(local.archives[each.key])" in body["name"]
    assert terraform()["locals"]["archives"] == (
        '${{for name in keys(local.functions) : name => "${path.module}/build/${name}.zip"}}'
    )
    build = _block(resource(*FUNCTION), "build_config")
    storage = _block(_block(build, "source"), "storage_source")
    assert storage["object"] == "${google_storage_bucket_object.source[each.key].name}"


def test_every_scheduler_job_targets_an_existing_topic():
    job = resource("google_cloud_scheduler_job", "job")
    assert job["for_each"] == "${local.scheduled}"
    target = _block(job, "pubsub_target")
    assert target["topic_name"] == "${google_pubsub_topic.topic[each.value.topic].id}"
    assert resource("google_pubsub_topic", "topic")["for_each"] == "${local.topics}"
    assert variable_default("schedules") == {}
    scheduled = [m for m in MANIFESTS if m.schedule]
    assert {m.name for m in scheduled} == {"product-sync", "sales-sync", "webhook-retry"}
    for manifest in scheduled:
        assert manifest.trigger == "pubsub" and manifest.topic in _topics(), manifest.name


def test_every_secret_the_code_reads_is_a_secret_given_to_a_function():
    environment = {}
    for manifest in MANIFESTS:
        environment.update(production_env(manifest))
    read = secret_variables(environment)
    assert {"DB_PASSWORD", "ODOO_PROD_PASSWORD", "OPENAI_API_KEY"} <= read
    wired = {secret for m in MANIFESTS for secret in m.secrets}
    unwired = sorted(read - wired - LOCAL_ONLY_SECRETS)
    assert not unwired, f"list {unwired} under a function's secrets (or as LOCAL_ONLY_SECRETS)"

    assert resource("google_secret_manager_secret", "secret")["for_each"] == (
        "${local.secret_names}"
    )
    service = _block(resource(*FUNCTION), "service_config")
    secrets = _dynamic(service, "secret_environment_variables")
    assert secrets["for_each"] == "${local.function_secrets[each.key]}"
    content = _block(secrets, "content")
    assert content["key"] == "${secret_environment_variables.value}"
    assert content["secret"] == (
        "${google_secret_manager_secret.secret[secret_environment_variables.value].secret_id}"
    )


# The functions that sync from the company's Odoo; no other holds its credentials.
MAIN_ODOO = {"product-sync", "sales-sync", "forecast"}
ODOO_SECRETS = {"ODOO_PROD_URL", "ODOO_PROD_DB", "ODOO_PROD_USERNAME", "ODOO_PROD_PASSWORD"}


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda m: m.name)
def test_each_function_gets_what_production_settings_require(manifest):
    settings = load_settings(production_env(manifest))
    assert settings.is_production
    assert settings.database.mode == "cloudsql"
    assert settings.database.password == "made-up-db_password"
    if manifest.name in MAIN_ODOO:
        assert settings.odoo.url == "https://odoo.example.com"
    else:
        assert settings.odoo.missing and not settings.odoo.is_sandbox


def test_only_the_functions_that_sync_from_odoo_hold_its_credentials():
    """orders-api and embed-document are open to allUsers: they carry no Odoo password."""
    for manifest in MANIFESTS:
        held = ODOO_SECRETS & set(manifest.secrets)
        assert held == (ODOO_SECRETS if manifest.name in MAIN_ODOO else set()), manifest.name
    admin = resource("google_secret_manager_secret_iam_member", "tenant_admin")
    assert "ODOO_PROD" not in admin["for_each"]


def test_tenant_secrets_are_granted_by_kind():
    """Webhook signers read webhook secrets only; the poller also tenants' Odoo keys."""
    from odoo_engines.orders.tenants import ODOO_KEYS, WEBHOOK_SECRETS

    names = terraform()["locals"]
    assert names["tenant_webhook_secrets"] == "${local.secrets_path}" + WEBHOOK_SECRETS
    assert names["tenant_odoo_keys"] == "${local.secrets_path}" + ODOO_KEYS
    conditions = names["tenant_secret_names"]
    assert "tenant_odoo_keys" not in conditions["webhook"]
    assert "tenant_odoo_keys" in conditions["read"]
    reader = resource("google_project_iam_member", "tenant_secrets_reader")
    assert _block(reader, "condition")["expression"] == (
        "${local.tenant_secret_names[each.value.tenant_access]}"
    )
    assert not WEBHOOK_SECRETS.startswith(ODOO_KEYS) and not ODOO_KEYS.startswith(WEBHOOK_SECRETS)


def test_a_function_reads_only_its_own_secrets():
    grant = resource("google_secret_manager_secret_iam_member", "function")
    assert grant["for_each"] == "${local.function_secret_pairs}"
    assert grant["role"] == "roles/secretmanager.secretAccessor"
    assert grant["secret_id"] == "${google_secret_manager_secret.secret[each.value.secret].id}"
    assert grant["member"] == "${google_service_account.function[each.value.function].member}"


def test_every_function_runs_as_its_own_service_account():
    account = resource("google_service_account", "function")
    assert account["for_each"] == "${local.functions}"
    assert account["account_id"] == "fn-${each.key}"
    service = _block(resource(*FUNCTION), "service_config")
    assert service["service_account_email"] == "${google_service_account.function[each.key].email}"
    ids = [f"fn-{m.name}" for m in MANIFESTS]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z][a-z0-9-]{4,28}[a-z0-9]", i) for i in ids)
    database = resource("google_project_iam_member", "database")
    assert database["for_each"] == "${local.database_grants}"
    assert "google_service_account.function[name].member" in terraform()["locals"]["database_users"]
    assert terraform()["locals"]["database_roles"] == [
        "roles/cloudsql.client",
        "roles/cloudsql.instanceUser",
    ]
    assert "resource.name ==" in _block(database, "condition")["expression"]


def test_a_function_publishes_only_to_the_topics_its_manifest_lists():
    grant = resource("google_pubsub_topic_iam_member", "publisher")
    assert grant["for_each"] == "${local.function_publish_pairs}"
    assert grant["role"] == "roles/pubsub.publisher"
    assert grant["topic"] == "${google_pubsub_topic.topic[each.value.topic].name}"


def test_event_functions_are_pushed_with_retries_and_a_dead_letter_topic():
    push = resource("google_pubsub_subscription", "push")
    assert push["for_each"] == "${local.push_subscriptions}"
    assert push["topic"] == "${each.value.topic}"
    assert (
        "{for name, f in local.event_functions : name => {function = name,"
        " topic = google_pubsub_topic.topic[f.topic].id}}"
    ) in _expression("push_subscriptions")
    assert push["ack_deadline_seconds"] > MAX_EVENT_TIMEOUT
    assert max(m.timeout_seconds for m in MANIFESTS if m.trigger == "pubsub") <= MAX_EVENT_TIMEOUT
    assert _block(push, "retry_policy")["minimum_backoff"]
    dead_letter = _block(push, "dead_letter_policy")
    assert dead_letter["dead_letter_topic"] == "${google_pubsub_topic.dead_letter.id}"
    endpoint = _block(push, "push_config")["push_endpoint"]
    # A topic's id is its path, projects/P/topics/T, which pubsub_handler reads.
    assert endpoint == (
        "${google_cloudfunctions2_function.function[each.value.function]"
        ".service_config[0].uri}/${each.value.topic}"
    )
    oidc = _block(_block(push, "push_config"), "oidc_token")
    assert oidc["service_account_email"] == "${google_service_account.push.email}"
    invoker = resource("google_cloud_run_v2_service_iam_member", "push")
    assert invoker["for_each"] == "${local.event_functions}"
    assert invoker["role"] == "roles/run.invoker"


def test_ingress_and_invokers_follow_the_manifests():
    service = _block(resource(*FUNCTION), "service_config")
    assert service["ingress_settings"] == (
        '${each.value.ingress == "all" ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"}'
    )
    invokers = terraform()["locals"]["http_invokers"]
    assert 'f.invoker == "public" ? ["allUsers"]' in invokers
    assert "lookup(var.http_invokers, name, [])" in invokers
    assert service["environment_variables"].startswith(
        "${merge(var.function_env, local.common_env, {"
    )
    assert terraform()["locals"]["common_env"]["ENVIRONMENT"] == "production"


def test_the_database_is_postgresql_16_or_newer_with_backups_and_iam_auth():
    version = variable_default("db_version")
    assert int(version.removeprefix("POSTGRES_")) >= 16
    instance = resource("google_sql_database_instance", "main")
    settings = _block(instance, "settings")
    backups = _block(settings, "backup_configuration")
    assert backups["enabled"] is True and backups["point_in_time_recovery_enabled"] is True
    assert instance["deletion_protection"] == "${var.db_deletion_protection}"
    assert variable_default("db_deletion_protection") is True
    flags = {f["name"]: f["value"] for f in settings["database_flags"]}
    assert flags["cloudsql.iam_authentication"] == "on"
    assert resource("google_sql_user", "function")["type"] == "CLOUD_IAM_SERVICE_ACCOUNT"
    assert resource("google_sql_user", "app")["password"] == "${random_password.db.result}"


def test_outputs_give_urls_connection_name_and_topics():
    assert {"http_function_urls", "database_connection_name", "topics"} <= set(
        terraform()["output"]
    )


def test_the_readme_says_which_secrets_terraform_state_holds():
    """Each secret Terraform generates is in its state: the README's security section
    names them and says the state bucket is to be kept as a secret."""
    locals_ = terraform()["locals"]
    generated = set(
        ast.literal_eval(locals_["api_keys"].removeprefix("${toset(").removesuffix(")}"))
    )
    generated |= set(
        re.findall(r"\b([A-Z_]+) = random_password", str(locals_["generated_secrets"]))
    )
    readme = (FUNCTIONS.parent / "README.md").read_text()
    security = readme.split("## Security", 1)[1].split("\n## ", 1)[0]
    state = security.split("**Terraform state**", 1)[1].split("\n- **", 1)[0]
    assert generated == {"DB_PASSWORD", "INTERNAL_API_KEY", "ENRICH_API_KEY"}
    assert all(name in state for name in generated)
    assert "state bucket as a secret" in state and "KMS" in state


def test_the_tenant_scheduler_role_holds_only_what_the_code_calls():
    """create_job, update_job, pause_job, resume_job, delete_job, get_job: nothing else."""
    source = (FUNCTIONS.parent / "shared/odoo_engines/orders/scheduler_jobs.py").read_text()
    calls = set(re.findall(r"self\.client\.(\w+)_job\b", source))
    assert calls == {"create", "update", "pause", "resume", "delete", "get"}
    verbs = {"resume": "enable"}  # resuming a job needs cloudscheduler.jobs.enable
    role = resource("google_project_iam_custom_role", "tenant_scheduler")
    assert set(role["permissions"]) == {f"cloudscheduler.jobs.{verbs.get(c, c)}" for c in calls}


def _expression(name: str) -> str:
    """A local's expression with its whitespace collapsed."""
    return " ".join(str(terraform()["locals"][name]).split())


def test_enrich_public_opens_the_admin_panel_behind_its_api_key():
    """Off by default; on, the enrich function is invoked as `public` (allUsers) and its
    every route but /health still asks for ENRICH_API_KEY, which Terraform generates."""
    assert variable_default("enrich_public") is False
    functions = _expression("functions")
    assert 'var.enrich_public && dirname(manifest) == "enrich" ? { invoker = "public" } : {}' in (
        functions.replace("{invoker", "{ invoker").replace('"public"}', '"public" }')
    )
    (enrich,) = [m for m in MANIFESTS if m.name == "enrich"]
    assert enrich.invoker == "iam" and enrich.ingress == "all"
    assert "ENRICH_API_KEY" in enrich.secrets
    assert "ENRICH_API_KEY" in _expression("api_keys")  # generated, so always set
    settings = load_settings(production_env(enrich))
    assert settings.is_production
    assert load_enrichment_settings(production_env(enrich)).api_key


def test_test_odoo_secrets_reach_every_function_that_reads_the_production_account():
    """USE_TEST_ODOO in the cloud: the ODOO_TEST_* secrets config reads are created and
    given to each function with ODOO_PROD_URL, when var.test_odoo_secrets is on."""
    assert variable_default("test_odoo_secrets") is False
    listed = set(re.findall(r'"(ODOO_TEST_\w+)"', _expression("test_odoo_secrets")))
    assert _expression("test_odoo_secrets").startswith("${var.test_odoo_secrets ? [")
    for manifest in MANIFESTS:
        if "ODOO_PROD_URL" not in manifest.secrets:
            continue
        env = {**production_env(manifest), "USE_TEST_ODOO": "true"}
        env.update({name: f"made-up-{name.lower()}" for name in listed})
        env["ODOO_TEST_URL"] = "https://test.odoo.example.com"
        read = secret_variables(env)
        assert {n for n in read if n.startswith("ODOO_TEST_")} <= listed, manifest.name
        assert load_settings(env).odoo.url == "https://test.odoo.example.com"
    assert listed == {f"ODOO_TEST_{part}" for part in ("URL", "DB", "USERNAME", "PASSWORD")}
    secrets = _expression("manifest_secrets")
    assert 'contains(f.secrets, "ODOO_PROD_URL") ? local.test_odoo_secrets : []' in secrets
    assert "values(local.manifest_secrets)" in _expression("secret_names")
    assert "local.manifest_secrets" in _expression("function_secrets")


# What Terraform creates or grants in the tenants' jobs project, and nothing else.
IN_TENANT_JOBS_PROJECT = {
    ("google_project_service", "tenant_jobs"),
    ("google_pubsub_topic", "tenant_jobs"),
    ("google_project_iam_custom_role", "tenant_scheduler"),
    ("google_project_iam_member", "tenant_scheduler"),
}


def test_tenant_jobs_can_have_a_project_of_their_own():
    """With tenant_jobs_project set, the tenant Scheduler role is defined and granted in
    that project only, beside the APIs and one poll-tenant topic (a job publishes only to
    its own project's topics), which a subscription pushes to the poll-tenant function.
    By default it is the main project and nothing more is created."""
    assert variable_default("tenant_jobs_project") == ""
    assert _expression("tenant_jobs_project") == "${coalesce(var.tenant_jobs_project, var.project)}"
    assert _expression("separate_tenant_jobs") == "${local.tenant_jobs_project != var.project}"
    placed = {
        (type_name, name)
        for type_name, named in terraform()["resource"].items()
        for name, body in named.items()
        if "tenant_jobs_project" in str(body.get("project"))
    }
    assert placed == IN_TENANT_JOBS_PROJECT
    for type_name, name in IN_TENANT_JOBS_PROJECT:
        assert resource(type_name, name)["project"] == "${local.tenant_jobs_project}"
    grant = resource("google_project_iam_member", "tenant_scheduler")
    assert grant["role"] == "${google_project_iam_custom_role.tenant_scheduler.id}"
    services = resource("google_project_service", "tenant_jobs")["for_each"]
    assert services == (
        '${toset(local.separate_tenant_jobs ? ["cloudscheduler.googleapis.com",'
        ' "pubsub.googleapis.com"] : [])}'
    )

    topic = resource("google_pubsub_topic", "tenant_jobs")
    assert topic["count"] == "${local.separate_tenant_jobs ? 1 : 0}"
    assert topic["name"] == "${local.tenant_jobs_topic}"
    assert _expression("tenant_jobs_topic") == '${local.functions["poll-tenant"].topic}'
    (poller,) = [m for m in MANIFESTS if m.name == "poll-tenant"]
    assert poller.topic == POLL_TENANT  # the topic CloudSchedulerJobs names in its project
    assert (
        '{for topic in google_pubsub_topic.tenant_jobs : "poll-tenant-jobs" =>'
        ' {function = "poll-tenant", topic = topic.id}}'
    ) in _expression("push_subscriptions")
    dead_letter = resource("google_pubsub_subscription_iam_member", "dead_letter")
    assert dead_letter["for_each"] == "${google_pubsub_subscription.push}"


def test_functions_and_the_cli_create_tenant_jobs_in_the_jobs_project():
    """ORDERS_JOBS_PROJECT is the jobs project, on every function and as an output."""
    assert terraform()["locals"]["common_env"]["ORDERS_JOBS_PROJECT"] == (
        "${local.tenant_jobs_project}"
    )
    assert terraform()["output"]["tenant_jobs_project"]["value"] == "${local.tenant_jobs_project}"
    for manifest in MANIFESTS:
        settings = load_settings(production_env(manifest))
        orders = load_orders_settings(production_env(manifest), settings)
        assert orders.jobs_project == settings.gcp_project == "demo-project"
