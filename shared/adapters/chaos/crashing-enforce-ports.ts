// enforce's crash points, around its store and its Vertex client:
// - enforce.afterCommit: the transaction that recorded actions and their events committed; the
//   process dies before publishing them (the owning target's poller publishes them from the outbox);
// - enforce.beforeCancel: a cancel attempt is claimed in Firestore but never sent (the attempt is
//   re-issued once its in-flight window passes);
// - enforce.midCancel: Vertex accepted the cancel, and the process dies before recording the outcome
//   (the job goes CANCELLING anyway; the cancel is confirmed from the job's state).
import type {EnforceDeps} from '../../use-cases/enforce/enforce-deps.js';
import type {CrashSwitch} from './crash-switch.js';

type EnforcePorts = Pick<EnforceDeps, 'store' | 'vertex'>;

/** The store and Vertex client of enforce with its crash points (each left as is when not armed). */
export function withEnforceCrashPoints<T extends EnforcePorts>(ports: T, crash: CrashSwitch): T {
  const {store, vertex} = ports;
  return {
    ...ports,
    store: !crash.armed('enforce.afterCommit') ? store : {
      ...store,
      async transact(jobName, decide) {
        const outcome = await store.transact(jobName, decide);
        if (outcome.batches.length > 0) crash.reach('enforce.afterCommit', {job: jobName, batches: outcome.batches.map(batch => batch.id)});
        return outcome;
      },
    },
    vertex: !crash.armed('enforce.beforeCancel') && !crash.armed('enforce.midCancel') ? vertex : {
      ...vertex,
      async cancelNasJob(name: string) {
        crash.reach('enforce.beforeCancel', {job: name});
        await vertex.cancelNasJob(name);
        crash.reach('enforce.midCancel', {job: name});
      },
    },
  };
}
