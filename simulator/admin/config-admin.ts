// POST /simulator/config: patches the behaviour knobs (see sim-config.ts); GET returns them.
import {PROBABILITY_KEYS, RANGE_KEYS, type SimConfig} from '../model/sim-config.js';
import type {SimState} from '../sim-state.js';
import {BodyReader} from './body-reader.js';
import {readScenarioMix} from './scenario-mix.js';

const FIELDS = [...RANGE_KEYS, ...PROBABILITY_KEYS, 'slowFactor', 'deleteNonTerminal', 'requireAuth', 'scenarioMix'];

export function patchConfig(body: unknown, sim: SimState): SimConfig {
  const reader = new BodyReader(body, FIELDS);
  const next: SimConfig = {...sim.config};
  for (const key of RANGE_KEYS) {
    const raw = reader.raw(key);
    if (raw === undefined) continue;
    const ok = Array.isArray(raw) && raw.length === 2 && raw.every(n => typeof n === 'number' && n >= 0 && Number.isFinite(n));
    if (!ok || raw[0] > raw[1]) reader.fail(key, `"${key}" must be [min, max] seconds with 0 <= min <= max.`);
    else next[key] = [raw[0], raw[1]];
  }
  for (const key of PROBABILITY_KEYS) {
    const value = reader.number(key, {min: 0, max: 1});
    if (value !== undefined) next[key] = value;
  }
  const slowFactor = reader.number('slowFactor', {min: 1, max: 1000});
  if (slowFactor !== undefined) next.slowFactor = slowFactor;
  const deleteNonTerminal = reader.oneOf('deleteNonTerminal', ['reject', 'allow'] as const);
  if (deleteNonTerminal !== undefined) next.deleteNonTerminal = deleteNonTerminal;
  const requireAuth = reader.boolean('requireAuth');
  if (requireAuth !== undefined) next.requireAuth = requireAuth;
  const scenarioMix = readScenarioMix(reader, 'scenarioMix');
  if (scenarioMix !== undefined) next.scenarioMix = scenarioMix;
  reader.done();
  sim.config = next;
  return next;
}
