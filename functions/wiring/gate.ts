// The gate's dependencies (nasJobsApi): its policy file, read once per instance, and its store.
import {createHash, randomUUID} from 'node:crypto';
import {withGateCrashPoints} from '../../shared/adapters/chaos/index.js';
import {createFirestoreGateStore} from '../../shared/adapters/firestore/firestore-gate-store.js';
import {loadPolicyFile} from '../../shared/adapters/policy/load-policy-file.js';
import type {GateConfig} from '../../shared/config.js';
import type {GateDeps} from '../../shared/use-cases/gate/gate-deps.js';
import {eventPublisher, firestoreClient, processCrashSwitch, processLogger, vertexClient} from './clients.js';

let gate: Promise<GateDeps> | undefined;

/** The gate's dependencies: the policy file is read once per instance. */
export function productionGateDeps(config: GateConfig): Promise<GateDeps> {
  return (gate ??= buildGateDeps(config));
}

async function buildGateDeps(config: GateConfig): Promise<GateDeps> {
  return {
    policy: await loadPolicyFile(config.policyPath),
    // The crash point (chaos runs only) goes around the Vertex client; a no-op unless armed.
    vertex: withGateCrashPoints(vertexClient(config), processCrashSwitch()),
    store: createFirestoreGateStore({firestore: firestoreClient(config), ownPublishClaimMs: config.pollIntervalSeconds * 1000}),
    publisher: eventPublisher(config),
    log: processLogger().child({fn: 'nasJobsApi'}),
    now: () => new Date(),
    newId: randomUUID,
    requestKey: (caller, requestId) => createHash('sha256').update(`${caller}\n${requestId}`).digest('hex').slice(0, 40),
    watchedTargets: config.targets,
  };
}
