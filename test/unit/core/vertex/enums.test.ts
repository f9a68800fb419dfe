import {describe, expect, it} from 'vitest';
import {
  ACCELERATOR_TYPE,
  GOAL_TYPE,
  JOB_STATE,
  JOB_STATES,
  MULTI_TRIAL_ALGORITHM,
  SCHEDULING_STRATEGY,
  TRIAL_STATE,
} from '../../../../shared/core/vertex/enums.js';
import {
  classifyJobState,
  isActiveJobState,
  isRunningTrialState,
  isTerminalJobState,
  isTerminalTrialState,
} from '../../../../shared/core/vertex/job-state.js';
import {decodeEnum, enumName, isUnknownEnum, UnknownEnum} from '../../../../shared/core/vertex/proto-enum.js';

describe('proto enums', () => {
  it.each([
    [JOB_STATE, 'JOB_STATE_UNSPECIFIED', 0],
    [JOB_STATE, 'JOB_STATE_CANCELLED', 7],
    [JOB_STATE, 'JOB_STATE_PARTIALLY_SUCCEEDED', 11],
    [TRIAL_STATE, 'INFEASIBLE', 5],
    [GOAL_TYPE, 'MINIMIZE', 2],
    [MULTI_TRIAL_ALGORITHM, 'GRID_SEARCH', 2],
    [ACCELERATOR_TYPE, 'TPU_V2', 6],
    [ACCELERATOR_TYPE, 'NVIDIA_TESLA_A100', 8],
    [ACCELERATOR_TYPE, 'NVIDIA_L4', 11],
    [ACCELERATOR_TYPE, 'NVIDIA_RTX_PRO_6000', 18],
    [SCHEDULING_STRATEGY, 'FLEX_START', 6],
  ] as const)('maps %#: %s ↔ %i both ways', (def, name, number) => {
    expect((def.numberOf as Record<string, number>)[name]).toBe(number);
    expect(def.nameOf.get(number)).toBe(name);
  });

  it('numbers JobState by position, 0 to 11', () => {
    expect(JOB_STATES.map(name => JOB_STATE.numberOf[name])).toEqual([...Array(12).keys()]);
  });

  it.each([
    ['a known name', 'JOB_STATE_RUNNING', 'JOB_STATE_RUNNING'],
    ['a known number', 3, 'JOB_STATE_RUNNING'],
    ['zero', 0, 'JOB_STATE_UNSPECIFIED'],
  ])('decodes %s to its name', (_, raw, expected) => {
    expect(decodeEnum(JOB_STATE, raw)).toBe(expected);
  });

  it.each([
    ['a future name', 'JOB_STATE_HIBERNATING'],
    ['a future number', 42],
    ['a negative number', -1],
    ['a lower-case name', 'job_state_running'],
  ])('keeps %s as a visible UnknownEnum instead of a wrong known state', (_, raw) => {
    const value = decodeEnum(JOB_STATE, raw);
    expect(isUnknownEnum(value)).toBe(true);
    expect(value).toEqual(new UnknownEnum('JobState', raw));
    expect(JSON.stringify({state: value})).toBe(JSON.stringify({state: raw}));
    expect(enumName(value!)).toBe(String(raw));
  });

  it.each([[1.5], [true], [null], [{}], [[]], [Number.NaN]])('rejects %j, which is not an enum at all', raw => {
    expect(decodeEnum(JOB_STATE, raw)).toBeUndefined();
  });
});

describe('classifyJobState', () => {
  it.each([
    ['JOB_STATE_UNSPECIFIED', 'unknown'],
    ['JOB_STATE_QUEUED', 'active'],
    ['JOB_STATE_PENDING', 'active'],
    ['JOB_STATE_RUNNING', 'active'],
    ['JOB_STATE_SUCCEEDED', 'terminal'],
    ['JOB_STATE_FAILED', 'terminal'],
    ['JOB_STATE_CANCELLING', 'active'],
    ['JOB_STATE_CANCELLED', 'terminal'],
    ['JOB_STATE_PAUSED', 'terminal'],
    ['JOB_STATE_EXPIRED', 'terminal'],
    ['JOB_STATE_UPDATING', 'active'],
    ['JOB_STATE_PARTIALLY_SUCCEEDED', 'terminal'],
  ] as const)('classifies %s as %s', (state, expected) => {
    expect(classifyJobState(state)).toBe(expected);
    expect(isTerminalJobState(state)).toBe(expected === 'terminal');
    expect(isActiveJobState(state)).toBe(expected === 'active');
  });

  it('classifies an unknown value as unknown, neither active nor terminal', () => {
    const state = new UnknownEnum('JobState', 12);
    expect(classifyJobState(state)).toBe('unknown');
    expect(isTerminalJobState(state) || isActiveJobState(state)).toBe(false);
  });
});

describe('trial state helpers', () => {
  it.each([
    ['STATE_UNSPECIFIED', false, false],
    ['REQUESTED', true, false],
    ['ACTIVE', true, false],
    ['STOPPING', true, false],
    ['SUCCEEDED', false, true],
    ['INFEASIBLE', false, true],
  ] as const)('treats %s as running=%s, terminal=%s', (state, running, terminal) => {
    expect(isRunningTrialState(state)).toBe(running);
    expect(isTerminalTrialState(state)).toBe(terminal);
  });

  it('treats an unknown trial state as neither running nor terminal', () => {
    const state = new UnknownEnum('NasTrial.State', 'FAILED');
    expect([isRunningTrialState(state), isTerminalTrialState(state)]).toEqual([false, false]);
  });
});
