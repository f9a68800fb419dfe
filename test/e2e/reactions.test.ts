// Issue 5's proof, end to end and wired as in production (reactions.support.ts): the simulator runs a
// job that overruns its 10 s run-time limit and one that fails for lack of capacity; the pollers,
// driven by scheduler ticks, publish what they see on the events topic; Pub/Sub push subscriptions
// deliver the events into the running notify and enforce functions, and enforce's own ticks into
// enforceTick. Everything asserted is compared with what actually happened (the simulator's true
// history and job, the audit trail, the events on the topic), never with a scripted outcome.
import {afterAll, beforeAll, expect, it} from 'vitest';
import {COLLECTIONS} from '../../shared/adapters/firestore/collections.js';
import {notifyDocId} from '../../shared/adapters/firestore/notify-docs.js';
import {describeWithEmulators, testProjectId} from '../harness/emulators.js';
import {storedHistory, trueHistory} from '../integration/poller.support.js';
import {HOOK, startReactionsStack, waitFor, type ReactionsStack, type SeededJob} from './reactions.support.js';

const projectId = testProjectId(import.meta.url);
const ENFORCEMENT = 'nasmon.nasjob.v1.enforcement';
const STATE_CHANGED = 'nasmon.nasjob.v1.stateChanged';
/** Longer than two poll cycles and two enforce ticks: time for a duplicate to show up. */
const QUIET_MS = 3000;
/** The vision team's channels in the policy (test/fixtures/policy/reactions.yaml). */
const CHANNELS = ['vision-slack', 'vision-mail'];

