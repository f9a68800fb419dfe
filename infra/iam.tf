# Least privilege: each account gets the roles its functions use, on the resources they use them on.

# --- Vertex AI, in every watched project ------------------------------------------------------

locals {
  # Custom roles with exactly the permissions each part calls (roles/aiplatform.viewer would let the
  # poller read every other Vertex resource of the watched projects too). Project-level custom roles
  # live in one project, so each is created in every project it is granted in.
  vertex_roles = {
    NasReader = {
      title       = "nasmon poller: read NAS jobs"
      permissions = ["aiplatform.nasJobs.get", "aiplatform.nasJobs.list"]
    }
    # enforceTick also lists by label, to find the jobs of creates the gate never audited (recoverGateCreates).
    NasEnforcer = {
      title       = "nasmon enforce: read and cancel NAS jobs"
      permissions = ["aiplatform.nasJobs.cancel", "aiplatform.nasJobs.get", "aiplatform.nasJobs.list"]
    }
    NasOperator = {
      title       = "nasmon gate: create, cancel and delete NAS jobs"
      permissions = ["aiplatform.nasJobs.cancel", "aiplatform.nasJobs.create", "aiplatform.nasJobs.delete", "aiplatform.nasJobs.get", "aiplatform.nasJobs.list"]
    }
  }
  # Role → the accounts that hold it and the projects it is granted in. The dashboard reads a job's
  # trials from Vertex for its curves (NASMON_DASHBOARD_TRIALS=vertex).
  vertex_grants = {
    NasReader   = { accounts = concat(["poller"], var.deploy_dashboard && var.dashboard_trials == "vertex" ? ["dashboard"] : []), projects = local.target_projects }
    NasEnforcer = { accounts = ["enforce"], projects = setunion(local.target_projects, local.gate_projects) }
    NasOperator = { accounts = ["gate"], projects = local.gate_projects }
  }
  vertex_role_projects = merge([
    for role, grant in local.vertex_grants : { for project in grant.projects : "${role}/${project}" => { role = role, project = project } }
  ]...)
  vertex_bindings = merge([
    for role, grant in local.vertex_grants : merge([
      for project in grant.projects : { for account in grant.accounts : "${role}/${project}/${account}" => { custom_role = "${role}/${project}", project = project, account = account } }
    ]...)
  ]...)
}

resource "google_project_iam_custom_role" "vertex" {
  for_each    = local.vertex_role_projects
  project     = each.value.project
  role_id     = "${replace(var.name_prefix, "-", "_")}${each.value.role}"
  title       = local.vertex_roles[each.value.role].title
  permissions = local.vertex_roles[each.value.role].permissions
}

resource "google_project_iam_member" "vertex" {
  for_each = local.vertex_bindings
  project  = each.value.project
  role     = google_project_iam_custom_role.vertex[each.value.custom_role].name
  member   = "serviceAccount:${google_service_account.sa[each.value.account].email}"
}

# The gate may start jobs whose trials run as these accounts, and only these.
resource "google_service_account_iam_member" "gate_acts_as_trial" {
  for_each           = local.trial_service_accounts
  service_account_id = "projects/-/serviceAccounts/${each.value}"
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.sa["gate"].email}"

  depends_on = [google_service_account.trial]
}

# --- Firestore and Pub/Sub in the host project ------------------------------------------------

locals {
  firestore_roles = {
    poller    = "roles/datastore.user"
    gate      = "roles/datastore.user"
    notify    = "roles/datastore.user"
    enforce   = "roles/datastore.user"
    dashboard = "roles/datastore.viewer"
  }
  # topic/account: the pollers fan out and publish events; the gate and enforce publish their
  # request and enforcement events (and flush the outbox of their targets).
  publishers = {
    "targets/poller" = { topic = "targets", account = "poller" }
    "events/poller"  = { topic = "events", account = "poller" }
    "events/gate"    = { topic = "events", account = "gate" }
    "events/enforce" = { topic = "events", account = "enforce" }
  }
}

resource "google_project_iam_member" "firestore" {
  for_each = local.firestore_roles
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.sa[each.key].email}"
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = local.publishers
  topic    = google_pubsub_topic.topic[each.value.topic].name
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${google_service_account.sa[each.value.account].email}"
}

# Pub/Sub's service agent signs the push requests' OIDC tokens as the push account…
resource "google_service_account_iam_member" "pubsub_signs_push_tokens" {
  service_account_id = google_service_account.sa["push"].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}

# …and moves undeliverable messages: it must publish to the dead-letter topic and acknowledge on
# each source subscription.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  topic  = google_pubsub_topic.topic["dead_letter"].name
  role   = "roles/pubsub.publisher"
  member = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each     = google_pubsub_subscription.push
  subscription = each.value.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

# --- Who may invoke the functions -------------------------------------------------------------

locals {
  # HTTP functions: the members of the variables. Event-driven ones: only Pub/Sub's push account.
  http_invokers = {
    nasJobsApi = var.gate_invokers
    dashboard  = var.dashboard_viewers
  }
  invoker_bindings = merge(
    { for fn, sub in local.push_subscriptions : "${fn}/push" => { function = fn, member = "serviceAccount:${google_service_account.sa["push"].email}" } },
    merge([
      for fn, members in local.http_invokers : { for member in members : "${fn}/${member}" => { function = fn, member = member } }
      if contains(keys(local.deployed_functions), fn)
    ]...),
  )
}

# A gen2 function is called through its Cloud Run service, so run.invoker is granted there.
resource "google_cloud_run_service_iam_member" "invoker" {
  for_each = local.invoker_bindings
  location = var.region
  service  = google_cloudfunctions2_function.fn[each.value.function].service_config[0].service
  role     = "roles/run.invoker"
  member   = each.value.member
}

# --- Cloud Build ------------------------------------------------------------------------------

# Project-wide object read: Cloud Functions copies the uploaded source into a bucket of its own
# (gcf-v2-sources-*), which Terraform does not manage, and the build reads it from there.
resource "google_project_iam_member" "build" {
  for_each = toset(["roles/logging.logWriter", "roles/storage.objectViewer"])
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.sa["build"].email}"
}

resource "google_artifact_registry_repository_iam_member" "build_writer" {
  location   = google_artifact_registry_repository.functions.location
  repository = google_artifact_registry_repository.functions.name
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.sa["build"].email}"
}
