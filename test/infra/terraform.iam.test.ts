// infra/'s IAM against the code: each function's account holds the Vertex permissions its code's
// calls need and no role holds more than its holders use; no basic roles, no public members.
import {describe, expect, it} from 'vitest';
import {readSource, useInfra} from './infra.support.js';
import {objectLocal, resource, type Body} from './terraform-model.js';

const infra = useInfra();

/** The registrations infra/ declares a function for (terraform.test.ts fails on the others). */
const declared = () => infra().registrations.filter(r => r.entry in infra().functions);

describe('IAM', () => {
  // What each Vertex client method needs (the REST reference's "IAM Permissions").
  const PERMISSIONS: Readonly<Record<string, readonly string[] | undefined>> = {
    getNasJob: ['aiplatform.nasJobs.get'],
    listNasJobs: ['aiplatform.nasJobs.list'],
    listNasJobsPage: ['aiplatform.nasJobs.list'],
    listNasJobHeads: ['aiplatform.nasJobs.list'],
    createNasJob: ['aiplatform.nasJobs.create', 'aiplatform.nasJobs.list'], // a retried request id is looked up by listing
    findCreatedJob: ['aiplatform.nasJobs.list'],
    cancelNasJob: ['aiplatform.nasJobs.cancel'],
    deleteNasJob: ['aiplatform.nasJobs.delete'],
    listNasTrialDetails: ['aiplatform.nasTrialDetails.list'],
    getNasTrialDetail: ['aiplatform.nasTrialDetails.get'],
    getOperation: undefined, // no entry point calls it; find its permission before one does
  };
  const roles = () => objectLocal(infra().tf, 'vertex_roles');
  const grants = () => objectLocal(infra().tf, 'vertex_grants');
  const accountsOf = (grant: Body) => Array.isArray(grant.accounts) ? grant.accounts as string[] : [...String(grant.accounts).matchAll(/"(\w+)"/g)].map(m => m[1]!);
  const needs = () => {
    const client = readSource('shared/adapters/vertex/vertex-nas-client.ts');
    const methods = [.../export interface VertexNasClient \{\n([^]*?)\n\}/.exec(client)![1]!.matchAll(/^\s+(\w+)\(/gm)].map(m => m[1]!);
    expect(methods.filter(method => !(method in PERMISSIONS))).toEqual([]);
    const byEntry = new Map<string, Set<string>>();
    for (const method of methods) {
      for (const entry of infra().code.entriesUsing(method, file => file.startsWith('shared/adapters/vertex/'))) {
        expect(PERMISSIONS[method], `${entry} calls ${method}`).toBeDefined();
        byEntry.set(entry, new Set([...(byEntry.get(entry) ?? []), ...PERMISSIONS[method]!]));
      }
    }
    return byEntry;
  };

  it('lets each function make the Vertex calls its code makes, in every watched project', () => {
    const byEntry = needs();
    for (const r of declared()) {
      const account = infra().functions[r.entry]!.service_account as string;
      const held = Object.entries(grants()).filter(([, g]) => accountsOf(g).includes(account)).flatMap(([role]) => roles()[role]!.permissions as string[]);
      expect([...(byEntry.get(r.entry) ?? [])].filter(p => !held.includes(p)), r.entry).toEqual([]);
    }
    expect(grants().NasReader!.projects).toBe('${local.target_projects}');
    // enforceTick also finds the jobs of the gate's unaudited creates, wherever the gate creates them.
    expect(grants().NasEnforcer!.projects).toBe('${setunion(local.target_projects, local.gate_projects)}');
    expect(infra().tf.locals.target_projects).toMatch(/for t in var\.targets/);
  });

  it('grants no Vertex permission that no function of the holding accounts uses', () => {
    const byEntry = needs();
    for (const [role, grant] of Object.entries(grants())) {
      const accounts = accountsOf(grant);
      const used = new Set(declared().filter(r => accounts.includes(infra().functions[r.entry]!.service_account as string))
        .flatMap(r => [...(byEntry.get(r.entry) ?? [])]));
      expect((roles()[role]!.permissions as string[]).filter(p => !used.has(p)), role).toEqual([]);
    }
  });

  it('grants no basic or admin role, and never to the public', () => {
    const granted = [...infra().tf.resources.values(), infra().tf.locals].flatMap(body => JSON.stringify(body));
    for (const text of granted) {
      expect(text).not.toMatch(/roles\/(owner|editor|viewer|aiplatform\.admin|aiplatform\.user|iam\.serviceAccountAdmin)"/);
      expect(text).not.toMatch(/allUsers|allAuthenticatedUsers/);
    }
  });

  it('runs each function as an account it declares, and lets only invokers it lists call HTTP ones', () => {
    const accounts = objectLocal(infra().tf, 'service_accounts');
    const http = objectLocal(infra().tf, 'http_invokers');
    for (const [entry, spec] of Object.entries(infra().functions)) {
      expect(Object.keys(accounts), entry).toContain(spec.service_account);
      expect(spec.subscription === null, entry).toBe(entry in http);
    }
    expect(resource(infra().tf, 'google_cloud_run_service_iam_member.invoker').role).toBe('roles/run.invoker');
  });
});
