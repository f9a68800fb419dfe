# The clocks: Cloud Scheduler publishes a tick to the poller's topic and to enforce's, every minute
# by default. Both functions ignore the payload and take the time from the message. Separate jobs
# on separate topics, so enforcement can be paused (or slowed) without stopping the poller.

locals {
  ticks = {
    poll    = { topic = "ticks", schedule = var.poll_schedule, what = "pollNasJobs: one poll session per target" }
    enforce = { topic = "enforce_ticks", schedule = var.enforce_schedule, what = "enforceTick: the jobs whose runtime limits fall due" }
  }
}

resource "google_cloud_scheduler_job" "tick" {
  for_each    = local.ticks
  name        = "${var.name_prefix}${each.key}-tick"
  description = "nasmon tick for ${each.value.what}"
  region      = var.region
  schedule    = each.value.schedule
  time_zone   = "Etc/UTC"

  pubsub_target {
    topic_name = google_pubsub_topic.topic[each.value.topic].id
    data       = base64encode("{}")
  }

  depends_on = [google_project_service.api]
}
