// The ground-truth checker on made-up records: a clean run passes, and each kind of violation,
// planted alone, is reported as that kind with a line that says what and where. A checker that
// cannot fail proves nothing, so every kind the report counts has at least one row here.
import {describe, expect, it} from 'vitest';
import {checkGroundTruth, type GroundTruthOptions} from './check-ground-truth.js';
import {FINDING_KINDS, type FindingKind} from './ground-truth-report.js';
import {at, cleanRun, JOBS, mutableRun, stateEvent, type Writable} from './synthetic-run.js';
import type {TruthRecords} from './truth-records.js';

const OPTIONS: GroundTruthOptions = {visibleAfterMs: 30_000};
type Run = Writable<TruthRecords>;

const historyOf = (run: Run, job: string) => run.history.filter(entry => entry.job === job);
const entryOf = (run: Run, job: string, sequence: number) => historyOf(run, job).find(entry => entry.sequence === sequence)!;
const eventIndex = (run: Run, id: string) => run.events.findIndex(event => event.id === id);
const trueJob = (run: Run, name: string) => run.truth.jobs.find(job => job.name === name)!;
const auditEntry = (run: Run, key: string) => run.audit.find(entry => entry.fields.key === key)!;
/** Removes a history entry and its event: as if nasmon never recorded that transition. */
function forget(run: Run, job: string, sequence: number): void {
  const entry = entryOf(run, job, sequence);
  run.history.splice(run.history.indexOf(entry), 1);
  run.events.splice(eventIndex(run, entry.eventId), 1);
}
/** Rebuilds a job's state events from its history, in sequence order, where the first of them arrived. */
function resyncEvents(run: Run, job: string): void {
  const at = run.events.findIndex(event => event.id.startsWith(`${job}/state/`));
  run.events = run.events.filter(event => !event.id.startsWith(`${job}/state/`));
  const rebuilt = historyOf(run, job).sort((a, b) => a.sequence - b.sequence).map(entry => stateEvent(entry, 0));
  run.events.splice(at, 0, ...rebuilt);
}
/** Sets a history entry's skipped flag, and its event's, so the two agree. */
function flag(run: Run, job: string, sequence: number, skipped: boolean): void {
  const entry = entryOf(run, job, sequence);
  entry.skipped = skipped;
  run.events[eventIndex(run, entry.eventId)]!.data.skipped = skipped;
}

describe('checkGroundTruth on a clean run', () => {
  it('passes with every count zero, having looked at every record', () => {
    const report = checkGroundTruth(cleanRun(), OPTIONS);
    expect(report.findings).toEqual([]);
    expect(report.passed).toBe(true);
    expect(Object.values(report.totals).every(count => count === 0)).toBe(true);
    expect(report.scanned).toEqual({
      jobs: 4, trueStates: 13, recordedTransitions: 12, events: 16, deliveries: 16, auditEntries: 4, servedCancels: 1,
    });
    expect(report.lines()[0]).toMatch(/^ground truth: PASSED — 4 jobs, 13 true states/);
  });

  it('takes a redelivery of the same content as at-least-once delivery, not a duplicate', () => {
    const run = mutableRun();
    run.events.push(structuredClone(run.events[3]!), structuredClone(run.events[0]!));
    // A redelivery of an earlier event after later ones is Pub/Sub's, not nasmon's, reordering.
    expect(checkGroundTruth(run, OPTIONS).passed).toBe(true);
  });
});

// Each row plants one violation; `kinds` is every kind the report must then count (nothing else).
type Row = [label: string, kinds: readonly FindingKind[], line: RegExp, plant: (run: Run) => void, options?: Partial<GroundTruthOptions>];

