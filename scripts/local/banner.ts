// What `npm start` prints once everything is up: where each part runs, how to call the gate, the
// demo's jobs and what will happen to them. Its first line is the readiness marker tests wait for.
import type {DemoJob, DemoScenario} from './demo-workload.js';
import type {FunctionServer} from './function-servers.js';
import {TOPICS} from './topology.js';

/** The first line of the banner: everything is up. */
export const READY_LINE = 'nasmon local stack is running';

/** What the banner reports. */
export interface StackReport {
  readonly startupSeconds: number;
  readonly simulatorUrl: string;
  readonly firestoreHost: string;
  readonly pubsubHost: string;
  readonly servers: readonly FunctionServer[];
  readonly slackUrl: string;
  readonly smtpUrl: string;
  readonly logDir: string;
  readonly policyFile: string;
  readonly tickSeconds: number;
  readonly enforceTickSeconds: number;
  readonly jobs: readonly DemoJob[];
  readonly env: Readonly<Record<string, string>>;
}

const FATE: Readonly<Record<DemoScenario, string>> = {
  'succeed': 'succeeds, its best metric improving trial by trial',
  'fail-capacity': 'fails for lack of capacity: alerted on Slack and by email',
  'slow': "overruns speech's 30 s run-time budget: warned, then cancelled by enforce",
  'stuck-pending': 'stays in the queue (warned about after 2.4 min, never cancelled)',
};

/** The banner's lines. */
export function bannerLines(r: StackReport): string[] {
  const url = (target: string) => r.servers.find(server => server.target === target)?.url ?? '?';
  const port = (target: string) => url(target).replace(/^.*:/, ':');
  const gate = url('nasJobsApi');
  const first = r.jobs[0];
  const listPath = first ? `/v1/projects/${first.project}/locations/${first.location}/nasJobs` : '/v1/projects/PROJECT/locations/LOCATION/nasJobs';
  const width = Math.max(...r.jobs.map(job => `${job.project}/${job.location}/${job.displayName}`.length));
  return [
    `${READY_LINE} (ready in ${r.startupSeconds.toFixed(1)} s):`,
    `  dashboard           ${url('dashboard')}/   (open, no login; its JSON: ${url('dashboard')}/api/jobs)`,
    `  gate (nasJobsApi)   ${gate}   (ID tokens from the local issuer: npm run token -- --email=admin@example.com)`,
    `    try: curl -H "Authorization: Bearer $(npm run -s token -- --email=admin@example.com)" ${gate}${listPath}`,
    `  NAS simulator       ${r.simulatorUrl}   (true history: ${r.simulatorUrl}/simulator/history)`,
    `  Firestore emulator  ${r.firestoreHost}`,
    `  Pub/Sub emulator    ${r.pubsubHost}   (topics ${Object.values(TOPICS).join(', ')})`,
    `  functions           ${['pollNasJobs', 'pollTarget', 'notify', 'enforce', 'enforceTick'].map(target => `${target} ${port(target)}`).join('  ')}`,
    `  schedulers          ${TOPICS.ticks} every ${r.tickSeconds} s, ${TOPICS.enforceTicks} every ${r.enforceTickSeconds} s`,
    `  Slack sink          ${r.slackUrl}   (prints each message; also in ${r.logDir}/slack.jsonl)`,
    `  SMTP sink           ${r.smtpUrl}   (prints each mail; also in ${r.logDir}/mail.jsonl)`,
    `  policy              ${r.policyFile}`,
    `  logs                ${r.logDir}/   (one file per function and emulator)`,
    'The demo, playing out over the next two minutes:',
    ...r.jobs.map(job => `  ${`${job.project}/${job.location}/${job.displayName}`.padEnd(width)}  ${FATE[job.scenario]}`),
    `To point other tools at it: export ${Object.entries(r.env).map(([key, value]) => `${key}=${value}`).join(' ')}`,
    'Ctrl-C stops everything. Events (▸: what the Slack and SMTP sinks receive) as they happen:',
  ];
}
