// A simulator whose clock runs away from the real one: the clock-skew chaos scenario. Every time
// it reports (job times, the admin clock, the HTTP Date header) is shifted by the offset, so a client
// comparing Vertex's timestamps with its own clock sees exactly the skew asked for.
import {describe, expect, it} from 'vitest';
import {parseCliOptions} from '../../simulator/cli-options.js';
import {startSimulator} from '../../simulator/server.js';
import {admin, api, createOk, useSimulator} from './support.js';

const OFFSET_SECONDS = -3600; // an hour behind: jobs look an hour older than they are

describe('a simulator started with clockOffsetSeconds', () => {
  const ctx = useSimulator({timeScale: 1, clockOffsetSeconds: OFFSET_SECONDS});

  it('reports its clock, its jobs\' times and its Date header shifted by the offset', async () => {
    const realMs = Date.now();
    const skew = (text: string) => (Date.parse(text) - realMs) / 1000;
    expect(skew((await admin(ctx.sim, 'GET', 'clock')).body.now)).toBeCloseTo(OFFSET_SECONDS, -1);
    const job = await createOk(ctx.sim);
    expect(skew(job.createTime)).toBeCloseTo(OFFSET_SECONDS, -1);
    const reply = await api.get(ctx.sim, job.name);
    expect(skew(reply.headers.get('date')!)).toBeCloseTo(OFFSET_SECONDS, -1);
  });

  it('still moves at the real pace from there', async () => {
    const first = Date.parse((await admin(ctx.sim, 'GET', 'clock')).body.now);
    await new Promise(resolve => setTimeout(resolve, 300));
    const second = Date.parse((await admin(ctx.sim, 'GET', 'clock')).body.now);
    expect(second - first).toBeGreaterThanOrEqual(250);
    expect(second - first).toBeLessThan(2000);
  });
});

describe('the clock offset option', () => {
  it('runs ahead with a positive offset', async () => {
    const sim = await startSimulator({timeScale: 0, clockOffsetSeconds: 90});
    try {
      const reply = await fetch(`${sim.url}/simulator/clock`);
      const {now} = (await reply.json()) as {now: string};
      expect((Date.parse(now) - Date.now()) / 1000).toBeCloseTo(90, -1);
    } finally {
      await sim.close();
    }
  });

  it('refuses an offset beyond a year, and the CLI flag parses and checks it', async () => {
    await expect(startSimulator({clockOffsetSeconds: 400 * 86_400})).rejects.toThrow('clockOffsetSeconds');
    expect(parseCliOptions(['--clock-offset=-120']).server.clockOffsetSeconds).toBe(-120);
    expect(parseCliOptions(['--clock-offset', '2.5']).server.clockOffsetSeconds).toBe(2.5);
    expect(() => parseCliOptions(['--clock-offset=soon'])).toThrow('--clock-offset');
    expect(() => parseCliOptions(['--clock-offset=99999999'])).toThrow('--clock-offset');
  });
});