const rows: Row[] = [
  ['a true state held in plain sight that was never recorded', ['missed'], /JOB_STATE_RUNNING held 3m10s from .* never recorded/, run => {
    trueJob(run, JOBS.blink).states[2]!.time = at(390); // RUNNING now lasts 190 s
  }],
  ['a settled final state not recorded by the end', ['missed'], /final state JOB_STATE_SUCCEEDED .* not recorded by the end/, run => forget(run, JOBS.smooth, 3)],
  ['a deletion not recorded by the end', ['missed'], /final state DELETED .* not recorded by the end/, run => forget(run, JOBS.deleted, 3)],
  ['a skipped state without skipped: true', ['unflaggedGap'], /JOB_STATE_PENDING → JOB_STATE_FAILED \(sequence 2\) says skipped: false, but the job passed JOB_STATE_RUNNING/,
    run => flag(run, JOBS.blink, 2, false)],
  ['a CANCELLING held in plain sight, recorded as RUNNING → SUCCEEDED without skipped: true', ['missed', 'unflaggedGap'],
    /JOB_STATE_RUNNING → JOB_STATE_SUCCEEDED \(sequence 3\) says skipped: false, but the job passed JOB_STATE_CANCELLING/, run => {
      trueJob(run, JOBS.smooth).states.splice(2, 0, {state: 'JOB_STATE_CANCELLING', time: at(200)});
    }],
  ['skipped: true where nothing was skipped', ['falseFlag'], /JOB_STATE_PENDING → JOB_STATE_RUNNING \(sequence 2\) says skipped: true, but no state came between/,
    run => flag(run, JOBS.smooth, 2, true)],
  ['the same state recorded twice in a row', ['duplicate'], /JOB_STATE_SUCCEEDED recorded twice in a row \(sequence 3 and 4\)/, run => {
    const again = {...entryOf(run, JOBS.smooth, 3), docId: '000004', sequence: 4, previousState: 'JOB_STATE_SUCCEEDED', eventId: `${JOBS.smooth}/state/4`};
    run.history.push(again);
    run.events.push(stateEvent(again, 900));
  }],
  ['two history entries with one sequence', ['duplicate', 'orderViolation'], /2 history entries carry sequence 2/, run => {
    run.history.push({...entryOf(run, JOBS.smooth, 2), docId: '2'});
  }],
  ['two event ids for one transition', ['duplicate', 'eventWithoutRecord'], /2 event ids for sequence 2: .*\/state\/2, .*\/state\/2-again/, run => {
    const original = eventIndex(run, `${JOBS.smooth}/state/2`);
    run.events.splice(original + 1, 0, {...structuredClone(run.events[original]!), id: `${JOBS.smooth}/state/2-again`});
  }],
  ['one event id delivered with two contents', ['duplicate'], /delivered again with different content \(data.state\)/, run => {
    const redelivery = structuredClone(run.events[eventIndex(run, `${JOBS.smooth}/state/2`)]!);
    redelivery.data.state = 'JOB_STATE_FAILED';
    run.events.push(redelivery);
  }],
  ['a recorded state that was never true', ['missed', 'unflaggedGap', 'orderViolation'], /JOB_STATE_PAUSED \(sequence 2\) is not next in the true order/, run => {
    entryOf(run, JOBS.smooth, 2).state = 'JOB_STATE_PAUSED';
    entryOf(run, JOBS.smooth, 3).previousState = 'JOB_STATE_PAUSED';
    resyncEvents(run, JOBS.smooth);
  }],
  ['recorded states out of the true order', ['missed', 'orderViolation'], /JOB_STATE_RUNNING \(sequence 3\) is not next in the true order/, run => {
    // Seen SUCCEEDED, then RUNNING: a return to RUNNING the job never made.
    Object.assign(entryOf(run, JOBS.smooth, 2), {state: 'JOB_STATE_SUCCEEDED', skipped: true});
    Object.assign(entryOf(run, JOBS.smooth, 3), {state: 'JOB_STATE_RUNNING', previousState: 'JOB_STATE_SUCCEEDED'});
    resyncEvents(run, JOBS.smooth);
  }],
  ['sequences not increasing in document order', ['orderViolation'], /history document 000002 holds sequence 3/, run => {
    const [second, third] = [entryOf(run, JOBS.smooth, 2), entryOf(run, JOBS.smooth, 3)];
    [second.docId, third.docId] = [third.docId, second.docId];
  }],
  ['a gap in the sequence', ['orderViolation'], /the sequence jumps from 2 to 4/, run => {
    Object.assign(entryOf(run, JOBS.smooth, 3), {sequence: 4, docId: '000004'});
    resyncEvents(run, JOBS.smooth);
  }],
  ['a job\'s events arriving out of sequence order', ['orderViolation'], /stateChanged sequence 2 arrived after sequence 3/, run => {
    const [second, third] = [eventIndex(run, `${JOBS.smooth}/state/2`), eventIndex(run, `${JOBS.smooth}/state/3`)];
    [run.events[second], run.events[third]] = [run.events[third]!, run.events[second]!];
  }],
  ['an event without a history entry', ['eventWithoutRecord'], /stateChanged sequence 4 JOB_STATE_FAILED .* has no history entry/, run => {
    run.events.push(stateEvent({...entryOf(run, JOBS.smooth, 3), sequence: 4, state: 'JOB_STATE_FAILED', previousState: 'JOB_STATE_SUCCEEDED', eventId: `${JOBS.smooth}/state/4`}, 999));
  }],
  ['an event that disagrees with its history entry', ['eventWithoutRecord'], /stateChanged sequence 2 .* does not match its history entry: state JOB_STATE_RUNNING in history/, run => {
    run.events[eventIndex(run, `${JOBS.smooth}/state/2`)]!.data.state = 'JOB_STATE_CANCELLING';
  }],
  ['a recorded transition whose event never arrived', ['recordWithoutEvent'], /JOB_STATE_RUNNING \(sequence 2\) was recorded, but its event .*\/state\/2 never arrived/, run => {
    run.events.splice(eventIndex(run, `${JOBS.smooth}/state/2`), 1);
  }],
  ['a deletion whose event never arrived', ['recordWithoutEvent'], /DELETED \(sequence 3\) was recorded, but its event .*\/deleted\/3 never arrived/, run => {
    run.events.splice(eventIndex(run, `${JOBS.deleted}/deleted/3`), 1);
  }],
  ['a request event without a gate audit entry', ['eventWithoutRecord'], /request event .*\/requests\/a6c1e0b2-.* has no gate audit entry/, run => {
    run.audit = run.audit.filter(entry => entry.fields.source === 'enforce');
  }],
  ['a gate audit entry without its request event', ['recordWithoutEvent'], /gate audit entry a6c1e0b2-.* \(create allowed by dave@example.com\) has no request event/, run => {
    run.events = run.events.filter(event => event.type !== 'nasmon.nasjob.v1.request');
  }],
  ['a request event that disagrees with its audit entry', ['eventWithoutRecord'], /disagrees with its audit entry on verdict \(denied vs allowed\)/, run => {
    run.events.find(event => event.type === 'nasmon.nasjob.v1.request')!.data.verdict = 'denied';
  }],
  ['an enforcement event without an audit entry', ['eventWithoutRecord'], /enforcement event .*\/enforcement\/cancel-confirmed \(cancel-confirmed\) has no audit entry/, run => {
    run.audit.splice(run.audit.indexOf(auditEntry(run, 'cancel-confirmed')), 1);
  }],
  ['an enforcement audit entry without its event', ['recordWithoutEvent'], /enforcement audit entry enforce~.*~cancel \(cancel\) has no event/, run => {
    run.events.splice(eventIndex(run, `${JOBS.cancelled}/enforcement/cancel`), 1);
  }],
  ['the same action key audited twice', ['enforcementTwice'], /action cancel audited 2 times|2 cancel actions audited/, run => {
    run.audit.push({id: 'enforce~copy~cancel', fields: {...auditEntry(run, 'cancel').fields}});
  }],
  ['an action not marked done, so it could be taken again', ['enforcementTwice'], /action cancel-confirmed is audited but not marked done/, run => {
    run.enforcement[0]!.done = ['cancel'];
  }],
  ['a cancel sent twice', ['enforcementTwice'], /cancel sent to Vertex 2 times \(attempts 1, 2\), at most 1 allowed/, run => {
    run.enforcement[0]!.cancelAttempts = 2;
    run.audit.push({id: 'enforce~x~cancel-attempt~2', fields: {...auditEntry(run, 'cancel-attempt/1').fields, key: 'cancel-attempt/2', attempt: 2}});
  }],
  ['a cancel Vertex served more often than anyone sent one', ['enforcementTwice'], /Vertex served 2 cancels \(2 outside fault windows\), more than enforce's 1 claimed attempts, 0 allowed through the gate and 0 by the test/, run => {
    trueJob(run, JOBS.cancelled).cancelRequests!.push({time: at(530), effect: 'repeated'});
  }],
  ['a cancel nobody recorded', ['enforcementTwice'], /Vertex served 1 cancels .* more than enforce's 0 claimed attempts/, run => {
    trueJob(run, JOBS.smooth).cancelRequests!.push({time: at(200), effect: 'started'});
  }],
];

