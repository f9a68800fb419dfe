# Inputs. terraform.tfvars.example shows a typical set; docs/deploy.md explains each step.

# --- Where nasmon runs -----------------------------------------------------------------------

variable "project_id" {
  description = "The project that hosts nasmon: its functions, topics, Firestore database and secrets."
  type        = string
}

variable "region" {
  description = "Region of the functions, the Cloud Scheduler jobs, the source bucket and the image repository."
  type        = string
  default     = "us-central1"
}

variable "firestore_location" {
  description = "Location of the Firestore database (a region or a multi-region such as nam5); null means var.region."
  type        = string
  default     = null
}

variable "create_firestore_database" {
  description = "Create the (default) Firestore database in Native mode. Set false when the project already has one."
  type        = bool
  default     = true
}

variable "name_prefix" {
  description = "Prefix of the functions, service accounts, secrets and scheduler jobs, so nasmon can share a project."
  type        = string
  default     = "nasmon-"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,12}$", var.name_prefix))
    error_message = "name_prefix: lower-case letters, digits and '-', at most 13 characters (service account ids are limited to 30)."
  }
}

variable "labels" {
  description = "Labels added to every resource that takes labels."
  type        = map(string)
  default     = {}
}

# --- What nasmon watches ---------------------------------------------------------------------

variable "targets" {
  description = "The (project, location) pairs to watch, as PROJECT/LOCATION (NASMON_TARGETS). The poller and enforce get read and cancel rights in every project named here."
  type        = list(string)

  validation {
    condition     = length(var.targets) > 0 && alltrue([for t in var.targets : can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]/[a-z]+(-[a-z]+)*[0-9]*(-[a-z0-9]+)*$", t))])
    error_message = "targets: at least one entry, each PROJECT_ID/LOCATION, e.g. \"nas-prod/us-central1\"."
  }
}

variable "gate_projects" {
  description = "Projects in which the gate (nasJobsApi) may create, cancel and delete NAS jobs; null means the projects of var.targets."
  type        = list(string)
  default     = null
}

variable "trial_service_accounts" {
  description = "Emails of existing service accounts that NAS trials run as; the gate may act as each of them (iam.serviceAccountUser on that account only)."
  type        = list(string)
  default     = []
}

variable "create_trial_service_account" {
  description = "Create a service account for NAS trials (PREFIXtrial) in the host project and let the gate act as it."
  type        = bool
  default     = true
}

# --- Who may call nasmon ---------------------------------------------------------------------

variable "gate_invokers" {
  description = "IAM members allowed to call the gate, e.g. \"serviceAccount:pipelines@p.iam.gserviceaccount.com\" or \"group:ml-platform@example.com\". The gate also checks each caller against the policy file."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.gate_invokers : !contains(["allUsers", "allAuthenticatedUsers"], m)])
    error_message = "gate_invokers: the gate never accepts allUsers or allAuthenticatedUsers."
  }
}

variable "dashboard_viewers" {
  description = "IAM members allowed to open the dashboard (user:…, group:…). The dashboard also filters what each viewer sees through the policy's access rules."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.dashboard_viewers : !contains(["allUsers", "allAuthenticatedUsers"], m)])
    error_message = "dashboard_viewers: the dashboard never accepts allUsers or allAuthenticatedUsers."
  }
}

variable "dashboard_trials" {
  description = "NASMON_DASHBOARD_TRIALS: vertex reads each job's trial curve from Vertex (the dashboard then gets nasJobs.get/list in the watched projects); off draws no curves."
  type        = string
  default     = "vertex"

  validation {
    condition     = contains(["vertex", "off"], var.dashboard_trials)
    error_message = "dashboard_trials: vertex or off."
  }
}

variable "dashboard_iap_audience" {
  description = "NASMON_DASHBOARD_IAP_AUDIENCE, when an external HTTPS load balancer with IAP fronts the dashboard: /projects/NUMBER/global/backendServices/ID."
  type        = string
  default     = null
}

variable "dashboard_max_jobs" {
  description = "NASMON_DASHBOARD_MAX_JOBS (code default 500)."
  type        = number
  default     = null
}

variable "dashboard_refresh_seconds" {
  description = "NASMON_DASHBOARD_REFRESH_SECONDS (code default 5)."
  type        = number
  default     = null
}

variable "deploy_dashboard" {
  description = "Deploy the dashboard function."
  type        = bool
  default     = true
}

variable "extra_audiences" {
  description = "More accepted ID-token audiences for the gate and the dashboard (a custom domain in front of them). Their function URLs are always accepted."
  type        = list(string)
  default     = []
}

variable "event_functions_ingress" {
  description = "Ingress of the functions that only Pub/Sub pushes into (ALLOW_INTERNAL_ONLY admits Pub/Sub of the same project)."
  type        = string
  default     = "ALLOW_INTERNAL_ONLY"

  validation {
    condition     = contains(["ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"], var.event_functions_ingress)
    error_message = "event_functions_ingress: ALLOW_ALL, ALLOW_INTERNAL_ONLY or ALLOW_INTERNAL_AND_GCLB."
  }
}

# --- The policy file and the channel secrets -------------------------------------------------

