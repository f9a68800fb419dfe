// Where the Firestore poll store keeps what, and how documents are named.
//
//   nasJobs/{docId}                  the mirror of one job; docId = resource name with '/' → '~'.
//                                    A JobRecord (`job` as plain REST JSON) plus query fields:
//                                    project, location (the configured target), jobId, displayName,
//                                    labels, team (labels.team or null), createTime (Timestamp),
//                                    updatedAt (server time), targetKey.
//   nasJobs/{docId}/history/{seq}    one HistoryEntry per recorded transition; seq zero-padded to 6.
//   nasmonOutbox/{batchId}           events committed with one job observation, not yet published:
//                                    {targetKey, createdAt, seq, eventsJson, publishAfter?} (see
//                                    outbox-doc.ts); batchId = first event id with '/' → '~'.
//   nasmonTargets/{targetKey}        the digest's root: {project, location, lastListTime?, lastSweepTime?}.
//   nasmonTargets/{targetKey}/digest/{shard}
//                                    the digest entries, spread over DIGEST_SHARDS documents by a hash
//                                    of the job id: {packed, jobs: {<jobId>: entry}, reads: {<jobId>: time}}
//                                    (two layers, see digest-doc.ts). A quiet cycle reads the root and
//                                    the shards, a fixed number of documents; the 1 MiB limit of each
//                                    shard bounds a target at about 4 × 7,400 tracked (active or
//                                    recently finished) jobs.
//   nasmonLeases/{targetKey}         {holder, expiresAt (Timestamp), project, location}.
//   nasmonRequests/{key}             the gate's idempotency claims: key = hash of (caller, requestId);
//                                    {caller, state: in-progress|done, claimedAt, job?, jobName?}.
//   nasmonJobOwners/{docId}          who created a job through the gate: {caller, jobName, createdAt}.
//   nasmonTeamSlots/{team}           creates reserved but maybe not mirrored yet:
//                                    {reservations: {<key>: {at, jobName|null}}}.
//   nasmonAudit/{id}                 one per gate decision (see AuditEntry); its request event goes
//                                    through nasmonOutbox like the poller's events.
//   nasmonGateIntents/{auditId}      a create the gate has sent to Vertex and not yet audited (CreateIntent
//                                    plus `at`, a Timestamp): the audit entry's write deletes it; one
//                                    left behind is recovered into its audit entry (recoverGateCreates).
//   nasmonEnforcement/{docId}        enforce's state of one job (EnforceState, see enforce-doc.ts):
//                                    {jobName, dueAt (Timestamp|null), policyVersion, done, cancel,
//                                    trials, trialsSeen}; a tick queries `dueAt <= now`. Enforcement
//                                    actions are audited in nasmonAudit as `enforce~{docId}~{action key}`.
//   nasmonEnforceSweep/last          {sweptAt}: when a tick last looked for untracked active jobs.
//   nasmonNotifyGroups/{job docId}@{channel}[/groups/{gen}]
//                                    notify's grouping of one job's events per channel (notify-docs.ts).
//   nasmonNotifyDeliveries/{event docId}@{channel}
//                                    one per (ce-id, channel): what makes a delivery happen once.
//
// targetKey = `${project}:${location}` of the configured target (a project ID or number as configured;
// Vertex writes the project number into job names, so the key never comes from a name).
import {Timestamp, type DocumentReference, type Firestore} from '@google-cloud/firestore';
import type {Target} from '../../config.js';

/** Collection names, also used by firestore.indexes.json. */
export const COLLECTIONS = {
  jobs: 'nasJobs',
  history: 'history',
  outbox: 'nasmonOutbox',
  targets: 'nasmonTargets',
  leases: 'nasmonLeases',
  requests: 'nasmonRequests',
  owners: 'nasmonJobOwners',
  teamSlots: 'nasmonTeamSlots',
  teamSettlements: 'nasmonTeamSettlements',
  audit: 'nasmonAudit',
  intents: 'nasmonGateIntents',
  enforcement: 'nasmonEnforcement',
  enforceSweep: 'nasmonEnforceSweep',
  notifyHeads: 'nasmonNotifyGroups',
  notifyGroups: 'groups',
  notifyDeliveries: 'nasmonNotifyDeliveries',
} as const;

/** `${project}:${location}`: the id of a target's digest and lease documents. */
export function targetKeyOf(target: Target): string {
  return `${target.project}:${target.location}`;
}

/** A resource name or event id as a document id: Firestore ids cannot contain '/'. */
export function docIdOf(path: string): string {
  return path.replaceAll('/', '~');
}

/** The last segment of a job name: the digest's map key. */
export function jobIdOf(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** How many documents hold one target's digest entries. */
export const DIGEST_SHARDS = 4;

/** The digest shard of a job id (FNV-1a): stable, and even for Vertex's random numeric ids. */
export function digestShardOf(jobId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < jobId.length; i++) hash = Math.imul(hash ^ jobId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % DIGEST_SHARDS;
}

/** The history document id of a sequence number; zero-padded so ids sort in sequence order. */
export function historyIdOf(sequence: number): string {
  return String(sequence).padStart(6, '0');
}

/** Typed references to the store's documents. */
export function refsOf(firestore: Firestore) {
  return {
    job: (name: string): DocumentReference => firestore.collection(COLLECTIONS.jobs).doc(docIdOf(name)),
    history: (name: string, sequence: number): DocumentReference =>
      firestore.collection(COLLECTIONS.jobs).doc(docIdOf(name)).collection(COLLECTIONS.history).doc(historyIdOf(sequence)),
    outbox: (batchId: string): DocumentReference => firestore.collection(COLLECTIONS.outbox).doc(batchId),
    digest: (target: Target): DocumentReference => firestore.collection(COLLECTIONS.targets).doc(targetKeyOf(target)),
    digestShard: (target: Target, shard: number): DocumentReference =>
      firestore.collection(COLLECTIONS.targets).doc(targetKeyOf(target)).collection('digest').doc(String(shard)),
    lease: (target: Target): DocumentReference => firestore.collection(COLLECTIONS.leases).doc(targetKeyOf(target)),
  };
}

/** The document references of one Firestore client. */
export type StoreRefs = ReturnType<typeof refsOf>;

/**
 * How long a transition in a job's history and an entry of the audit trail are kept: a little over a
 * year, the span audits usually ask for. Each such document carries `expireAt` (its own time plus
 * this), which the TTL policies in infra/ act on; the job mirror itself is never expired.
 */
export const RECORD_RETENTION_MS = 400 * 86_400_000;

/** The `expireAt` of a history or audit document written for a moment (RFC 3339). */
export function expireAtOf(time: string): Timestamp {
  return Timestamp.fromMillis(Date.parse(time) + RECORD_RETENTION_MS);
}
