# The provider, the project's APIs, and the functions' source: a zip of the repository's sources,
# uploaded to a bucket, from which Cloud Build (the Node.js buildpack) runs `npm ci` and
# `npm run gcp-build` for each function.

provider "google" {
  project        = var.project_id
  region         = var.region
  default_labels = var.labels
}

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  project_number = data.google_project.this.number

  # The projects named in var.targets: the poller and enforce get their Vertex roles in each.
  target_projects = toset([for t in var.targets : split("/", t)[0]])
  gate_projects   = var.gate_projects == null ? local.target_projects : toset(var.gate_projects)

  # Pub/Sub's service agent: mints the push tokens and moves messages to the dead-letter topic.
  pubsub_service_agent = "serviceAccount:service-${local.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_project_service" "api" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudscheduler.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "logging.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ])
  service            = each.value
  disable_on_destroy = false
}

# --- Source ----------------------------------------------------------------------------------

locals {
  repo_root = "${path.module}/.."

  # What the build needs and nothing else: an allow-list, so local files (.nasmon/ holds the local
  # issuer's private key), the Terraform state in infra/ and the tests never leave the machine.
  # The simulator, scripts and tests are not deployed.
  source_dirs  = ["functions", "shared"]
  source_files = ["package.json", "package-lock.json", "tsconfig.json", ".npmrc"]
  source_paths = sort(concat(
    local.source_files,
    flatten([for dir in local.source_dirs : [for f in fileset("${local.repo_root}/${dir}", "**") : "${dir}/${f}"]]),
  ))
}

data "archive_file" "source" {
  type        = "zip"
  output_path = "${path.module}/.build/nasmon-source.zip"

  dynamic "source" {
    for_each = local.source_paths
    content {
      content  = file("${local.repo_root}/${source.value}")
      filename = source.value
    }
  }
}

resource "google_storage_bucket" "source" {
  name                        = "${var.project_id}-${var.name_prefix}source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  # Each upload has its own name; an old one is only needed to rebuild an old revision.
  lifecycle_rule {
    condition {
      age = 90
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.api]
}

resource "google_storage_bucket_object" "source" {
  # Named by content: a change of any source file uploads a new object and rebuilds every function.
  name   = "nasmon-${data.archive_file.source.output_sha256}.zip"
  bucket = google_storage_bucket.source.name
  source = data.archive_file.source.output_path
}

resource "google_artifact_registry_repository" "functions" {
  repository_id = "${var.name_prefix}functions"
  location      = var.region
  format        = "DOCKER"
  description   = "Images of nasmon's Cloud Functions, built by Cloud Build."

  depends_on = [google_project_service.api]
}