variable "policy_file" {
  description = "Path of the policy file (YAML or JSON, see docs/policy.md), relative to the directory terraform runs in. Uploaded to Secret Manager and mounted into the gate, notify, enforce and the dashboard."
  type        = string
  default     = null

  validation {
    condition     = var.policy_file == null || can(regex("\\.(yaml|yml|json)$", var.policy_file))
    error_message = "policy_file: the name must end in .yaml, .yml or .json (the code picks the format by extension)."
  }
}

variable "policy_content" {
  description = "The policy itself (YAML, or JSON, which YAML reads too), instead of policy_file."
  type        = string
  default     = null
}

variable "slack_webhooks" {
  description = "Webhook name → Slack incoming-webhook URL, the names the policy's slack channels use (NASMON_SLACK_WEBHOOKS). Kept in Secret Manager, and in the Terraform state: protect the state."
  type        = map(string)
  default     = {}
  sensitive   = true
}

variable "smtp_url" {
  description = "smtp://user:password@host:587 or smtps://…:465 for email channels (NASMON_SMTP_URL); null when no email channel is used."
  type        = string
  default     = null
  sensitive   = true
}

variable "email_from" {
  description = "Sender of notification emails (NASMON_EMAIL_FROM), e.g. \"nasmon <nasmon@example.com>\"."
  type        = string
  default     = null
}

# --- Tuning; null keeps the code's default (README, Configuration) ----------------------------

variable "poll_schedule" {
  description = "Cloud Scheduler schedule of the poller's tick."
  type        = string
  default     = "* * * * *"
}

variable "enforce_schedule" {
  description = "Cloud Scheduler schedule of enforceTick."
  type        = string
  default     = "* * * * *"
}

variable "poll_interval_seconds" {
  description = "NASMON_POLL_INTERVAL_SECONDS (code default 10)."
  type        = number
  default     = null
}

variable "poll_session_seconds" {
  description = "NASMON_POLL_SESSION_SECONDS (code default 60); pollTarget's timeout and acknowledgement deadline follow it."
  type        = number
  default     = null

  validation {
    condition     = var.poll_session_seconds == null || (var.poll_session_seconds >= 0 && var.poll_session_seconds <= 420)
    error_message = "poll_session_seconds: 0 to 420 here, so that the session plus a cycle fits Pub/Sub's 600 s push deadline."
  }
}

variable "sweep_minutes" {
  description = "NASMON_SWEEP_MINUTES (code default 10)."
  type        = number
  default     = null
}

variable "quota_share" {
  description = "NASMON_QUOTA_SHARE: share of the Vertex request quotas nasmon may use (code default 0.5)."
  type        = number
  default     = null
}

variable "reads_per_minute" {
  description = "NASMON_READS_PER_MINUTE: the Vertex read quota per project and region (code default 600)."
  type        = number
  default     = null
}

variable "writes_per_minute" {
  description = "NASMON_WRITES_PER_MINUTE: the Vertex job-submission quota per project and region (code default 60)."
  type        = number
  default     = null
}

variable "gate_timeout_ms" {
  description = "NASMON_GATE_TIMEOUT_MS (code default 30000); the gate function's timeout follows it."
  type        = number
  default     = null
}

variable "gate_calls_per_minute" {
  description = "NASMON_GATE_CALLS_PER_MINUTE: calls a minute one caller may make to one gate instance, 429 beyond (code default 600; 0 turns the limit off)."
  type        = number
  default     = null
}

variable "enforce_dry_run" {
  description = "NASMON_ENFORCE_DRY_RUN: true makes every runtime rule only report. A first deployment may start with true."
  type        = bool
  default     = false
}

variable "enforce_max_due_per_tick" {
  description = "NASMON_ENFORCE_MAX_DUE_PER_TICK (code default 200)."
  type        = number
  default     = null
}

variable "enforce_sweep_minutes" {
  description = "NASMON_ENFORCE_SWEEP_MINUTES (code default 60)."
  type        = number
  default     = null
}

variable "enforce_concurrency" {
  description = "NASMON_ENFORCE_CONCURRENCY (code default 8)."
  type        = number
  default     = null
}

variable "notify_group_seconds" {
  description = "NASMON_NOTIFY_GROUP_SECONDS (code default 30); notify's timeout and acknowledgement deadline follow it."
  type        = number
  default     = null

  validation {
    condition     = var.notify_group_seconds == null || (var.notify_group_seconds >= 0 && var.notify_group_seconds <= 300)
    error_message = "notify_group_seconds: 0 to 300."
  }
}

variable "console_job_url" {
  description = "NASMON_CONSOLE_JOB_URL: the job link in notifications, with {project}, {location} and {job}."
  type        = string
  default     = null
}

variable "max_delivery_attempts" {
  description = "Deliveries of one message before Pub/Sub moves it to the dead-letter topic (5 to 100)."
  type        = number
  default     = 10
}

variable "events_topic_retention" {
  description = "How long nasjob-events keeps published messages, so a subscriber can seek back and replay."
  type        = string
  default     = "604800s"
}

variable "gate_max_instances" {
  description = "Upper bound on gate instances."
  type        = number
  default     = 10
}
