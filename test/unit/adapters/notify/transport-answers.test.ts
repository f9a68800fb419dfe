import {describe, expect, it} from 'vitest';
import {retryAfterMs} from '../../../../shared/adapters/slack/retry-after.js';
import {classifySmtpError} from '../../../../shared/adapters/smtp/classify-smtp-error.js';
import {isNasmonError} from '../../../../shared/errors.js';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-27T10:00:00Z');

  it.each<[string | null, number | undefined]>([
    ['30', 30_000],
    [' 0 ', 0],
    ['Fri, 27 Nov 2026 10:01:00 GMT', 60_000],
    ['Fri, 27 Nov 2026 09:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    [null, undefined],
  ])('reads %j as %j ms', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});

describe('classifySmtpError', () => {
  const outcome = (error: unknown) => {
    try {
      return classifySmtpError(error);
    } catch (thrown) {
      return isNasmonError(thrown) ? {thrown: thrown.code, retryable: thrown.retryable} : {thrown: 'other'};
    }
  };

  it.each<[string, unknown, unknown]>([
    ['every recipient refused (550)', {code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', response: '550 no such user'},
      {status: 'rejected', detail: 'the SMTP server answered 550 to RCPT TO (550 no such user)'}],
    ['the message refused (554)', {code: 'EMESSAGE', responseCode: 554, command: 'DATA', response: '554 spam'}, {status: 'rejected', detail: 'the SMTP server answered 554 to DATA (554 spam)'}],
    ['a mailbox busy (450)', {code: 'EENVELOPE', responseCode: 450, command: 'RCPT TO'}, {thrown: 'upstream-unavailable', retryable: true}],
    ['a refused connection', {code: 'ESOCKET', command: 'CONN'}, {thrown: 'upstream-unavailable', retryable: true}],
    ['a dropped connection', {code: 'ECONNECTION', command: 'CONN'}, {thrown: 'upstream-unavailable', retryable: true}],
    ['a timeout', {code: 'ETIMEDOUT'}, {thrown: 'upstream-unavailable', retryable: true}],
    ['a login refused', {code: 'EAUTH', responseCode: 535, response: '535 bad credentials'}, {thrown: 'config-invalid', retryable: true}],
    ['something unknown', new Error('?'), {thrown: 'upstream-unavailable', retryable: true}],
  ])('%s', (_, error, expected) => {
    expect(outcome(error)).toEqual(expected);
  });
});
