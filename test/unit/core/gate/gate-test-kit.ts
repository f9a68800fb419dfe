// Helpers for the gate's core tests: a valid create body in REST JSON, and the error a call throws.
import {aNasJobDraft} from '../../../factories.js';
import {isGateError, type GateError} from '../../../../shared/core/gate/gate-error.js';

export const PARENT_PATH = '/v1/projects/demo-nasmon/locations/us-central1';
export const JOBS = `${PARENT_PATH}/nasJobs`;
export const JOB = `${JOBS}/1234567890123456789`;

/** A valid create body as a caller sends it (REST JSON), with top-level overrides. */
export function createBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {...(JSON.parse(JSON.stringify(aNasJobDraft())) as Record<string, unknown>), ...overrides};
}

/** The GateError `fn` throws (fails the test if it throws anything else, or nothing). */
export function gateErrorOf(fn: () => unknown): GateError {
  try {
    fn();
  } catch (error) {
    if (isGateError(error)) return error;
    throw error;
  }
  throw new Error('expected a GateError, but nothing was thrown');
}

/** The ErrorInfo reason of a GateError. */
export function reasonOf(error: GateError): string | undefined {
  const info = error.details.find(detail => detail.kind === 'ErrorInfo');
  return info?.kind === 'ErrorInfo' ? info.reason : undefined;
}

/** The field violations of a GateError's BadRequest detail. */
export function violationsOf(error: GateError): readonly {field: string; description: string}[] {
  const bad = error.details.find(detail => detail.kind === 'BadRequest');
  return bad?.kind === 'BadRequest' ? bad.fieldViolations : [];
}
