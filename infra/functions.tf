# nasmon's Cloud Functions (gen2), one per entry point the code registers (functions/*.ts), all
# built from the same source. Each is deployed without an Eventarc trigger: the event-driven ones
# get a Pub/Sub push subscription instead (pubsub.tf), which gives message ordering, acknowledgement
# deadlines and dead-lettering under our control; docs/deploy.md says why.

locals {
  # Code defaults that the timing below depends on (test/infra compares them with shared/config.ts).
  code_defaults = {
    NASMON_POLL_SESSION_SECONDS = 60
    NASMON_NOTIFY_GROUP_SECONDS = 30
    NASMON_GATE_TIMEOUT_MS      = 30000
  }
  poll_session_seconds = coalesce(var.poll_session_seconds, local.code_defaults.NASMON_POLL_SESSION_SECONDS)
  notify_group_seconds = coalesce(var.notify_group_seconds, local.code_defaults.NASMON_NOTIFY_GROUP_SECONDS)
  gate_timeout_seconds = ceil(coalesce(var.gate_timeout_ms, local.code_defaults.NASMON_GATE_TIMEOUT_MS) / 1000)

  # A session keeps starting cycles until poll_session_seconds after its tick; the last cycle
  # (Vertex calls, a 30 s store deadline) must still fit.
  poll_target_timeout = local.poll_session_seconds + 120
  # The holder of a notification group waits out the window, then holds a 2-minute lease.
  notify_timeout = local.notify_group_seconds + 150
  # A cancel with the Vertex client's retries at their worst (README, enforce).
  enforce_timeout = 360

  # Optional settings: null leaves the variable unset, so the code's default applies.
  tuning = {
    poll_interval_seconds     = var.poll_interval_seconds == null ? null : tostring(var.poll_interval_seconds)
    poll_session_seconds      = var.poll_session_seconds == null ? null : tostring(var.poll_session_seconds)
    sweep_minutes             = var.sweep_minutes == null ? null : tostring(var.sweep_minutes)
    quota_share               = var.quota_share == null ? null : tostring(var.quota_share)
    reads_per_minute          = var.reads_per_minute == null ? null : tostring(var.reads_per_minute)
    writes_per_minute         = var.writes_per_minute == null ? null : tostring(var.writes_per_minute)
    gate_timeout_ms           = var.gate_timeout_ms == null ? null : tostring(var.gate_timeout_ms)
    gate_calls_per_minute     = var.gate_calls_per_minute == null ? null : tostring(var.gate_calls_per_minute)
    enforce_max_due_per_tick  = var.enforce_max_due_per_tick == null ? null : tostring(var.enforce_max_due_per_tick)
    enforce_sweep_minutes     = var.enforce_sweep_minutes == null ? null : tostring(var.enforce_sweep_minutes)
    enforce_concurrency       = var.enforce_concurrency == null ? null : tostring(var.enforce_concurrency)
    notify_group_seconds      = var.notify_group_seconds == null ? null : tostring(var.notify_group_seconds)
    dashboard_max_jobs        = var.dashboard_max_jobs == null ? null : tostring(var.dashboard_max_jobs)
    dashboard_refresh_seconds = var.dashboard_refresh_seconds == null ? null : tostring(var.dashboard_refresh_seconds)
  }

  # The audiences the HTTP functions accept in ID tokens: both URLs a gen2 function answers on
  # (spelled out: a function cannot refer to its own URL), plus any custom domain.
  audiences = {
    for fn, name in { nasJobsApi = "nas-jobs-api", dashboard = "dashboard" } : fn => join(",", concat([
      "https://${var.region}-${var.project_id}.cloudfunctions.net/${var.name_prefix}${name}",
      "https://${var.name_prefix}${name}-${local.project_number}.${var.region}.run.app",
    ], var.extra_audiences))
  }

  # What loadConfig reads for the pollers (shared/config.ts).
  poller_env = {
    GOOGLE_CLOUD_PROJECT         = var.project_id
    NASMON_ENV                   = "production"
    NASMON_TARGETS               = join(",", var.targets)
    NASMON_TARGETS_TOPIC         = google_pubsub_topic.topic["targets"].name
    NASMON_EVENTS_TOPIC          = google_pubsub_topic.topic["events"].name
    NASMON_POLL_INTERVAL_SECONDS = local.tuning.poll_interval_seconds
    NASMON_POLL_SESSION_SECONDS  = local.tuning.poll_session_seconds
    NASMON_SWEEP_MINUTES         = local.tuning.sweep_minutes
    NASMON_QUOTA_SHARE           = local.tuning.quota_share
    NASMON_READS_PER_MINUTE      = local.tuning.reads_per_minute
    NASMON_WRITES_PER_MINUTE     = local.tuning.writes_per_minute
    LOG_EXECUTION_ID             = "true"
  }

  # What loadEnforceConfig reads (enforce and enforceTick).
  enforce_env = {
    GOOGLE_CLOUD_PROJECT            = var.project_id
    NASMON_EVENTS_TOPIC             = google_pubsub_topic.topic["events"].name
    NASMON_POLL_INTERVAL_SECONDS    = local.tuning.poll_interval_seconds
    NASMON_POLICY                   = local.policy_path
    NASMON_ENFORCE_DRY_RUN          = tostring(var.enforce_dry_run)
    NASMON_ENFORCE_MAX_DUE_PER_TICK = local.tuning.enforce_max_due_per_tick
    NASMON_ENFORCE_SWEEP_MINUTES    = local.tuning.enforce_sweep_minutes
    NASMON_ENFORCE_CONCURRENCY      = local.tuning.enforce_concurrency
    NASMON_QUOTA_SHARE              = local.tuning.quota_share
    NASMON_READS_PER_MINUTE         = local.tuning.reads_per_minute
    NASMON_WRITES_PER_MINUTE        = local.tuning.writes_per_minute
    LOG_EXECUTION_ID                = "true"
  }

  # Keyed by entry point, exactly as the code registers it. `name` is the deployed (kebab-case)
  # name after var.name_prefix; `subscription` is the push subscription of an event-driven
  # function (pubsub.tf), null for an HTTP one; `secrets` maps a variable to a secret (secrets.tf);
  # `policy` mounts the policy file at NASMON_POLICY.
  functions = {
    pollNasJobs = {
      name            = "poll-nas-jobs"
      description     = "nasmon: fans the scheduler's tick out as one poll-targets message per target"
      service_account = "poller"
      subscription    = { topic = "ticks", ordering = false, ack_deadline_seconds = 60, retention = "600s" }
      timeout_seconds = 60
      memory          = "256Mi"
      cpu             = null
      concurrency     = 1
      max_instances   = 3
      policy          = false
      env             = local.poller_env
      secrets         = {}
    }
    pollTarget = {
      name            = "poll-target"
      description     = "nasmon: polls one (project, location) for a scheduler period and publishes its transitions"
      service_account = "poller"
      subscription    = { topic = "targets", ordering = false, ack_deadline_seconds = local.poll_target_timeout, retention = "600s" }
      timeout_seconds = local.poll_target_timeout
      memory          = "512Mi"
      cpu             = null
      concurrency     = 1
      max_instances   = max(10, 3 * length(var.targets))
      policy          = false
      env             = local.poller_env
      secrets         = {}
    }
    nasJobsApi = {
      name            = "nas-jobs-api"
      description     = "nasmon gate: create, cancel, delete, get and list NAS jobs under the policy"
      service_account = "gate"
      subscription    = null
      timeout_seconds = local.gate_timeout_seconds + 30
      memory          = "512Mi"
      cpu             = "1"
      concurrency     = 20
      max_instances   = var.gate_max_instances
      policy          = true
      env = {
        GOOGLE_CLOUD_PROJECT         = var.project_id
        NASMON_ENV                   = "production"
        NASMON_TARGETS               = join(",", var.targets)
        NASMON_EVENTS_TOPIC          = google_pubsub_topic.topic["events"].name
        NASMON_POLL_INTERVAL_SECONDS = local.tuning.poll_interval_seconds
        NASMON_POLICY                = local.policy_path
        NASMON_AUTH_MODE             = "google"
        NASMON_AUTH_AUDIENCE         = local.audiences.nasJobsApi
        NASMON_GATE_TIMEOUT_MS       = local.tuning.gate_timeout_ms
        NASMON_GATE_CALLS_PER_MINUTE = local.tuning.gate_calls_per_minute
        NASMON_QUOTA_SHARE           = local.tuning.quota_share
        NASMON_READS_PER_MINUTE      = local.tuning.reads_per_minute
        NASMON_WRITES_PER_MINUTE     = local.tuning.writes_per_minute
        LOG_EXECUTION_ID             = "true"
      }
      secrets = {}
    }
    notify = {
      name            = "notify"
      description     = "nasmon: routes job events to Slack and email"
      service_account = "notify"
      subscription    = { topic = "events", ordering = false, ack_deadline_seconds = local.notify_timeout, retention = "604800s" }
      timeout_seconds = local.notify_timeout
      memory          = "512Mi"
      cpu             = "1"
      concurrency     = 10
      max_instances   = 20
      policy          = true
      env = {
        GOOGLE_CLOUD_PROJECT        = var.project_id
        NASMON_POLICY               = local.policy_path
        NASMON_EMAIL_FROM           = var.email_from
        NASMON_NOTIFY_GROUP_SECONDS = local.tuning.notify_group_seconds
        NASMON_CONSOLE_JOB_URL      = var.console_job_url
        LOG_EXECUTION_ID            = "true"
      }
      secrets = {
        NASMON_SLACK_WEBHOOKS = "slack-webhooks"
        NASMON_SMTP_URL       = "smtp-url"
      }
    }
    enforce = {
      name            = "enforce"
      description     = "nasmon: applies the runtime rules to a job when its events arrive"
      service_account = "enforce"
      subscription    = { topic = "events", ordering = true, ack_deadline_seconds = local.enforce_timeout, retention = "604800s" }
      timeout_seconds = local.enforce_timeout
      memory          = "512Mi"
      cpu             = null
      concurrency     = 1
      max_instances   = 20
      policy          = true
      env             = local.enforce_env
      secrets         = {}
    }
    enforceTick = {
      name            = "enforce-tick"
      description     = "nasmon: evaluates the jobs whose runtime limits fall due"
      service_account = "enforce"
      subscription    = { topic = "enforce_ticks", ordering = false, ack_deadline_seconds = local.enforce_timeout, retention = "600s" }
      timeout_seconds = local.enforce_timeout
      memory          = "512Mi"
      cpu             = null
      concurrency     = 1
      max_instances   = 3
      policy          = true
      env             = local.enforce_env
      secrets         = {}
    }
    dashboard = {
      name            = "dashboard"
      description     = "nasmon dashboard: jobs, timelines, trial curves and decisions from the Firestore mirror"
      service_account = "dashboard"
      subscription    = null
      timeout_seconds = 60
      memory          = "512Mi"
      cpu             = "1"
      concurrency     = 20
      max_instances   = 5
      policy          = true
      env = {
        GOOGLE_CLOUD_PROJECT             = var.project_id
        NASMON_ENV                       = "production"
        NASMON_POLICY                    = local.policy_path
        NASMON_AUTH_MODE                 = "google"
        NASMON_DASHBOARD_AUTH            = "google"
        NASMON_DASHBOARD_AUDIENCE        = local.audiences.dashboard
        NASMON_DASHBOARD_IAP_AUDIENCE    = var.dashboard_iap_audience
        NASMON_DASHBOARD_TRIALS          = var.dashboard_trials
        NASMON_DASHBOARD_MAX_JOBS        = local.tuning.dashboard_max_jobs
        NASMON_DASHBOARD_REFRESH_SECONDS = local.tuning.dashboard_refresh_seconds
        NASMON_QUOTA_SHARE               = local.tuning.quota_share
        NASMON_READS_PER_MINUTE          = local.tuning.reads_per_minute
        NASMON_WRITES_PER_MINUTE         = local.tuning.writes_per_minute
        LOG_EXECUTION_ID                 = "true"
      }
      secrets = {}
    }
  }

  deployed_functions = { for fn, spec in local.functions : fn => spec if fn != "dashboard" || var.deploy_dashboard }
}

