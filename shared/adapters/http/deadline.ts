import {deadlineExceeded} from '../../core/gate/gate-errors.js';

/**
 * Runs `work` with a time limit: after `timeoutMs` its signal aborts and the returned promise rejects
 * with a 504 GateError, so the caller gets an answer before the platform kills the instance. `parent`
 * (e.g. the framework's own abort signal on client disconnect) aborts the work too.
 */
export async function withDeadline<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>, parent?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParentAbort, {once: true});
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = deadlineExceeded(`the gate did not finish within ${Math.round(timeoutMs / 1000)} s; the outcome is unknown`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}
