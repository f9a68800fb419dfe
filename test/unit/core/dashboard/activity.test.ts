import {describe, expect, it} from 'vitest';
import {buildActivity, type AuditRecord, type JobFile} from '../../../../shared/core/dashboard/index.js';
import {aDashboardJob, entered} from './dashboard-kit.js';

const job = aDashboardJob();
const gate: AuditRecord = {
  source: 'gate', id: 'a1', time: '2025-07-20T10:00:01Z', caller: 'bob@example.com', action: 'create', target: 'projects/nas-prod/locations/us-central1',
  project: 'nas-prod', location: 'us-central1', verdict: 'allowed', httpStatus: 200, violations: [], warnings: ['display-name: not lowercase'], mutations: ['managed-by: add /labels/managed-by'],
};
const denied: AuditRecord = {...gate, id: 'a2', time: '2025-07-20T12:00:00Z', caller: 'eve@example.com', action: 'cancel', target: job.record.name, verdict: 'denied', violations: ['whose-jobs: not yours']};
const warn: AuditRecord = {
  source: 'enforce', id: 'enforce~x~w', time: '2025-07-20T11:00:00Z', key: 'max-run/warn/0.8', action: 'warn', rule: 'max-run', reason: 'running for 8h of a 10h limit',
  dryRun: false, ratio: 0.8, eventId: `${job.record.name}/enforcement/max-run/warn/0.8`,
};
const audited: AuditRecord = {source: 'enforce', id: 'enforce~x~a', time: '2025-07-20T11:30:00Z', key: 'big/warn/0.8/audit', action: 'warn', rule: 'big', dryRun: true};
const file: JobFile = {
  job, history: [entered(1, 'PENDING', -5), {...entered(2, 'RUNNING', 0), previousState: 'JOB_STATE_PENDING'}], audit: [gate, warn, denied, audited],
  deliveries: [{eventId: 'e1', channel: 'vision-slack', kind: 'stateChanged', time: '2025-07-20T10:05:00Z', state: 'sent'}],
};

describe('buildActivity', () => {
  const activity = buildActivity(file);

  it('lists the gate\'s decisions newest first, with their reasons', () => {
    expect(activity.decisions.map(d => [d.caller, d.action, d.verdict, d.violations, d.warnings])).toEqual([
      ['eve@example.com', 'cancel', 'denied', ['whose-jobs: not yours'], ['display-name: not lowercase']],
      ['bob@example.com', 'create', 'allowed', [], ['display-name: not lowercase']],
    ]);
  });

  it('lists enforcement actions, audit-only ones included', () => {
    expect(activity.enforcement.map(e => e.key)).toEqual(['big/warn/0.8/audit', 'max-run/warn/0.8']);
  });

  it('lists every published event newest first: transitions, requests, enforcement (not audit-only actions)', () => {
    expect(activity.events.map(e => [e.type, e.summary])).toEqual([
      ['request', 'cancel by eve@example.com: denied'],
      ['enforcement', 'warn (max-run)'],
      ['stateChanged', 'PENDING → RUNNING'],
      ['request', 'create by bob@example.com: allowed'],
      ['stateChanged', 'first seen PENDING'],
    ]);
    expect(activity.events[0]!.id).toBe('projects/nas-prod/locations/us-central1/requests/a2');
    expect(activity.events[1]!.id).toBe(`${job.record.name}/enforcement/max-run/warn/0.8`);
  });

  it('says when states were skipped, and names a deletion', () => {
    const history = [{...entered(3, 'FAILED', 10, true), previousState: 'JOB_STATE_PENDING'}, {...entered(4, 'DELETED', 20), previousState: 'JOB_STATE_FAILED'}];

    expect(buildActivity({...file, history, audit: []}).events.map(e => [e.type, e.summary])).toEqual([
      ['deleted', 'deleted from Vertex'], ['stateChanged', 'PENDING → FAILED (states in between not observed)'],
    ]);
  });

  it('passes the notifications through', () => {
    expect(activity.notifications).toEqual(file.deliveries);
  });
});
