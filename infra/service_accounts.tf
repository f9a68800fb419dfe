# One service account per role, so each function holds only what it uses (iam.tf grants the roles).

locals {
  service_accounts = {
    poller    = "nasmon poller (pollNasJobs, pollTarget): reads NAS jobs, writes the mirror, publishes events"
    gate      = "nasmon gate (nasJobsApi): creates, cancels and deletes NAS jobs under the policy"
    notify    = "nasmon notify: reads its channel secrets and sends Slack and email messages"
    enforce   = "nasmon enforce (enforce, enforceTick): applies runtime rules, may cancel NAS jobs"
    dashboard = "nasmon dashboard: reads the Firestore mirror, and trials from Vertex"
    push      = "nasmon Pub/Sub push: the identity Pub/Sub uses to invoke the event functions"
    build     = "nasmon build: Cloud Build for the functions' source"
  }
}

resource "google_service_account" "sa" {
  for_each     = local.service_accounts
  account_id   = "${var.name_prefix}${each.key}"
  display_name = each.value

  depends_on = [google_project_service.api]
}

# The account NAS trials run as, when the caller of the gate names it in the job's spec.
resource "google_service_account" "trial" {
  count        = var.create_trial_service_account ? 1 : 0
  account_id   = "${var.name_prefix}trial"
  display_name = "nasmon NAS trials: the identity trial workers of gate-created jobs run as"

  depends_on = [google_project_service.api]
}

locals {
  # Spelled out rather than read from the resource: for_each keys must be known at plan time.
  created_trial_account  = "${var.name_prefix}trial@${var.project_id}.iam.gserviceaccount.com"
  trial_service_accounts = toset(concat(var.create_trial_service_account ? [local.created_trial_account] : [], var.trial_service_accounts))
}
