import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {eventFigures} from '../../../../scripts/soak/figures.js';
import {detectionLatency, type HistoryJob} from '../../../../scripts/soak/latency.js';
import {pollingByTarget} from '../../../../scripts/soak/poll-gaps.js';
import type {ReceivedEvent} from '../../../../test/truth/truth-records.js';

const JOB = 'projects/1/locations/us-central1/nasJobs/7';
const T0 = Date.parse('2026-11-27T10:00:00Z');
const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

describe('detectionLatency', () => {
  const history: HistoryJob[] = [{
    name: JOB, displayName: 'x', deleted: true, scenario: 'succeed', deleteTime: iso(100),
    states: [{state: 'JOB_STATE_PENDING', time: iso(0)}, {state: 'JOB_STATE_RUNNING', time: iso(10)}, {state: 'JOB_STATE_SUCCEEDED', time: iso(40)}],
    trials: [{stage: 'search', id: '1', states: [{state: 'REQUESTED', time: iso(11)}, {state: 'SUCCEEDED', time: iso(30)}]}],
  }];
  const event = (id: string, type: string, data: Record<string, unknown>, receivedSeconds: number): ReceivedEvent => ({
    id, type: `nasmon.nasjob.v1.${type}`, attributes: {'ce-nasjob': JOB}, data, receivedAtMs: T0 + receivedSeconds * 1000,
  });

  it('times each event from the true transition, once per event id, state changes, deletions and trials apart', () => {
    const events = [
      event('s1', 'stateChanged', {state: 'JOB_STATE_PENDING'}, 2),
      event('s2', 'stateChanged', {state: 'JOB_STATE_RUNNING'}, 13),
      event('s2', 'stateChanged', {state: 'JOB_STATE_RUNNING'}, 20), // a redelivery: not counted again
      event('s3', 'stateChanged', {state: 'JOB_STATE_SUCCEEDED'}, 44),
      event('d', 'deleted', {}, 160),
      event('t', 'trialChanged', {stage: 'search', trial: {id: '1'}, state: 'SUCCEEDED'}, 31),
    ];
    const latency = detectionLatency(events, history, 0);
    expect(latency.stateChanges).toMatchObject({count: 3, p50Seconds: 3, maxSeconds: 4, unmatched: 0});
    expect(latency.deletions).toMatchObject({count: 1, maxSeconds: 60});
    expect(latency.trials).toMatchObject({count: 1, maxSeconds: 1});
    expect(latency.stateChanges.slowest[0]).toEqual({job: JOB, what: 'JOB_STATE_SUCCEEDED', seconds: 4});
  });

  it('corrects for the simulated clock running ahead of the wall clock', () => {
    const latency = detectionLatency([event('s1', 'stateChanged', {state: 'JOB_STATE_PENDING'}, 2)], history, -5000);
    expect(latency.stateChanges.maxSeconds).toBe(-3); // the simulator's times are 5 s behind the wall clock
  });
});

describe('pollingByTarget', () => {
  it('finds the largest gap between cycles, up to the end of the window, and the sessions that gave up', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'soak-polling-')), 'pollTarget.log');
    const line = (seconds: number, message: string) => JSON.stringify({receiveTimestamp: iso(seconds), message, target: 'p/l'});
    writeFileSync(file, ['Serving function...', line(2, 'poll cycle'), line(4, 'poll cycle'), line(61, 'target is being polled by another invocation'), line(6, 'poll cycle'), ''].join('\n'));
    expect(pollingByTarget(file, T0, T0 + 90_000)).toEqual([
      {target: 'p/l', cycles: 3, failedCycles: 0, largestGapSeconds: 84, largestGapFrom: iso(6), sessionsGivenUp: 1},
    ]);
  });
});

describe('eventFigures', () => {
  const delivery = (id: string, type: string, messageId: string): ReceivedEvent => ({
    id, type: `nasmon.nasjob.v1.${type}`, attributes: {}, data: {action: 'cancel'}, receivedAtMs: T0, messageId,
  });

  it('tells a redelivery (the same message again) from a second publish (a new message with the same event id)', () => {
    const figures = eventFigures([
      delivery('a', 'stateChanged', 'm1'), delivery('a', 'stateChanged', 'm1'), // redelivered
      delivery('b', 'request', 'm2'), delivery('b', 'request', 'm3'), // published again
      delivery('b', 'request', 'm3'), // and that one redelivered
      delivery('c', 'enforcement', 'm4'),
    ]);
    expect(figures).toMatchObject({deliveries: 6, distinct: 3, byType: {stateChanged: 1, request: 1, enforcement: 1}, enforcement: {cancel: 1}});
    expect(figures.duplicates).toEqual({total: 3, redelivered: 2, publishedAgain: 1, byType: {stateChanged: 1, request: 2}});
  });
});
