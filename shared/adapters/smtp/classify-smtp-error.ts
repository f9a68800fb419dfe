import {NasmonError} from '../../errors.js';
import type {DeliveryOutcome} from '../../use-cases/notify/notify-ports.js';

/** The fields nodemailer sets on its errors (SMTP response, code, the command that failed). */
interface SmtpErrorShape {
  readonly code?: unknown;
  readonly responseCode?: unknown;
  readonly response?: unknown;
  readonly command?: unknown;
}

/**
 * Decides what a failed send means. A 5xx answer to the envelope or the message (550 no such user,
 * 552, 554) is a refusal for good: recorded, never retried. A bad login is a configuration problem
 * (retryable, so events wait for a fixed deploy). Everything else — connection refused or dropped,
 * timeouts, 4xx "try again later" — is thrown so Pub/Sub redelivers.
 */
export function classifySmtpError(error: unknown): DeliveryOutcome {
  const e = (error ?? {}) as SmtpErrorShape;
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const answer = typeof e.response === 'string' ? ` (${e.response.replace(/\s+/g, ' ').slice(0, 200)})` : '';
  const command = typeof e.command === 'string' ? ` to ${e.command}` : '';
  const code = typeof e.code === 'string' ? e.code : 'unknown';
  if (code === 'EAUTH') throw new NasmonError('config-invalid', `the SMTP server refused the login in NASMON_SMTP_URL${answer}`);
  if (status !== undefined && status >= 500 && status < 600) {
    return {status: 'rejected', detail: `the SMTP server answered ${status}${command}${answer}`};
  }
  const why = status !== undefined ? `answered ${status}${command}${answer}` : `failed with ${code}${command}`;
  throw new NasmonError('upstream-unavailable', `the SMTP server ${why}; Pub/Sub will redeliver`);
}
