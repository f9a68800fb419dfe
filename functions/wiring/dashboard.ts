// The dashboard's dependencies: its policy file (access grants and runtime limits), read once per
// instance, the Firestore reader and, unless switched off, the Vertex reader of trial metrics.
import {createVertexTrialSource} from '../../shared/adapters/dashboard/vertex-trial-source.js';
import {createFirestoreDashboardStore} from '../../shared/adapters/firestore/dashboard-store.js';
import {loadPolicyFile} from '../../shared/adapters/policy/load-policy-file.js';
import type {DashboardConfig} from '../../shared/config.js';
import type {DashboardDeps, TrialSource} from '../../shared/use-cases/dashboard/dashboard-deps.js';
import {firestoreClient, processLogger, vertexClient} from './clients.js';

let dashboard: Promise<DashboardDeps> | undefined;

const TRIALS_OFF: TrialSource = {
  trialsOf: async () => ({kind: 'unavailable', reason: 'trial curves are switched off (NASMON_DASHBOARD_TRIALS=off); the mirror keeps no per-trial metrics'}),
};

/** The dashboard's dependencies; a failed build (say, the policy file) is tried again on the next request. */
export function productionDashboardDeps(config: DashboardConfig): Promise<DashboardDeps> {
  return (dashboard ??= buildDashboardDeps(config).catch((error: unknown) => {
    dashboard = undefined;
    throw error;
  }));
}

async function buildDashboardDeps(config: DashboardConfig): Promise<DashboardDeps> {
  const policy = config.policyPath ? await loadPolicyFile(config.policyPath) : undefined;
  return {
    store: createFirestoreDashboardStore({firestore: firestoreClient(config), log: processLogger().child({fn: 'dashboard'})}),
    trials: config.trials === 'off' ? TRIALS_OFF : createVertexTrialSource({getNasJob: name => vertexClient(config).getNasJob(name)}),
    ...(policy ? {policy} : {}),
    maxJobs: config.maxJobs,
    refreshSeconds: config.refreshSeconds,
    now: () => new Date(),
  };
}
