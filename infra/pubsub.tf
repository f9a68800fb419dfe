# Topics, and one push subscription per event-driven function, named after its entry point (as in
# the local stack, scripts/local/topology.ts). Each has a retry policy and a dead-letter topic; the
# one of enforce on nasjob-events delivers in order.

locals {
  topics = {
    ticks         = "poll-ticks"         # Cloud Scheduler → pollNasJobs
    enforce_ticks = "enforce-ticks"      # Cloud Scheduler → enforceTick
    targets       = "poll-targets"       # pollNasJobs → pollTarget (NASMON_TARGETS_TOPIC)
    events        = "nasjob-events"      # the job events (NASMON_EVENTS_TOPIC), ordering key = job name
    dead_letter   = "nasmon-dead-letter" # deliveries that failed max_delivery_attempts times
  }

  push_subscriptions = { for fn, spec in local.deployed_functions : fn => merge(spec.subscription, { name = spec.name }) if spec.subscription != null }
}

resource "google_pubsub_topic" "topic" {
  for_each = local.topics
  name     = each.value

  # Events can be replayed by seeking a subscription back; ticks and fan-out messages are worthless
  # after a minute.
  message_retention_duration = each.key == "events" ? var.events_topic_retention : null

  depends_on = [google_project_service.api]
}

resource "google_pubsub_subscription" "push" {
  for_each = local.push_subscriptions
  name     = each.value.name
  topic    = google_pubsub_topic.topic[each.value.topic].id

  ack_deadline_seconds       = each.value.ack_deadline_seconds
  message_retention_duration = each.value.retention
  enable_message_ordering    = each.value.ordering

  push_config {
    # The path names the topic, so the functions framework can fill in the CloudEvent's source.
    push_endpoint = "${google_cloudfunctions2_function.fn[each.key].service_config[0].uri}/projects/${var.project_id}/topics/${google_pubsub_topic.topic[each.value.topic].name}"

    oidc_token {
      service_account_email = google_service_account.sa["push"].email
      audience              = google_cloudfunctions2_function.fn[each.key].service_config[0].uri
    }
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.topic["dead_letter"].id
    max_delivery_attempts = var.max_delivery_attempts
  }

  expiration_policy {
    ttl = ""
  }

  depends_on = [google_cloud_run_service_iam_member.invoker]
}

# A topic without subscriptions drops what it receives: this one keeps dead letters for a week,
# to inspect and replay (docs/deploy.md).
resource "google_pubsub_subscription" "dead_letter_hold" {
  name                       = "${local.topics.dead_letter}-hold"
  topic                      = google_pubsub_topic.topic["dead_letter"].id
  message_retention_duration = "604800s"
  ack_deadline_seconds       = 60

  expiration_policy {
    ttl = ""
  }
}
