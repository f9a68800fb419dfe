import {SCENARIOS, type Scenario} from '../model/sim-config.js';
import {isPlainObject} from '../proto/normalize-input.js';
import type {BodyReader} from './body-reader.js';

/** Reads `{"succeed":0.6,"fail-capacity":0.1,…}`: known scenarios, non-negative weights, positive sum. */
export function readScenarioMix(reader: BodyReader, key: string): Partial<Record<Scenario, number>> | undefined {
  const raw = reader.raw(key);
  if (raw === undefined) return undefined;
  if (!isPlainObject(raw)) return reader.fail(key, `"${key}" must be an object of scenario weights.`);
  const mix: Partial<Record<Scenario, number>> = {};
  for (const [name, weight] of Object.entries(raw)) {
    if (!(SCENARIOS as readonly string[]).includes(name)) reader.fail(`${key}.${name}`, `Unknown scenario; expected one of ${SCENARIOS.join(', ')}.`);
    else if (typeof weight !== 'number' || !(weight >= 0)) reader.fail(`${key}.${name}`, 'Weights must be non-negative numbers.');
    else mix[name as Scenario] = weight;
  }
  const total = Object.values(mix).reduce((sum, w) => sum + w, 0);
  if (total <= 0) return reader.fail(key, `"${key}" needs at least one positive weight.`);
  return mix;
}
