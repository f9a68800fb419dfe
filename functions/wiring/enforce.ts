// enforce's dependencies (enforce, enforceTick): the runtime rules of the policy file, read once per
// instance, the enforce store, and the shared Vertex client and events publisher. enforce needs no
// targets: a job's target comes from its mirror record (loadEnforceConfig).
import {withEnforceCrashPoints} from '../../shared/adapters/chaos/index.js';
import {createFirestoreEnforceStore} from '../../shared/adapters/firestore/firestore-enforce-store.js';
import {createFirestoreGateStore} from '../../shared/adapters/firestore/firestore-gate-store.js';
import {loadPolicyFile} from '../../shared/adapters/policy/load-policy-file.js';
import {loadEnforceConfig} from '../../shared/config.js';
import type {EnforceDeps} from '../../shared/use-cases/enforce/enforce-deps.js';
import type {RecoverCreatesDeps} from '../../shared/use-cases/gate/recover-creates.js';
import {eventPublisher, firestoreClient, processCrashSwitch, processLogger, vertexClient, vertexServerClock} from './clients.js';

let enforce: Promise<EnforceDeps> | undefined;

/** enforce's dependencies; a failed build is not cached, so the next invocation tries again (and logs why). */
export function productionEnforceDeps(): Promise<EnforceDeps> {
  return (enforce ??= buildEnforceDeps().catch((error: unknown) => {
    enforce = undefined;
    throw error;
  }));
}

async function buildEnforceDeps(): Promise<EnforceDeps> {
  const config = loadEnforceConfig();
  // The crash points (chaos runs only) go around the store and the Vertex client; each is a no-op unless armed.
  const ports = withEnforceCrashPoints({
    store: createFirestoreEnforceStore({firestore: firestoreClient(config), ownPublishClaimMs: config.pollIntervalSeconds * 1000}),
    vertex: vertexClient(config),
  }, processCrashSwitch());
  return {
    policy: (await loadPolicyFile(config.policyPath)).runtime,
    ...ports,
    publisher: eventPublisher(config),
    log: processLogger().child({fn: 'enforce'}),
    // Run times are Vertex's timestamps against now, so now is on Vertex's clock too: a skew between
    // it and this instance must not cancel a job early. The get before every cancel calibrates it.
    now: () => vertexServerClock().now(),
    settings: config.enforce,
  };
}

/**
 * What enforceTick needs to record the gate's abandoned creates (recoverGateCreates): the gate's
 * store, and the Vertex client to find their jobs. enforceTick runs on a schedule in every
 * deployment, which the gate (called only when someone calls it) does not.
 */
export function productionRecoveryDeps(): RecoverCreatesDeps {
  return (recovery ??= buildRecoveryDeps());
}

let recovery: RecoverCreatesDeps | undefined;

function buildRecoveryDeps(): RecoverCreatesDeps {
  const config = loadEnforceConfig();
  return {
    store: createFirestoreGateStore({firestore: firestoreClient(config), ownPublishClaimMs: config.pollIntervalSeconds * 1000}),
    vertex: vertexClient(config),
    publisher: eventPublisher(config),
    log: processLogger().child({fn: 'enforceTick'}),
    now: () => new Date(),
  };
}
