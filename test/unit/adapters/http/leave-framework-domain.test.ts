import domain from 'node:domain';
import {describe, expect, it} from 'vitest';
import {leaveFrameworkDomain} from '../../../../shared/adapters/http/leave-framework-domain.js';

// Node sets process.domain while a domain is entered; @types/node does not declare it.
const currentDomain = () => (process as {domain?: unknown}).domain;

describe('leaveFrameworkDomain', () => {
  it('steps out of the domain the call runs in, so what it starts next is not bound to it', async () => {
    const framework = domain.create();
    const seen = await new Promise<{during: unknown; after: unknown}>(resolve => framework.run(() => process.nextTick(() => {
      const during = currentDomain();
      leaveFrameworkDomain();
      setImmediate(() => resolve({during, after: currentDomain()}));
    })));
    expect(seen.during).toBe(framework);
    expect(seen.after).toBeFalsy();
  });

  it('does nothing outside a domain', () => {
    expect(() => leaveFrameworkDomain()).not.toThrow();
  });
});
