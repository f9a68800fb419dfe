// The gate's crash point, around its Vertex client:
// - gate.afterCreate: Vertex created the job and the process dies before the create is audited (the
//   caller gets no answer; enforceTick writes the audit entry from the create's intent).
import type {GateDeps} from '../../use-cases/gate/gate-deps.js';
import type {CrashSwitch} from './crash-switch.js';

/** The gate's Vertex client with its crash point (left as is when not armed). */
export function withGateCrashPoints(vertex: GateDeps['vertex'], crash: CrashSwitch): GateDeps['vertex'] {
  if (!crash.armed('gate.afterCreate')) return vertex;
  return {
    ...vertex,
    async createNasJob(parent, job, options) {
      const created = await vertex.createNasJob(parent, job, options);
      crash.reach('gate.afterCreate', {job: created.name});
      return created;
    },
  };
}