describe('checkGroundTruth reports each planted violation', () => {
  it('has a row for every kind of finding', () => {
    expect(new Set(rows.flatMap(([, kinds]) => kinds))).toEqual(new Set(FINDING_KINDS));
  });

  it.each(rows)('%s', (_, kinds, line, plant, options) => {
    const run = mutableRun();
    plant(run);
    const report = checkGroundTruth(run, {...OPTIONS, ...options});
    expect(report.passed).toBe(false);
    expect(FINDING_KINDS.filter(kind => report.totals[kind] > 0), report.format()).toEqual(FINDING_KINDS.filter(kind => kinds.includes(kind)));
    expect(report.findings.map(finding => finding.line), report.format()).toContainEqual(expect.stringMatching(line));
  });
});

describe('checkGroundTruth excuses what it should', () => {
  it.each<[string, (run: Run) => void, Partial<GroundTruthOptions>]>([
    ['a cancel whose outcome was never audited (the job settled first): the claim covers it', run => {
      run.audit.splice(run.audit.indexOf(auditEntry(run, 'cancel-attempt/1')), 1);
    }, {}],
    ['a first sighting in PENDING after a QUEUED too short to be seen (nothing in the job tells)', run => {
      trueJob(run, JOBS.smooth).states.unshift({state: 'JOB_STATE_QUEUED', time: at(-5)});
    }, {}],
    ['a CANCELLING between two polls that ended SUCCEEDED (RUNNING → SUCCEEDED is one step too)', run => {
      const states = trueJob(run, JOBS.smooth).states;
      states.splice(2, 0, {state: 'JOB_STATE_CANCELLING', time: at(398)});
    }, {}],
    ['a job created and deleted between two polls, never seen at all', run => {
      const job = trueJob(run, JOBS.deleted);
      job.states = [{state: 'JOB_STATE_PENDING', time: at(0)}, {state: 'JOB_STATE_FAILED', time: at(5)}];
      job.deleteTime = at(8);
      run.history = run.history.filter(entry => entry.job !== JOBS.deleted);
      run.events = run.events.filter(event => event.attributes['ce-nasjob'] !== JOBS.deleted);
    }, {visibleAfterMs: 20_000}],
    ['a state held in plain sight for less than visibleAfterMs', run => {
      trueJob(run, JOBS.blink).states[2]!.time = at(390);
    }, {visibleAfterMs: 200_000}],
    ['a state missed inside a declared fault window', run => {
      trueJob(run, JOBS.blink).states[2]!.time = at(390);
    }, {faultWindows: [{startMs: Date.parse(at(210)), endMs: Date.parse(at(370))}], faultMarginMs: 5_000}],
    ['a cancel served twice while a fault made the answer get lost', run => {
      trueJob(run, JOBS.cancelled).cancelRequests!.push({time: at(530), effect: 'repeated'});
    }, {faultWindows: [{startMs: Date.parse(at(529)), endMs: Date.parse(at(531))}]}],
    ['a cancel the test made itself', run => {
      trueJob(run, JOBS.smooth).cancelRequests!.push({time: at(200), effect: 'started'});
    }, {externalCancels: {[JOBS.smooth]: 1}}],
    ['a re-issued cancel when re-issues are allowed', run => {
      run.enforcement[0]!.cancelAttempts = 2;
      run.audit.push({id: 'enforce~x~cancel-attempt~2', fields: {...auditEntry(run, 'cancel-attempt/1').fields, key: 'cancel-attempt/2', attempt: 2}});
      trueJob(run, JOBS.cancelled).cancelRequests!.push({time: at(540), effect: 'repeated'});
    }, {allowedCancelsPerJob: 2}],
  ])('%s', (_, plant, options) => {
    const run = mutableRun();
    plant(run);
    const report = checkGroundTruth(run, {...OPTIONS, ...options});
    expect(report.findings, report.format()).toEqual([]);
  });
});

describe('the report', () => {
  it('prints a verdict, the totals, examples per kind and counts per job, without the noise of passing jobs', () => {
    const run = mutableRun();
    run.events.splice(eventIndex(run, `${JOBS.smooth}/state/2`), 1);
    run.events.splice(eventIndex(run, `${JOBS.smooth}/state/3`), 1);
    flag(run, JOBS.blink, 2, false);
    const lines = checkGroundTruth(run, OPTIONS).lines(1);
    expect(lines[0]).toMatch(/^ground truth: FAILED — 4 jobs/);
    expect(lines[1]).toBe('  missed 0, unflaggedGap 1, falseFlag 0, duplicate 0, orderViolation 0, eventWithoutRecord 0, recordWithoutEvent 2, enforcementTwice 0');
    expect(lines).toContain('  recordWithoutEvent (2):');
    expect(lines).toContain('    … and 1 more');
    expect(lines).toContain('  per job (2 with findings):');
    expect(lines).toContain('    nasJobs/1000000000000000001: recordWithoutEvent 2');
    expect(lines).toContain('    nasJobs/1000000000000000002: unflaggedGap 1');
    expect(lines.some(line => line.includes('1000000000000000003'))).toBe(false);
  });
});
