// The simulated clock: real elapsed time scaled by `timeScale`, plus manual advances. Sim time starts
// at the real wall-clock time so timestamps look current, shifted by `offsetSeconds` when asked: a
// Vertex whose clock runs ahead of (or behind) the clients' is how clock skew is tested.
import {secondsToMicros, type SimTime} from '../proto/time-format.js';

export interface SimClock {
  now(): SimTime;
  advance(seconds: number): SimTime;
}

export function createSimClock(timeScale: number, realNowMs: () => number = () => performance.now(), offsetSeconds = 0): SimClock {
  const startMicros = Date.now() * 1000 + secondsToMicros(offsetSeconds);
  const realStart = realNowMs();
  let advancedMicros = 0;
  let last = startMicros;
  const now = (): SimTime => {
    const scaled = Math.floor((realNowMs() - realStart) * 1000 * timeScale);
    last = Math.max(last, startMicros + scaled + advancedMicros); // never runs backwards
    return last;
  };
  return {
    now,
    advance(seconds) {
      advancedMicros += secondsToMicros(seconds);
      return now();
    },
  };
}
