import {describe, expect, it} from 'vitest';
import {
  openGroup, planClaim, planFinish, planJoin, planRedelivery, planRelease, SENDING_POLL_MS, type Group,
} from '../../../../shared/core/notify/group-state.js';

const timing = {windowMs: 30_000, leaseMs: 120_000};
const T = 1_000_000;
/** Group 1, opened at T by invocation `a`. */
const open1: Group = {gen: 1, state: 'open', holder: 'a', openedAtMs: T, flushAtMs: T + 30_000, leaseUntilMs: T + 150_000};
/** Group 1 frozen and being sent by `a` since T + 30 s. */
const sending1: Group = {...open1, state: 'sending', leaseUntilMs: T + 150_000};
/** Group 2, opened by `b` while group 1 was being sent. */
const open2: Group = {gen: 2, state: 'open', holder: 'b', openedAtMs: T + 31_000, flushAtMs: T + 61_000, leaseUntilMs: T + 181_000};

describe('openGroup and planJoin', () => {
  it('opens a group its opener holds until the window has passed', () => {
    expect(openGroup(1, 'a', T, timing)).toEqual(open1);
  });

  it('lets a new event join an open group without taking any duty', () => {
    expect(planJoin(open1, 'b', T + 5000, timing)).toEqual({kind: 'join'});
  });

  it('opens the next group when the newest is being sent, sent or refused', () => {
    for (const state of ['sending', 'sent', 'rejected'] as const) expect(planJoin({...open1, state}, 'b', T + 40_000, timing)).toEqual({kind: 'open-next'});
    expect(planJoin(undefined, 'b', T, timing)).toEqual({kind: 'open-next'});
  });

  it('makes a new event take over an open group whose holder stopped renewing its lease', () => {
    expect(planJoin(open1, 'b', T + 150_000, timing)).toEqual({kind: 'join', takeOver: {...open1, holder: 'b', leaseUntilMs: T + 270_000}});
  });
});

describe('planRedelivery', () => {
  it('settles a redelivery whose group was sent or refused', () => {
    expect(planRedelivery({...open1, state: 'sent'}, 'c', T + 60_000, timing)).toEqual({status: 'settled', duties: {}});
    expect(planRedelivery({...open1, state: 'rejected'}, 'c', T + 60_000, timing)).toEqual({status: 'settled', duties: {}});
  });

  it('keeps a redelivery watching a group that is still pending: open until its window ends, sending every poll', () => {
    expect(planRedelivery(open1, 'c', T + 5000, timing)).toEqual({status: 'pending', duties: {watch: {gen: 1, untilMs: T + 30_000}}});
    expect(planRedelivery(sending1, 'c', T + 40_000, timing)).toEqual({status: 'pending', duties: {watch: {gen: 1, untilMs: T + 40_000 + SENDING_POLL_MS}}});
  });

  it('never watches past the holder\'s lease', () => {
    expect(planRedelivery(sending1, 'c', T + 149_500, timing).duties).toEqual({watch: {gen: 1, untilMs: T + 150_000}});
  });

  it('takes over an abandoned group: an open one to flush, a sending one to send again', () => {
    expect(planRedelivery(open1, 'c', T + 150_000, timing)).toEqual({status: 'pending', takeOver: {...open1, holder: 'c', leaseUntilMs: T + 270_000}, duties: {flushOpen: 1}});
    expect(planRedelivery(sending1, 'c', T + 150_000, timing)).toEqual({status: 'pending', takeOver: {...sending1, holder: 'c', leaseUntilMs: T + 270_000}, duties: {resend: 1}});
  });
});

describe('planClaim', () => {
  it('makes the holder wait until the window has passed', () => {
    expect(planClaim(open1, undefined, 'a', T + 10_000, timing)).toEqual({kind: 'wait', untilMs: T + 30_000});
  });

  it('freezes the group for sending once the window has passed', () => {
    expect(planClaim(open1, undefined, 'a', T + 30_000, timing)).toEqual({kind: 'claimed', group: {...open1, state: 'sending', leaseUntilMs: T + 150_000}});
  });

  it('tells an invocation that lost its group to stop', () => {
    expect(planClaim(open1, undefined, 'b', T + 30_000, timing)).toEqual({kind: 'lost'});
    expect(planClaim(sending1, undefined, 'a', T + 30_000, timing)).toEqual({kind: 'lost'});
  });

  it('sends after the previous group of the channel: waits while it is being sent, takes it over once abandoned', () => {
    expect(planClaim(open2, sending1, 'b', T + 61_000, timing)).toEqual({kind: 'wait', untilMs: T + 61_000 + SENDING_POLL_MS});
    expect(planClaim(open2, sending1, 'b', T + 150_000, timing)).toEqual({kind: 'resend-previous', previous: {...sending1, holder: 'b', leaseUntilMs: T + 270_000}});
    expect(planClaim(open2, {...sending1, state: 'sent'}, 'b', T + 61_000, timing)).toMatchObject({kind: 'claimed'});
  });
});

describe('planFinish and planRelease', () => {
  it('ends the group its holder sent, as sent or refused', () => {
    expect(planFinish(sending1, 'a', 'rejected')).toEqual({...sending1, state: 'rejected'});
  });

  it('changes nothing when the group was taken over meanwhile', () => {
    expect(planFinish({...sending1, holder: 'c'}, 'a', 'sent')).toBeUndefined();
  });

  it('hands a group back at once, only by its holder and only while pending', () => {
    expect(planRelease(sending1, 'a', T + 35_000)).toEqual({...sending1, leaseUntilMs: T + 35_000});
    expect(planRelease(sending1, 'z', T + 35_000)).toBeUndefined();
    expect(planRelease({...sending1, state: 'sent'}, 'a', T + 35_000)).toBeUndefined();
  });
});
