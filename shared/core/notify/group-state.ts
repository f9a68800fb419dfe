// The delivery protocol of notify, as pure decisions over the groups of one (job, channel). The
// store applies each decision inside a Firestore transaction, so concurrent invocations and Pub/Sub
// redeliveries see one order (README, "Notifications": delivery semantics and grouping).
//
// - An event is recorded once per channel: its delivery record is created with a precondition, so
//   a redelivery finds the record and adds nothing.
// - Records join the channel's newest group while it is *open*. The invocation that opened it (its
//   holder) waits until `flushAtMs`, the end of the grouping window, then *claims* it: the group
//   becomes *sending*, frozen, and later events open the next group. A group ends *sent*, or
//   *rejected* when the channel refused it for good.
// - Opening creates the group and the opener's record in one batch with preconditions (one opener
//   wins at once, the others join), and joining only reads the group, so a burst's concurrent
//   invocations do not fight over one document.
// - Every open or sending group has a lease. A holder that crashes stops renewing it; its own event
//   was never acknowledged, so Pub/Sub redelivers it, and that invocation watches the group until it
//   is sent or its lease runs out, then takes it over (so does the holder of the next group). A sending group taken over is sent again: delivery is at least once,
//   with a duplicate only when a sender dies after the provider accepted the message and before it
//   recorded `sent`.

/** Where a group is in its life. */
export type GroupState = 'open' | 'sending' | 'sent' | 'rejected';

/** One group of events for a (job, channel), numbered 1, 2, 3… */
export interface Group {
  readonly gen: number;
  readonly state: GroupState;
  /** The invocation responsible for it while it is open or sending. */
  readonly holder: string;
  readonly openedAtMs: number;
  readonly flushAtMs: number;
  readonly leaseUntilMs: number;
}

/** The grouping window and how long a holder may take before others take over. */
export interface GroupTiming {
  readonly windowMs: number;
  readonly leaseMs: number;
}

/** What an invocation has become responsible for. */
export interface Duties {
  /** Wait for the end of this open group's window, then send it. */
  readonly flushOpen?: number;
  /** Send this frozen group again: its sender stopped renewing its lease. */
  readonly resend?: number;
  /**
   * Look at this group again at `untilMs`: a redelivered event is acknowledged only once its group
   * is sent, so that if its holder died, this redelivery is the one that takes over.
   */
  readonly watch?: {readonly gen: number; readonly untilMs: number};
}

/** How often a holder looks again while the previous group of its channel is still being sent. */
export const SENDING_POLL_MS = 1000;

const isExpired = (group: Group, nowMs: number) => group.leaseUntilMs <= nowMs;
const isSettled = (group: Group) => group.state === 'sent' || group.state === 'rejected';

/** A new open group; its opener holds it until its window has passed. */
export function openGroup(gen: number, me: string, nowMs: number, timing: GroupTiming): Group {
  return {gen, state: 'open', holder: me, openedAtMs: nowMs, flushAtMs: nowMs + timing.windowMs, leaseUntilMs: nowMs + timing.windowMs + timing.leaseMs};
}

/** The decision for a new event and the channel's newest group. */
export type JoinPlan =
  | {readonly kind: 'join'; readonly takeOver?: Group}
  | {readonly kind: 'open-next'};

/** A new event joins the newest group while it is open (taking it over if abandoned), else opens the next. */
export function planJoin(newest: Group | undefined, me: string, nowMs: number, timing: GroupTiming): JoinPlan {
  if (newest?.state !== 'open') return {kind: 'open-next'};
  if (!isExpired(newest, nowMs)) return {kind: 'join'};
  return {kind: 'join', takeOver: {...newest, holder: me, leaseUntilMs: Math.max(newest.flushAtMs, nowMs) + timing.leaseMs}};
}

/** The decision for an event whose delivery record already exists. */
export interface RedeliveryPlan {
  /** `pending`: its group is not sent yet; `settled`: it was sent (or refused for good). */
  readonly status: 'pending' | 'settled';
  readonly takeOver?: Group;
  readonly duties: Duties;
}

/**
 * A redelivered event adds nothing. While its group is pending it keeps watching it (a holder that
 * is alive finishes; one that died leaves its lease to expire), and takes it over once abandoned.
 */
export function planRedelivery(group: Group | undefined, me: string, nowMs: number, timing: GroupTiming): RedeliveryPlan {
  if (!group || isSettled(group)) return {status: 'settled', duties: {}};
  if (!isExpired(group, nowMs)) {
    const earliest = group.state === 'open' ? Math.max(group.flushAtMs, nowMs + SENDING_POLL_MS) : nowMs + SENDING_POLL_MS;
    return {status: 'pending', duties: {watch: {gen: group.gen, untilMs: Math.min(group.leaseUntilMs, earliest)}}};
  }
  if (group.state === 'open') {
    return {status: 'pending', takeOver: {...group, holder: me, leaseUntilMs: Math.max(group.flushAtMs, nowMs) + timing.leaseMs}, duties: {flushOpen: group.gen}};
  }
  return {status: 'pending', takeOver: {...group, holder: me, leaseUntilMs: nowMs + timing.leaseMs}, duties: {resend: group.gen}};
}

/** The decision of {@link planClaim}. */
export type ClaimPlan =
  | {readonly kind: 'lost'}
  | {readonly kind: 'wait'; readonly untilMs: number}
  | {readonly kind: 'resend-previous'; readonly previous: Group}
  | {readonly kind: 'claimed'; readonly group: Group};

/**
 * The holder of an open group freezes it for sending once its window has passed, and only after the
 * channel's previous group is out, so a job's messages arrive in order.
 */
export function planClaim(group: Group | undefined, previous: Group | undefined, me: string, nowMs: number, timing: GroupTiming): ClaimPlan {
  if (!group || group.state !== 'open' || group.holder !== me) return {kind: 'lost'};
  if (nowMs < group.flushAtMs) return {kind: 'wait', untilMs: group.flushAtMs};
  if (previous?.state === 'sending') {
    if (!isExpired(previous, nowMs)) return {kind: 'wait', untilMs: Math.min(previous.leaseUntilMs, nowMs + SENDING_POLL_MS)};
    return {kind: 'resend-previous', previous: {...previous, holder: me, leaseUntilMs: nowMs + timing.leaseMs}};
  }
  return {kind: 'claimed', group: {...group, state: 'sending', leaseUntilMs: nowMs + timing.leaseMs}};
}

/** Ends a sending group its holder sent (or saw refused); undefined when it was taken over meanwhile. */
export function planFinish(group: Group | undefined, me: string, outcome: 'sent' | 'rejected'): Group | undefined {
  if (!group || group.state !== 'sending' || group.holder !== me) return undefined;
  return {...group, state: outcome};
}

/**
 * After a failure Pub/Sub will retry: the holder hands its group back (the lease ends now), so the
 * redelivery, or any other invocation, takes it over at once instead of after the lease.
 */
export function planRelease(group: Group | undefined, me: string, nowMs: number): Group | undefined {
  if (!group || isSettled(group) || group.holder !== me) return undefined;
  return {...group, leaseUntilMs: Math.min(group.leaseUntilMs, nowMs)};
}
