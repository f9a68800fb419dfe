output "gate_url" {
  description = "Base URL of the gate: callers replace https://REGION-aiplatform.googleapis.com with it, and mint their ID tokens for this audience."
  value       = "https://${var.region}-${var.project_id}.cloudfunctions.net/${google_cloudfunctions2_function.fn["nasJobsApi"].name}"
}

output "gate_audiences" {
  description = "Every ID-token audience the gate accepts (NASMON_AUTH_AUDIENCE)."
  value       = split(",", local.audiences.nasJobsApi)
}

output "dashboard_url" {
  description = "The dashboard's URL, also the audience of ID tokens for it (null when deploy_dashboard is false)."
  value       = var.deploy_dashboard ? "https://${var.region}-${var.project_id}.cloudfunctions.net/${google_cloudfunctions2_function.fn["dashboard"].name}" : null
}

output "function_urls" {
  description = "Entry point → the Cloud Run URL its function answers on (Pub/Sub pushes there)."
  value       = { for fn, f in google_cloudfunctions2_function.fn : fn => f.service_config[0].uri }
}

output "topics" {
  description = "Role → Pub/Sub topic name; subscribe to events (nasjob-events) for the CloudEvents."
  value       = { for role, topic in google_pubsub_topic.topic : role => topic.name }
}

output "events_topic" {
  description = "Full name of the events topic, for subscribers in other projects."
  value       = google_pubsub_topic.topic["events"].id
}

output "subscriptions" {
  description = "Entry point → its push subscription."
  value       = { for fn, s in google_pubsub_subscription.push : fn => s.name }
}

output "dead_letter_subscription" {
  description = "Where undeliverable messages wait for a week."
  value       = google_pubsub_subscription.dead_letter_hold.name
}

output "service_accounts" {
  description = "Role → service account email."
  value       = { for role, sa in google_service_account.sa : role => sa.email }
}

output "watched_projects" {
  description = "Projects where the poller and enforce hold their Vertex roles."
  value       = sort(tolist(local.target_projects))
}

output "policy_secret" {
  description = "The secret holding the policy file; a new version rolls out on the next apply."
  value       = google_secret_manager_secret.secret["policy"].secret_id
}

output "region" {
  description = "Region of the functions and scheduler jobs."
  value       = var.region
}
