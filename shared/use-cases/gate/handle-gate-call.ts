import {isGateError} from '../../core/gate/gate-error.js';
import type {GateRequest} from '../../core/gate/gate-request.js';
import type {Caller} from '../../core/policy/verdict.js';
import {actOnJob} from './act-on-job.js';
import {auditCall, type AuditNotes} from './audit-call.js';
import {createJob} from './create-job.js';
import type {GateDeps, GateOutcome} from './gate-deps.js';
import {getJob, listJobs} from './read-jobs.js';

const ALWAYS_AUDITED = new Set(['create', 'cancel', 'delete']);

/**
 * One authenticated, parsed gate call. Every create, cancel and delete is audited whatever its
 * outcome; reads are audited only when refused. The answer waits for the audit write, except a
 * successful create's: its intent, committed before the answer, already guarantees the entry.
 */
export async function handleGateCall(deps: GateDeps, caller: Caller, request: GateRequest): Promise<GateOutcome> {
  const startedMs = deps.now().getTime();
  const notes: AuditNotes = {};
  const audit = (status: number, error?: unknown) =>
    auditCall(deps, {caller: caller.email, request, startedMs}, notes, {status, ...(error === undefined ? {} : {error})});
  try {
    const outcome = await dispatch(deps, caller, request, notes);
    if (notes.intent === 'written') {
      // A create that succeeded has its intent committed, which recovery turns into this entry should
      // the write below never happen; so the answer does not wait for it. Nothing waits to hear of a
      // failure either (auditCall logs its own; this is for anything it did not foresee).
      const written = audit(outcome.status).catch((error: unknown) =>
        deps.log.error('could not record an audit entry; recovery writes it from the intent', {action: request.action, error: error as Error}));
      deps.background?.(written);
    } else if (ALWAYS_AUDITED.has(request.action)) {
      await audit(outcome.status);
    }
    return outcome;
  } catch (error) {
    const status = isGateError(error) ? error.httpStatus : 500;
    if (ALWAYS_AUDITED.has(request.action) || status === 403) await audit(status, error);
    throw error;
  }
}

function dispatch(deps: GateDeps, caller: Caller, request: GateRequest, notes: AuditNotes): Promise<GateOutcome> {
  switch (request.action) {
    case 'create':
      return createJob(deps, caller, request, notes);
    case 'cancel':
    case 'delete':
      return actOnJob(deps, caller, request, notes);
    case 'get':
      return getJob(deps, caller, request, notes);
    case 'list':
      return listJobs(deps, caller, request, notes);
  }
}