describeWithEmulators('reactions, end to end', () => {
  let stack: ReactionsStack;
  let overrun: SeededJob;
  let failing: SeededJob;
  // As a consumer sees them, de-duplicated by ce-id; the last test checks that nothing was published twice.
  const actionsOf = (job: string) => [...new Map(stack.events.filter(e => e.type === ENFORCEMENT && e.job === job).map(e => [e.id, String(e.data.action)])).values()];
  const slackAbout = (job: SeededJob) => stack.slack.accepted(HOOK).filter(message => JSON.stringify(message.blocks).includes(job.name));
  const mailAbout = (job: SeededJob) => stack.smtp.mails.filter(mail => mail.subject.includes(`${job.displayName}:`));
  const sentGroupsOf = async (job: SeededJob, channel: string) =>
    (await stack.firestore.collection(COLLECTIONS.notifyHeads).doc(notifyDocId(job.name, channel)).collection(COLLECTIONS.notifyGroups).get())
      .docs.map(doc => ({state: String(doc.get('state')), eventIds: (doc.get('eventIds') ?? []) as string[]}));
  const auditOf = async (job: SeededJob) =>
    (await stack.firestore.collection('nasmonAudit').where('target', '==', job.name).orderBy('at').get()).docs.map(doc => doc.data());

  beforeAll(async () => {
    stack = await startReactionsStack(projectId);
    overrun = await stack.seed('stuck-running', 'overrun-search');
    failing = await stack.seed('fail-capacity', 'capacity-search');
    stack.startSchedulers();
  }, 60_000);

  afterAll(async () => stack?.close(), 30_000);

  it('warns about the overrunning job, cancels it through Vertex at its limit, and confirms it CANCELLED', async () => {
    await waitFor('cancel-confirmed', () => actionsOf(overrun.name).includes('cancel-confirmed'), 40_000);

    expect(actionsOf(overrun.name)).toEqual(['warn', 'cancel', 'cancel-confirmed']);
    expect((await stack.sim.stats()).byMethod['nasJobs.cancel']).toBe(1);
    const truth = (await trueHistory(stack.sim)).get(overrun.name)!;
    expect(truth.states.map(s => s.state).slice(-3)).toEqual(['JOB_STATE_RUNNING', 'JOB_STATE_CANCELLING', 'JOB_STATE_CANCELLED']);
    // Warned from 80 % of the limit on, cancelled only once the 10 s had passed since the true start.
    const started = Date.parse(truth.states.find(s => s.state === 'JOB_STATE_RUNNING')!.time);
    const cancelling = Date.parse(truth.states.find(s => s.state === 'JOB_STATE_CANCELLING')!.time);
    const audit = await auditOf(overrun);
    const warn = audit.find(entry => entry.action === 'warn')!;
    expect(Date.parse(String(warn.time)) - started).toBeGreaterThanOrEqual(8000);
    expect(Date.parse(String(warn.time))).toBeLessThan(cancelling);
    expect(cancelling - started).toBeGreaterThanOrEqual(10_000);
  }, 45_000);

  it('reports the failed job once on Slack and once by email, with the error Vertex gave', async () => {
    await waitFor('the failure on Slack and by email', () => slackAbout(failing).length > 0 && mailAbout(failing).length > 0, 30_000);
    await new Promise(resolve => setTimeout(resolve, QUIET_MS));

    const job = (await stack.sim.rawGet(`/v1/${failing.name}`)) as {state: string; error: {message: string}};
    expect(job.state).toBe('JOB_STATE_FAILED');
    const [message, ...moreSlack] = slackAbout(failing);
    expect(moreSlack).toEqual([]);
    expect(message!.text).toMatch(new RegExp(`^:x: ${failing.displayName}: .*FAILED`));
    expect(JSON.stringify(message!.blocks)).toContain(job.error.message);
    const [mail, ...moreMail] = mailAbout(failing);
    expect(moreMail).toEqual([]);
    expect(mail!.to).toEqual(['vision-oncall@example.com']);
    expect(mail!.text).toContain(job.error.message);
  }, 45_000);

  it('shows every step exactly once: in the events, the job history, the audit trail and the notifications', async () => {
    // What the default routes send the team: enforcement actions and terminal states.
    const notifiedIds = () => [...new Set(stack.events.filter(e => e.job === overrun.name &&
      (e.type === ENFORCEMENT || (e.type === STATE_CHANGED && e.data.state === 'JOB_STATE_CANCELLED'))).map(e => e.id))].sort();
    const allSent = async () => {
      const wanted = notifiedIds();
      const channels = await Promise.all(CHANNELS.map(channel => sentGroupsOf(overrun, channel)));
      return wanted.some(id => id.includes('/state/')) && channels.every(groups =>
        groups.every(group => group.state === 'sent') && wanted.every(id => groups.some(group => group.eventIds.includes(id))));
    };
    await waitFor("the overrunning job's notifications", allSent, 20_000);
    await new Promise(resolve => setTimeout(resolve, QUIET_MS));

    // Events: a stable ce-id per step, so a second publication of any step would repeat one.
    const published = new Map<string, number>();
    for (const event of stack.events) published.set(event.id, (published.get(event.id) ?? 0) + 1);
    expect([...published].filter(([, times]) => times > 1)).toEqual([]);
    expect(stack.tickFailures).toEqual([]);
    const truths = await trueHistory(stack.sim);
    for (const job of [overrun, failing]) {
      const changes = stack.events.filter(e => e.type === STATE_CHANGED && e.job === job.name).sort((a, b) => Number(a.data.sequence) - Number(b.data.sequence));
      const trueStates = truths.get(job.name)!.states.map(s => s.state);
      expect(changes.map(e => e.data.sequence)).toEqual(changes.map((_, i) => i + 1));
      expect(isInOrderWithin(changes.map(e => String(e.data.state)), trueStates)).toBe(true);
      expect(changes.at(-1)!.data.state).toBe(trueStates.at(-1));
      expect((await storedHistory(stack.firestore, job.name)).map(entry => entry.eventId)).toEqual(changes.map(e => e.id));
    }

    // The audit trail: each action once, each published action's event received once.
    const audit = await auditOf(overrun);
    expect(audit.map(entry => entry.key)).toEqual(['max-run/warn/0.8', 'cancel', 'cancel-attempt/1', 'cancel-confirmed']);
    const enforcement = stack.events.filter(e => e.type === ENFORCEMENT);
    expect(enforcement.map(e => e.id).sort()).toEqual(audit.filter(entry => entry.eventId).map(entry => String(entry.eventId)).sort());
    expect(await auditOf(failing)).toEqual([]);

    // Notifications: each of those events in exactly one message per channel (a burst may share one),
    // and the receivers got exactly the messages notify recorded as sent.
    const groups = {slack: await sentGroupsOf(overrun, 'vision-slack'), mail: await sentGroupsOf(overrun, 'vision-mail')};
    for (const sent of Object.values(groups)) expect(sent.flatMap(group => group.eventIds).sort()).toEqual(notifiedIds());
    expect(slackAbout(overrun)).toHaveLength(groups.slack.length);
    expect(mailAbout(overrun)).toHaveLength(groups.mail.length);
    expect(slackAbout(failing)).toHaveLength(1);
    expect(mailAbout(failing)).toHaveLength(1);
  }, 45_000);
});

/** True when `seen` lists states of `truth` in its order, each at most once (polling may skip some). */
function isInOrderWithin(seen: readonly string[], truth: readonly string[]): boolean {
  let at = 0;
  for (const state of seen) {
    const found = truth.indexOf(state, at);
    if (found < 0) return false;
    at = found + 1;
  }
  return true;
}
