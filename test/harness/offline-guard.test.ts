import {describe, expect, it} from 'vitest';
import {OAuth2Client} from 'google-auth-library';
import {isLoopbackHost} from './loopback.js';

describe('the offline guard', () => {
  it('makes a call to a real Google endpoint fail at once', async () => {
    await expect(fetch('https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/nasJobs'))
      .rejects.toThrow();
    const cause = await fetch('https://oauth2.googleapis.com/token').catch((error: Error) => String(error.cause));
    expect(cause).toMatch(/offline-guard/);
  });

  it('makes google-auth-library fail instead of fetching Google certificates', async () => {
    const error = await new OAuth2Client().getFederatedSignonCertsAsync().then(() => undefined, (e: Error) => e);
    // The refusal must come from the guard, not from this sandbox's closed network.
    expect(`${error?.message} ${String((error as {cause?: unknown} | undefined)?.cause)}`).toMatch(/offline-guard/);
  });

  it.each([
    ['127.0.0.1', true], ['localhost', true], ['::1', true], ['[::1]', true],
    ['10.0.0.1', false], ['169.254.169.254', false], ['aiplatform.googleapis.com', false],
  ])('treats %s as loopback: %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
