// POST /simulator/faults adds a rule; GET lists them; DELETE removes them all.
import {FAULT_KINDS, type FaultRule} from '../faults/fault-registry.js';
import type {SimState} from '../sim-state.js';
import {BodyReader} from './body-reader.js';

const FIELDS = ['kind', 'rate', 'count', 'method', 'pathContains', 'latencyMs', 'retryDelaySeconds', 'afterEffect', 'burst'];
const METHODS = ['GET', 'POST', 'DELETE', 'PATCH', 'PUT'] as const;

export function addFault(body: unknown, sim: SimState): FaultRule {
  const reader = new BodyReader(body, FIELDS);
  const kind = reader.oneOf('kind', FAULT_KINDS, true);
  const rate = reader.number('rate', {min: 0, max: 1});
  const count = reader.number('count', {min: 1, integer: true});
  const method = reader.oneOf('method', METHODS);
  const pathContains = reader.string('pathContains');
  const latencyMs = reader.number('latencyMs', {min: 0, max: 600_000, required: kind === 'latency'});
  const retryDelaySeconds = reader.number('retryDelaySeconds', {min: 0, max: 3600});
  const afterEffect = reader.boolean('afterEffect');
  const burst = reader.number('burst', {min: 1, max: 10_000, integer: true});
  if (!reader.has('rate') && !reader.has('count')) {
    reader.fail('rate', 'Give "rate" (0..1) and/or "count" (next N matching requests).');
  }
  if (afterEffect && kind !== 'deadline' && kind !== 'reset') reader.fail('afterEffect', '"afterEffect" applies to deadline and reset only.');
  reader.done();
  return sim.faults.add({
    kind: kind!,
    ...(rate !== undefined && {rate}),
    ...(count !== undefined && {count}),
    ...(method !== undefined && {method}),
    ...(pathContains !== undefined && {pathContains}),
    ...(latencyMs !== undefined && {latencyMs}),
    ...(retryDelaySeconds !== undefined && {retryDelaySeconds}),
    ...(afterEffect !== undefined && {afterEffect}),
    ...(burst !== undefined && {burst}),
  });
}
