// NotifyStore on Firestore, applying the decisions of core/notify/group-state.ts. Joining a group is
// a transaction that reads the group and creates the event's record, so the concurrent invocations
// of a burst only ever read the shared document; opening one is a batch of two creates with
// preconditions, which fails at once for all but one opener instead of deadlocking them.
import {Timestamp, type Firestore, type Transaction} from '@google-cloud/firestore';
import {openGroup, planClaim, planFinish, planJoin, planRedelivery, planRelease, type GroupTiming} from '../../core/notify/group-state.js';
import type {NotifyEvent} from '../../core/notify/notify-event.js';
import {MAX_GROUP_EVENTS} from '../../use-cases/notify/deliver-group.js';
import type {EnqueueResult, GroupKey, NotifyStore} from '../../use-cases/notify/notify-ports.js';
import {COLLECTIONS} from './collections.js';
import {deliveryDoc, eventOfDelivery, groupDoc, groupIdOf, headIdOf, NOTIFY_RETENTION_MS, notifyDocId, readGroup} from './notify-docs.js';

const ALREADY_EXISTS = 6;
// Each step either settles the event, moves one group on (a stale hint), or loses an opening race.
const MAX_STEPS = 20;

type JoinStep = {readonly kind: 'done'; readonly result: EnqueueResult} | {readonly kind: 'advance'} | {readonly kind: 'open'};

/** Creates the Firestore notify store. */
export function createFirestoreNotifyStore({firestore}: {firestore: Firestore}): NotifyStore {
  const headRef = (key: GroupKey) => firestore.collection(COLLECTIONS.notifyHeads).doc(headIdOf(key));
  const groupRef = (key: GroupKey, gen: number) => headRef(key).collection(COLLECTIONS.notifyGroups).doc(groupIdOf(gen));
  const recordRef = (key: GroupKey, eventId: string) => firestore.collection(COLLECTIONS.notifyDeliveries).doc(notifyDocId(eventId, key.channel));

  async function joinStep(tx: Transaction, key: GroupKey, event: NotifyEvent, gen: number, holder: string, nowMs: number, timing: GroupTiming): Promise<JoinStep> {
    const [record, newest, next] = await tx.getAll(recordRef(key, event.id), groupRef(key, gen), groupRef(key, gen + 1));
    if (record!.exists) {
      // Redelivered: look at the group the event joined back then.
      const recordGen: unknown = record!.get('gen');
      if (typeof recordGen !== 'number' || !Number.isSafeInteger(recordGen)) return {kind: 'done', result: {status: 'settled', duties: {}}};
      const snapshot = recordGen === gen ? newest! : recordGen === gen + 1 ? next! : await tx.get(groupRef(key, recordGen));
      const plan = planRedelivery(readGroup(snapshot), holder, nowMs, timing);
      if (plan.takeOver) tx.update(groupRef(key, recordGen), groupDoc(plan.takeOver, nowMs));
      return {kind: 'done', result: {status: plan.status, duties: plan.duties}};
    }
    if (next!.exists) return {kind: 'advance'};
    const plan = planJoin(readGroup(newest!), holder, nowMs, timing);
    if (plan.kind === 'open-next') return {kind: 'open'};
    tx.create(recordRef(key, event.id), deliveryDoc(key, event, gen, nowMs));
    if (plan.takeOver) tx.update(groupRef(key, gen), groupDoc(plan.takeOver, nowMs));
    return {kind: 'done', result: {status: 'added', duties: plan.takeOver ? {flushOpen: gen} : {}}};
  }

  return {
    async enqueue(key, event, holder, nowMs, timing) {
      const hint: unknown = (await headRef(key).get()).get('lastGen');
      let gen = typeof hint === 'number' && Number.isSafeInteger(hint) && hint > 0 ? hint : 0;
      for (let step = 0; step < MAX_STEPS; step++) {
        const outcome = await firestore.runTransaction(tx => joinStep(tx, key, event, gen, holder, nowMs, timing));
        if (outcome.kind === 'done') return outcome.result;
        if (outcome.kind === 'advance') {
          gen += 1;
          continue;
        }
        const batch = firestore.batch();
        batch.create(groupRef(key, gen + 1), groupDoc(openGroup(gen + 1, holder, nowMs, timing), nowMs));
        batch.create(recordRef(key, event.id), deliveryDoc(key, event, gen + 1, nowMs));
        try {
          await batch.commit();
        } catch (error) {
          if ((error as {code?: unknown}).code !== ALREADY_EXISTS) throw error;
          // Another opener won (join its group next), or a duplicate of this event got in first
          // (the next step finds the record whatever the group).
          gen += 1;
          continue;
        }
        await headRef(key).set({subject: key.subject, channel: key.channel, lastGen: gen + 1,
          expireAt: Timestamp.fromMillis(nowMs + NOTIFY_RETENTION_MS)}, {merge: true});
        return {status: 'added', duties: {flushOpen: gen + 1}};
      }
      throw new Error(`could not record ${event.id} for ${key.channel} in ${MAX_STEPS} steps`);
    },

    claim: (key, gen, holder, nowMs, timing) => firestore.runTransaction(async tx => {
      const [group, previous] = await tx.getAll(groupRef(key, gen), groupRef(key, gen - 1));
      const plan = planClaim(readGroup(group!), readGroup(previous!), holder, nowMs, timing);
      if (plan.kind === 'claimed') tx.update(groupRef(key, gen), groupDoc(plan.group, nowMs));
      if (plan.kind === 'resend-previous') tx.update(groupRef(key, gen - 1), groupDoc(plan.previous, nowMs));
      return plan;
    }),

    async groupEvents(key, gen) {
      const group = `${headIdOf(key)}#${groupIdOf(gen)}`;
      const snapshot = await firestore.collection(COLLECTIONS.notifyDeliveries).where('group', '==', group).limit(MAX_GROUP_EVENTS).get();
      return snapshot.docs.map(eventOfDelivery).filter((event): event is NotifyEvent => event !== undefined);
    },

    finish: (key, gen, holder, nowMs, record) => firestore.runTransaction(async tx => {
      const next = planFinish(readGroup(await tx.get(groupRef(key, gen))), holder, record.outcome);
      if (!next) return false;
      tx.update(groupRef(key, gen), {
        ...groupDoc(next, nowMs), detail: record.detail ?? null, eventIds: record.eventIds.slice(0, 500),
        eventCount: record.eventIds.length, endedAt: Timestamp.fromMillis(nowMs),
      });
      return true;
    }),

    release: (key, gens, holder, nowMs) => firestore.runTransaction(async tx => {
      if (gens.length === 0) return;
      const snapshots = await tx.getAll(...gens.map(gen => groupRef(key, gen)));
      snapshots.forEach((snapshot, index) => {
        const next = planRelease(readGroup(snapshot), holder, nowMs);
        if (next) tx.update(groupRef(key, gens[index]!), groupDoc(next, nowMs));
      });
    }),
  };
}
