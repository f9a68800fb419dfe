# Secret Manager: the channel secrets of notify, mapped into its environment, and the policy file,
# mounted as a file into every function that reads NASMON_POLICY.
#
# The policy is not secret, but the code reads it from a path (NASMON_POLICY), and a secret volume
# is how a gen2 function gets a file that is not part of its source. Shipping the file inside the
# source zip would tie a policy change to a rebuild of all seven functions; as a secret version it
# is versioned and audited, and a change rolls out as a new revision of the functions that read it.

locals {
  secret_names = toset(["slack-webhooks", "smtp-url", "policy"])

  policy_extension = var.policy_content != null ? ".yaml" : lower(regex("\\.[A-Za-z]+$", coalesce(var.policy_file, "policy.yaml")))
  policy_file_name = "policy${local.policy_extension}"
  policy_mount     = "/etc/nasmon"
  policy_path      = "${local.policy_mount}/${local.policy_file_name}"

  # The secret values are sensitive; whether one is set is not.
  smtp_configured = nonsensitive(var.smtp_url != null)
  # Secrets that hold a value, so that a function may map them.
  mapped_secrets = concat(["slack-webhooks"], local.smtp_configured ? ["smtp-url"] : [])
  # Pinned versions: a new value rolls out as a new revision instead of reaching instances unevenly.
  secret_versions = {
    slack-webhooks = google_secret_manager_secret_version.slack_webhooks.version
    smtp-url       = local.smtp_configured ? google_secret_manager_secret_version.smtp_url[0].version : null
  }

  # Who reads which secret: the functions' accounts, by the `secrets` and `policy` of local.functions.
  secret_readers = merge([
    for fn, spec in local.deployed_functions : merge(
      { for secret in values(spec.secrets) : "${secret}/${spec.service_account}" => { secret = secret, account = spec.service_account } },
      spec.policy ? { "policy/${spec.service_account}" = { secret = "policy", account = spec.service_account } } : {},
    )
  ]...)
}

resource "google_secret_manager_secret" "secret" {
  for_each  = local.secret_names
  secret_id = "${var.name_prefix}${each.key}"

  replication {
    auto {}
  }

  depends_on = [google_project_service.api]
}

resource "google_secret_manager_secret_version" "slack_webhooks" {
  secret      = google_secret_manager_secret.secret["slack-webhooks"].id
  secret_data = jsonencode(var.slack_webhooks)
}

resource "google_secret_manager_secret_version" "smtp_url" {
  count       = local.smtp_configured ? 1 : 0
  secret      = google_secret_manager_secret.secret["smtp-url"].id
  secret_data = var.smtp_url
}

resource "google_secret_manager_secret_version" "policy" {
  secret      = google_secret_manager_secret.secret["policy"].id
  secret_data = var.policy_content != null ? var.policy_content : file(var.policy_file)

  lifecycle {
    precondition {
      condition     = var.policy_content != null || var.policy_file != null
      error_message = "Set policy_file (a path) or policy_content: the gate, notify and enforce cannot start without a policy."
    }
  }
}

resource "google_secret_manager_secret_iam_member" "accessor" {
  for_each  = local.secret_readers
  secret_id = google_secret_manager_secret.secret[each.value.secret].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.sa[each.value.account].email}"
}
