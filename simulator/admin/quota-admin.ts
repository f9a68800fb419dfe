// POST /simulator/quota and POST /simulator/accelerator-quota.
import {resolveEnumValue} from '../proto/enums.js';
import type {QuotaLimits} from '../quota/request-quota.js';
import type {SimState} from '../sim-state.js';
import {BodyReader} from './body-reader.js';

/** Sets request quotas (per project+location, per minute) and refills every bucket. */
export function setRequestQuota(body: unknown, sim: SimState): QuotaLimits {
  const reader = new BodyReader(body, ['readsPerMinute', 'writesPerMinute']);
  const reads = reader.number('readsPerMinute', {min: 1, max: 1e9});
  const writes = reader.number('writesPerMinute', {min: 1, max: 1e9});
  reader.done();
  const current = sim.quota.current;
  sim.quota.setLimits({readsPerMinute: reads ?? current.readsPerMinute, writesPerMinute: writes ?? current.writesPerMinute});
  return sim.quota.current;
}

/** Limits the accelerators of one type that non-terminal jobs in a project+location may hold. */
export function setAcceleratorQuota(body: unknown, sim: SimState): Record<string, unknown> {
  const reader = new BodyReader(body, ['project', 'location', 'acceleratorType', 'limit']);
  const project = reader.string('project', true);
  const location = reader.string('location', true);
  const type = resolveEnumValue('AcceleratorType', reader.raw('acceleratorType'));
  if (!type || type === 'ACCELERATOR_TYPE_UNSPECIFIED') reader.fail('acceleratorType', '"acceleratorType" must be an AcceleratorType such as NVIDIA_TESLA_T4.');
  const limit = reader.number('limit', {required: true, min: 0, integer: true});
  reader.done();
  sim.acceleratorQuota.set(sim.projectNumber(project!), location!, type!, limit!);
  return {project, location, acceleratorType: type, limit};
}
