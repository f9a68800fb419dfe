import {describe, expect, it} from 'vitest';
import {chaosScenario, CHAOS_SCENARIOS, crashPointsEnv, stackNeeds} from '../../../../scripts/soak/chaos.js';
import {classifyMissingEvents, crashesInLogs, earlyCancels, lastCrashMs, recoveryAfter} from '../../../../scripts/soak/recovery.js';
import type {ReceivedEvent, RecordedTransition} from '../../../../test/truth/truth-records.js';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const s = (seconds: number) => T0 + seconds * 1000;

describe('recoveryAfter', () => {
  const base = {scenario: 'firestore-restart', startMs: s(30), endMs: s(40), checkMs: s(100), pollIntervalMs: 2000, tickMs: 60_000};

  it('times the first cycle per target and the first empty outbox after the end, against two intervals and two ticks', () => {
    const r = recoveryAfter({
      ...base,
      cycles: new Map([['a', [s(28), s(31), s(41), s(43), s(45)]], ['b', [s(29), s(43.5), s(60), s(62)]]]),
      outbox: [{atMs: s(35)}, {atMs: s(39), count: 9}, {atMs: s(41), count: 4}, {atMs: s(44), count: 0}, {atMs: s(46), count: 3}],
    });
    expect(r.targets).toEqual([
      {target: 'a', firstCycleSeconds: 1, largestGapAfterSeconds: 55, cyclesDuring: 1},
      {target: 'b', firstCycleSeconds: 3.5, largestGapAfterSeconds: 38, cyclesDuring: 0},
    ]);
    expect(r).toMatchObject({outboxCaughtUpSeconds: 4, outboxEmptySeconds: 4, outboxPeak: 9, outboxUnreadable: 1, recoveredSeconds: 4, withinTwoIntervals: true, withinTwoTicks: true, watchedSeconds: 60});
  });

  it('counts the outbox caught up once nothing written before the end is left, empty or not', () => {
    const r = recoveryAfter({
      ...base,
      cycles: new Map([['a', [s(41)]]]),
      outbox: [{atMs: s(41), count: 5, oldestMs: s(38)}, {atMs: s(42), count: 3, oldestMs: s(39.9)}, {atMs: s(43), count: 4, oldestMs: s(40)}, {atMs: s(70), count: 0}],
    });
    expect(r).toMatchObject({outboxCaughtUpSeconds: 3, outboxEmptySeconds: 30, recoveredSeconds: 3, withinTwoIntervals: true, withinTwoTicks: true});
  });

  it('says not recovered when a target is never polled again or the outbox never empties', () => {
    const unpolled = recoveryAfter({...base, cycles: new Map([['a', [s(20)]]]), outbox: [{atMs: s(50), count: 0}]});
    expect(unpolled.targets[0]).toEqual({target: 'a', largestGapAfterSeconds: 60, cyclesDuring: 0});
    expect(unpolled.recoveredSeconds).toBeUndefined();
    expect(unpolled).toMatchObject({withinTwoIntervals: false, withinTwoTicks: false});
    const full = recoveryAfter({...base, cycles: new Map([['a', [s(41)]]]), outbox: [{atMs: s(50), count: 2}]});
    expect(full.outboxEmptySeconds).toBeUndefined();
    expect(full.withinTwoTicks).toBe(false);
  });

  it('compares with two ticks when polling needed the next tick', () => {
    const r = recoveryAfter({...base, checkMs: s(200), cycles: new Map([['a', [s(100)]]]), outbox: [{atMs: s(41), count: 0}]});
    expect(r).toMatchObject({recoveredSeconds: 60, withinTwoIntervals: false, withinTwoTicks: true});
  });
});

describe('crashesInLogs', () => {
  it('counts one per crashPoint line, by function and point', () => {
    const line = (point: string) => `{"receiveTimestamp":"x","severity":"ERROR","message":"crash point reached","crashPoint":"${point}","pid":1}`;
    expect(crashesInLogs([
      {target: 'pollTarget', text: [line('poll.afterCommit'), '{"message":"poll cycle"}', line('poll.afterCommit'), line('poll.midPagination')].join('\n')},
      {target: 'enforce', text: line('enforce.midCancel')},
    ])).toEqual({'pollTarget poll.afterCommit': 2, 'pollTarget poll.midPagination': 1, 'enforce enforce.midCancel': 1});
  });
});

describe('lastCrashMs', () => {
  it('is the receive time of the last crash line, or undefined', () => {
    const line = (at: string) => `{"receiveTimestamp":"${at}","message":"crash point reached","crashPoint":"poll.afterCommit"}`;
    expect(lastCrashMs([{text: `${line('2026-11-27T10:00:05.000Z')}\n{"receiveTimestamp":"2026-11-27T10:09:00.000Z","message":"poll cycle"}`}, {text: line('2026-11-27T10:00:07.500Z')}])).toBe(s(7.5));
    expect(lastCrashMs([{text: '{"message":"poll cycle"}'}])).toBeUndefined();
  });
});

