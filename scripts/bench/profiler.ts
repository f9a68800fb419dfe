// Optional CPU profiling of one kind of cycle (BENCH_PROFILE=changes or a list such as quiet,changes; kinds: cold, quiet, changes, sweep, naive): the
// V8 profiler runs only while those cycles do, and the profile is written next to the other bench
// artifacts, to be opened in Chrome DevTools or summarised with scripts/bench/profile-summary.ts.
import {Session} from 'node:inspector/promises';
import {mkdirSync, writeFileSync} from 'node:fs';

const wanted = new Set((process.env.BENCH_PROFILE ?? '').split(',').filter(Boolean));
let session: Session | undefined;

/** Runs `body`, profiling it when BENCH_PROFILE names `kind`; profiles accumulate per kind. */
export async function profiled<T>(kind: string, body: () => Promise<T>): Promise<T> {
  if (!wanted.has(kind)) return body();
  if (!session) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', {interval: 200});
  }
  await session.post('Profiler.start');
  try {
    return await body();
  } finally {
    const {profile} = await session.post('Profiler.stop');
    mkdirSync('test-artifacts/bench-poll', {recursive: true});
    const file = `test-artifacts/bench-poll/${kind}-${Date.now()}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    console.error(`profile of a ${kind} cycle written to ${file}`);
  }
}
