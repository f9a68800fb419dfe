// Enforcement must act at most once per job and action key, and cancel a job at most once: from
// nasmon's side (its audit trail and the action keys it marks done) and from Vertex's side (the
// cancel requests the simulator really served, which nothing in nasmon can hide). Vertex's count is
// held against the attempts enforce claimed (each claim makes at most one call), not against the
// audited attempts: an attempt's outcome is not audited when the cancel settled before it was
// recorded, and that is no second cancel.
import {insideAny, type FaultWindow} from './fault-windows.js';
import type {Findings} from './ground-truth-report.js';
import {isEnforceAudit, type AuditRecord, type EnforcementRecord, type TrueJob} from './truth-records.js';

/** What {@link checkEnforcement} needs besides the records. */
export interface EnforcementCheckSettings {
  /** Cancels nasmon may send one job (re-issues after `reissueAfter` are legitimate); default 1. */
  readonly allowedCancelsPerJob: number;
  /** Cancels made by the test itself, straight to the simulator, per job name. */
  readonly externalCancels: Readonly<Record<string, number>>;
  /** Padded and merged: a cancel served during a fault (a retry after a lost answer) is excused. */
  readonly windows: readonly FaultWindow[];
}

interface JobActions {
  readonly byKey: Map<string, string[]>;
  cancels: number;
  sent: number[];
  gateCancels: number;
}

/** Checks the audit trail and the served cancels; returns how many cancels the simulator served. */
export function checkEnforcement(
  audit: readonly AuditRecord[], enforcement: readonly EnforcementRecord[], jobs: readonly TrueJob[], settings: EnforcementCheckSettings, findings: Findings,
): number {
  const perJob = new Map<string, JobActions>();
  const of = (job: string) => perJob.get(job) ?? perJob.set(job, {byKey: new Map(), cancels: 0, sent: [], gateCancels: 0}).get(job)!;
  for (const entry of audit) {
    const f = entry.fields;
    if (!isEnforceAudit(entry)) {
      // A cancel a caller made through the gate reaches Vertex too.
      if (f.action === 'cancel' && f.verdict === 'allowed' && typeof f.target === 'string') of(f.target).gateCancels += 1;
      continue;
    }
    const actions = of(String(f.target));
    const key = String(f.key);
    actions.byKey.set(key, [...(actions.byKey.get(key) ?? []), entry.id]);
    if (f.action === 'cancel' && f.dryRun !== true) actions.cancels += 1;
    if (f.action === 'cancel-attempt' && f.outcome === 'sent') actions.sent.push(Number(f.attempt));
  }
  const done = new Map(enforcement.map(record => [record.job, new Set(record.done)]));
  const claimed = new Map(enforcement.map(record => [record.job, record.cancelAttempts]));
  for (const [job, actions] of perJob) {
    for (const [key, ids] of actions.byKey) {
      if (ids.length > 1) findings.add('enforcementTwice', job, `action ${key} audited ${ids.length} times (${ids.join(', ')})`);
      // The done mark is what stops a redelivery from taking the action again.
      if (!key.startsWith('cancel-attempt/') && !done.get(job)?.has(key)) {
        findings.add('enforcementTwice', job, `action ${key} is audited but not marked done in nasmonEnforcement, so it could be taken again`);
      }
    }
    if (actions.cancels > 1) findings.add('enforcementTwice', job, `${actions.cancels} cancel actions audited`);
    if (actions.sent.length > settings.allowedCancelsPerJob) {
      findings.add('enforcementTwice', job, `cancel sent to Vertex ${actions.sent.length} times (attempts ${actions.sent.join(', ')}), at most ${settings.allowedCancelsPerJob} allowed`);
    }
  }
  let served = 0;
  for (const job of jobs) {
    const requests = job.cancelRequests ?? [];
    served += requests.length;
    const plain = requests.filter(request => !insideAny(Date.parse(request.time), settings.windows)).length;
    const claims = Math.max(claimed.get(job.name) ?? 0, perJob.get(job.name)?.sent.length ?? 0);
    const gate = perJob.get(job.name)?.gateCancels ?? 0;
    const external = settings.externalCancels[job.name] ?? 0;
    if (plain > claims + gate + external) {
      findings.add('enforcementTwice', job.name, `Vertex served ${requests.length} cancels (${plain} outside fault windows), more than `
        + `enforce's ${claims} claimed attempts, ${gate} allowed through the gate and ${external} by the test`);
    }
  }
  return served;
}
