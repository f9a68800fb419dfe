import {formatDuration, formatMetric, shortState} from './format-text.js';
import type {NotifyEvent} from './notify-event.js';

// One line per event, as the list in a grouped message shows it, and the headline of a single one.

/** What happened, in a few words (`RUNNING → FAILED`, `search trial 7: ACTIVE → SUCCEEDED`). */
export function describeEvent(event: NotifyEvent): string {
  switch (event.kind) {
    case 'stateChanged': {
      const move = event.previousState === null ? `first seen in ${shortState(event.state)}` : transitionOf(event.previousState, event.state);
      const dwell = event.previousState !== null && event.dwellSeconds !== null ? ` after ${formatDuration(event.dwellSeconds)} in ${shortState(event.previousState)}` : '';
      return `${move}${dwell}${event.skipped ? ' (states in between not observed)' : ''}`;
    }
    case 'deleted':
      return `deleted from Vertex AI (last state ${shortState(event.lastState ?? event.state)})`;
    case 'trialChanged': {
      const move = event.previousTrialState === null ? `started as ${event.trialState}` : `${event.previousTrialState} → ${event.trialState}`;
      return `${event.stage} trial ${event.trialId}: ${move}`;
    }
    case 'bestImproved': {
      const from = event.previousBest === null ? 'first value' : `was ${formatMetric(event.previousBest)}`;
      return `new best ${event.metricId} ${formatMetric(event.value)} in ${event.stage} trial ${event.trialId} (${from})`;
    }
    case 'enforcement': {
      const what = `${event.action ?? 'action'} by runtime rule ${event.rule ?? '(unnamed)'}`;
      return `${event.dryRun ? '[dry run] ' : ''}${what}${event.reason ? `: ${event.reason}` : ''}`;
    }
    case 'request':
      return `${event.caller} asked to ${event.action} ${event.target}: ${event.verdict}`;
  }
}

/** `RUNNING → FAILED`. */
export function transitionOf(previous: string | null, state: string): string {
  return previous === null ? shortState(state) : `${shortState(previous)} → ${shortState(state)}`;
}

// Within one poll the poller publishes a job's state change first, then trials, then improvements.
const KIND_ORDER: Readonly<Record<NotifyEvent['kind'], number>> = {
  stateChanged: 0, deleted: 1, trialChanged: 2, bestImproved: 3, enforcement: 4, request: 5,
};

/** Events in the order they happened: by time, then as the poller published them, then by id. */
export function inEventOrder(events: readonly NotifyEvent[]): NotifyEvent[] {
  const rank = (event: NotifyEvent) => [Date.parse(event.time) || 0, KIND_ORDER[event.kind], event.kind === 'stateChanged' ? event.sequence : 0] as const;
  return [...events].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

/** The event a message leads with: the latest job state change, else the latest enforcement, improvement, or event. */
export function headlineOf(ordered: readonly NotifyEvent[]): NotifyEvent | undefined {
  for (const kinds of [['stateChanged', 'deleted'], ['enforcement'], ['bestImproved'], ['trialChanged', 'request']]) {
    const found = ordered.filter(event => kinds.includes(event.kind)).at(-1);
    if (found) return found;
  }
  return undefined;
}
