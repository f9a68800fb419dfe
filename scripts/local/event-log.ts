// One readable line per event on nasjob-events, for the local stack's console.
import type {Message} from '@google-cloud/pubsub';

/** Formats an event as `time  type  job  detail`. */
export function formatEventLine(message: Message): string {
  const a = message.attributes;
  const type = (a['ce-type'] ?? '?').replace('nasmon.nasjob.v1.', '');
  const job = (a['ce-nasjob'] ?? '').replace(/^projects\/([^/]+)\/locations\/([^/]+)\/nasJobs\//, '$1/$2/');
  const time = (a['ce-time'] ?? '').slice(11, 19);
  return `${time}  ${type.padEnd(13)} ${job.padEnd(44)} ${detailOf(type, a, parse(message))}`;
}

function detailOf(type: string, a: Record<string, string>, data: Record<string, unknown>): string {
  switch (type) {
    case 'stateChanged':
      return `${short(a['ce-previousstate'] ?? 'new')} → ${short(a['ce-state'] ?? '?')}${data.skipped ? ' (states skipped)' : ''}`;
    case 'trialChanged': {
      const trial = data.trial as {id?: string} | undefined;
      return `${data.stage} trial ${trial?.id ?? '?'}: ${data.previousState ?? 'new'} → ${data.state}`;
    }
    case 'bestImproved':
      return `${data.metricId} ${data.previousBest ?? '–'} → ${data.value} (trial ${data.trialId})`;
    default:
      return short(a['ce-state'] ?? '');
  }
}

function short(state: string): string {
  return state.replace('JOB_STATE_', '');
}

function parse(message: Message): Record<string, unknown> {
  try {
    return JSON.parse(message.data.toString()) as Record<string, unknown>;
  } catch {
    return {};
  }
}
