// The simulated clock: real elapsed time scaled by `timeScale`, plus manual advances. Sim time starts
// at the real wall-clock time so timestamps look current.
import {secondsToMicros, type SimTime} from '../proto/time-format.js';

export interface SimClock {
  now(): SimTime;
  advance(seconds: number): SimTime;
}

export function createSimClock(timeScale: number, realNowMs: () => number = () => performance.now()): SimClock {
  const startMicros = Date.now() * 1000;
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