resource "google_cloudfunctions2_function" "fn" {
  for_each    = local.deployed_functions
  name        = "${var.name_prefix}${each.value.name}"
  location    = var.region
  description = each.value.description

  build_config {
    runtime           = "nodejs22"
    entry_point       = each.key
    service_account   = google_service_account.sa["build"].id
    docker_repository = google_artifact_registry_repository.functions.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.sa[each.value.service_account].email
    timeout_seconds                  = each.value.timeout_seconds
    available_memory                 = each.value.memory
    available_cpu                    = each.value.cpu
    max_instance_request_concurrency = each.value.concurrency
    min_instance_count               = 0
    max_instance_count               = each.value.max_instances
    ingress_settings                 = each.value.subscription == null ? "ALLOW_ALL" : var.event_functions_ingress
    all_traffic_on_latest_revision   = true
    environment_variables            = { for k, v in each.value.env : k => v if v != null }

    dynamic "secret_environment_variables" {
      for_each = { for k, secret in each.value.secrets : k => secret if contains(local.mapped_secrets, secret) }
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = google_secret_manager_secret.secret[secret_environment_variables.value].secret_id
        version    = local.secret_versions[secret_environment_variables.value]
      }
    }

    dynamic "secret_volumes" {
      for_each = each.value.policy ? ["policy"] : []
      content {
        mount_path = local.policy_mount
        project_id = var.project_id
        secret     = google_secret_manager_secret.secret["policy"].secret_id
        versions {
          version = google_secret_manager_secret_version.policy.version
          path    = local.policy_file_name
        }
      }
    }
  }

  # The runtime account must be able to read its secrets when the revision is deployed, and the
  # build account to write its image.
  depends_on = [
    google_secret_manager_secret_iam_member.accessor,
    google_artifact_registry_repository_iam_member.build_writer,
    google_project_iam_member.build,
  ]
}
