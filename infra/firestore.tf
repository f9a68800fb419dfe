# The Firestore database (Native mode), its indexes and field overrides generated from the repo's
# firestore.indexes.json (the file the emulator config names), so the two cannot drift, and TTL
# policies on the expiry fields the code writes.

locals {
  firestore_database = "(default)"
  firestore_config   = jsondecode(file("${path.module}/../firestore.indexes.json"))

  composite_indexes = {
    for index in local.firestore_config.indexes :
    "${index.collectionGroup}(${join(",", [for f in index.fields : "${f.fieldPath}:${lookup(f, "order", lookup(f, "arrayConfig", ""))}"])})" => index
  }
  field_overrides = { for o in local.firestore_config.fieldOverrides : "${o.collectionGroup}.${o.fieldPath}" => o }

  # Collection group → field holding a Timestamp after which Firestore deletes the document. Only
  # fields the code writes: notify's records (30 days, NOTIFY_RETENTION_MS), the job history and the
  # audit trail (400 days, RECORD_RETENTION_MS); docs/deploy.md, "Retention".
  ttl_fields = {
    nasmonNotifyDeliveries = "expireAt"
    nasmonNotifyGroups     = "expireAt"
    groups                 = "expireAt"
    history                = "expireAt"
    nasmonAudit            = "expireAt"
  }
}

resource "google_firestore_database" "db" {
  count                   = var.create_firestore_database ? 1 : 0
  name                    = local.firestore_database
  location_id             = coalesce(var.firestore_location, var.region)
  type                    = "FIRESTORE_NATIVE"
  concurrency_mode        = "PESSIMISTIC"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
  deletion_policy         = "ABANDON"

  depends_on = [google_project_service.api]
}

resource "google_firestore_index" "composite" {
  for_each    = local.composite_indexes
  database    = local.firestore_database
  collection  = each.value.collectionGroup
  query_scope = lookup(each.value, "queryScope", "COLLECTION")

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path   = fields.value.fieldPath
      order        = lookup(fields.value, "order", null)
      array_config = lookup(fields.value, "arrayConfig", null)
    }
  }

  depends_on = [google_firestore_database.db]
}

# An override with no indexes exempts the field from indexing (large maps the code never queries).
resource "google_firestore_field" "override" {
  for_each   = local.field_overrides
  database   = local.firestore_database
  collection = each.value.collectionGroup
  field      = each.value.fieldPath

  index_config {
    dynamic "indexes" {
      for_each = lookup(each.value, "indexes", [])
      content {
        order        = lookup(indexes.value, "order", null)
        array_config = lookup(indexes.value, "arrayConfig", null)
        query_scope  = lookup(indexes.value, "queryScope", "COLLECTION")
      }
    }
  }

  depends_on = [google_firestore_database.db]
}

resource "google_firestore_field" "ttl" {
  for_each   = local.ttl_fields
  database   = local.firestore_database
  collection = each.key
  field      = each.value

  ttl_config {}

  # Never queried; exempt from indexing, as Firestore advises for TTL timestamps.
  index_config {}

  depends_on = [google_firestore_database.db]
}