describe('earlyCancels', () => {
  const job = (id: string, running: string, cancel: string) => ({
    name: `projects/1/locations/l/nasJobs/${id}`,
    states: [{state: 'JOB_STATE_PENDING', time: '2026-11-27T10:00:00Z'}, {state: 'JOB_STATE_RUNNING', time: running}],
    cancelRequests: [{time: cancel}],
  });
  const cancel = (id: string, ruleKind: string, limitSeconds: number, extra: Record<string, unknown> = {}): ReceivedEvent => ({
    id: `projects/p/locations/l/nasJobs/${id}/enforcement/cancel`, type: 'nasmon.nasjob.v1.enforcement', attributes: {}, receivedAtMs: 0,
    data: {jobName: `projects/p/locations/l/nasJobs/${id}`, action: 'cancel', rule: ruleKind === 'max-run-time' ? 'run-budget' : 'queue-budget', ruleKind, limitSeconds, ...extra},
  });

  it('measures each cancel on Vertex\'s clock from the rule\'s start, once per event id, and counts those before the limit', () => {
    const jobs = [job('1', '2026-11-27T10:00:05Z', '2026-11-27T10:00:30Z'), job('2', '2026-11-27T10:00:05Z', '2026-11-27T10:00:52Z'), job('3', '2026-11-27T10:00:50Z', '2026-11-27T10:00:41Z')];
    const r = earlyCancels([cancel('1', 'max-run-time', 45), cancel('1', 'max-run-time', 45), cancel('2', 'max-run-time', 45), cancel('3', 'max-queue-time', 40), cancel('9', 'max-run-time', 45)], jobs);
    expect(r).toEqual({
      cancels: 3, early: 1, maxEarlySeconds: 20, medianEarlySeconds: 20,
      examples: [{job: 'projects/1/locations/l/nasJobs/1', rule: 'run-budget', measuredSeconds: 25, limitSeconds: 45}],
    });
  });

  it('leaves out dry runs and warnings', () => {
    const jobs = [job('1', '2026-11-27T10:00:05Z', '2026-11-27T10:00:10Z')];
    expect(earlyCancels([cancel('1', 'max-run-time', 45, {dryRun: true}), {...cancel('1', 'max-run-time', 45), id: 'w', data: {...cancel('1', 'max-run-time', 45).data, action: 'warn'}}], jobs).cancels).toBe(0);
  });
});

describe('classifyMissingEvents', () => {
  const entry = (eventId: string, observed: number): RecordedTransition => ({
    job: 'j', docId: eventId, sequence: 1, state: 'JOB_STATE_RUNNING', previousState: null, observedTime: new Date(observed).toISOString(), skipped: false, eventId,
  });
  it('sets apart records observed shortly before the Pub/Sub emulator was killed', () => {
    const events = [{id: 'e1', type: 't', attributes: {}, data: {}, receivedAtMs: 0}];
    const r = classifyMissingEvents([entry('e1', s(10)), entry('e2', s(45)), entry('e3', s(49.9)), entry('e4', s(50)), entry('e5', s(20))], events, [s(50)], 10_000);
    expect(r).toEqual({total: 4, nearShut: 2, other: 2, bandSeconds: 10});
  });
});

describe('chaos scenarios', () => {
  it('every name builds, and only faults that make things late or unreachable excuse anything', () => {
    const excusing = CHAOS_SCENARIOS.filter(name => chaosScenario(name).excuses);
    expect(excusing).toEqual(['sim-faults', 'firestore-restart', 'pubsub-restart', 'crash-functions']);
  });

  it('merges what the stack needs', () => {
    expect(stackNeeds(['firestore-restart', 'pubsub-restart', 'duplicate-delivery', 'clock-skew', 'firestore-restart'].map(name => chaosScenario(name as never)))).toEqual({
      restartable: ['firestore', 'pubsub'], deliveryChaos: {duplicateRate: 0.1, delayRate: 0.1, maxDelayMs: 3000}, clockOffsetSeconds: -20,
    });
    expect(stackNeeds([chaosScenario('sim-faults')])).toEqual({});
    const armed = {NASMON_CRASH_POINTS: crashPointsEnv()};
    expect(stackNeeds([chaosScenario('crash-functions')])).toEqual({functionEnv: {pollTarget: armed, enforce: armed, enforceTick: armed}});
  });

  it('arms every crash point', () => {
    expect(crashPointsEnv().split(',').map(part => part.split('=')[0])).toEqual([
      'poll.midPagination', 'poll.afterCommit', 'poll.afterPublish', 'enforce.afterCommit', 'enforce.beforeCancel', 'enforce.midCancel',
    ]);
  });
});
