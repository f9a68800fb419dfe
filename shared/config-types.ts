// The shapes shared/config.ts reads the environment into, and their defaults. Kept apart so that
// config.ts holds only the reading; import both from config.ts.
import type {EnforceSettings} from './use-cases/enforce/enforce-deps.js';

/** A Vertex location to watch. */
export interface Target {
  readonly project: string;
  readonly location: string;
}

/** How Vertex is reached, and how much of its request quotas nasmon may use (pollers, gate, enforce). */
export interface VertexAccess {
  /** Base URL for every Vertex call; undefined means the regional endpoint of each location. */
  readonly vertexApiEndpoint: string | undefined;
  /** A fixed bearer token for Vertex calls, for the local simulator only; production uses ADC. */
  readonly vertexStaticToken: string | undefined;
  /** Share of the Vertex request quotas (reads, writes) per project and region that nasmon may use. */
  readonly quotaShare: number;
  readonly readsPerMinute: number;
  /** The Vertex job-submission quota (create, delete) per project and region; nasmon uses `quotaShare` of it. */
  readonly writesPerMinute: number;
}

/** The configuration of the pollers (pollNasJobs, pollTarget) and, with {@link GateConfig}, of the gate. */
export interface Config extends VertexAccess {
  readonly projectId: string;
  readonly targets: readonly Target[];
  readonly eventsTopic: string;
  readonly policyPath: string | undefined;
  readonly pollIntervalSeconds: number;
  /** How long one pollTarget invocation keeps polling (less than the scheduler period). */
  readonly pollSessionSeconds: number;
  /** How often a cycle lists every job to notice deletions of finished jobs. */
  readonly sweepMinutes: number;
  /** Topic on which pollNasJobs fans out one message per target. */
  readonly targetsTopic: string;
  /** How callers of the gate (nasJobsApi) authenticate. */
  readonly auth: AuthConfig;
  /** Time limit of one gate call; past it the caller gets 504 DEADLINE_EXCEEDED. */
  readonly gateTimeoutMs: number;
  /** Calls a minute one caller may make to one gate instance (429 beyond); 0 turns the limit off. */
  readonly gateCallsPerMinute: number;
}

/** What nasJobsApi needs on top of {@link Config}: a policy file, and (in google mode) an audience. */
export interface GateConfig extends Config {
  readonly policyPath: string;
}

/** notify's channel settings. */
export interface NotifySettings {
  /** Webhook name → incoming-webhook URL (NASMON_SLACK_WEBHOOKS); the URLs are secrets. */
  readonly slackWebhooks: ReadonlyMap<string, string>;
  /** NASMON_SMTP_URL: `smtp://user:password@host:587` or `smtps://…`; a secret. */
  readonly smtpUrl: string | undefined;
  /** NASMON_EMAIL_FROM: `nasmon <nasmon@example.com>`. */
  readonly emailFrom: string | undefined;
  /** NASMON_NOTIFY_GROUP_SECONDS: events of one job within this window become one message; 0 sends each alone. */
  readonly groupSeconds: number;
  /** NASMON_CONSOLE_JOB_URL: the job link, with `{project}`, `{location}` and `{job}`. */
  readonly consoleJobUrl: string;
}

/** What notify runs on: its Firestore project, the policy file that routes events, and its channels. */
export interface NotifyConfig extends NotifySettings {
  readonly projectId: string;
  readonly policyPath: string;
}

/** What enforce runs on: Firestore, Vertex, the events topic, the policy file with the runtime rules. */
export interface EnforceConfig extends VertexAccess {
  readonly projectId: string;
  readonly eventsTopic: string;
  /** NASMON_POLL_INTERVAL_SECONDS: how long enforce keeps the events it publishes itself from the pollers. */
  readonly pollIntervalSeconds: number;
  readonly policyPath: string;
  readonly enforce: EnforceSettings;
}

/** How ID tokens are checked: Google-signed (production), or signed by nasmon's local issuer (local runs, tests). */
export const AUTH_MODES = ['google', 'local'] as const;
/** One of {@link AUTH_MODES}. */
export type AuthMode = (typeof AUTH_MODES)[number];

/** The gate's authentication settings. */
export interface AuthConfig {
  readonly mode: AuthMode;
  /** Accepted token audiences: the function's URL (plus any custom domain in front of it). */
  readonly audiences: readonly string[];
  /** Where the local issuer keeps its key pair (local mode only). */
  readonly localIssuerDir: string;
}

/** The audience local tokens carry unless told otherwise (the functions framework's default address). */
export const LOCAL_DEFAULT_AUDIENCE = 'http://localhost:8080';
/** The default key directory of the local issuer, relative to the working directory (git-ignored). */
export const DEFAULT_LOCAL_ISSUER_DIR = '.nasmon/local-issuer';
/** Default time limit of one gate call: room for a Vertex call (20 s per attempt) and the audit write. */
export const DEFAULT_GATE_TIMEOUT_MS = 30_000;
/** Default per-caller limit of the gate: ten calls a second sustained, a hundred at once. */
export const DEFAULT_GATE_CALLS_PER_MINUTE = 600;
/** The Vertex AI console page of a NAS job. */
export const DEFAULT_CONSOLE_JOB_URL = 'https://console.cloud.google.com/vertex-ai/locations/{location}/nas/{job}?project={project}';

/**
 * Where a function process can be told to kill itself on purpose (NASMON_CRASH_POINTS), for the
 * chaos soak: each point sits between two steps whose gap a real crash (OOM, instance kill) could
 * fall into, so the soak can prove nothing is lost or doubled when it does. Refused in production.
 */
export const CRASH_POINTS = {
  'poll.midPagination': 'pollTarget, just before it asks Vertex for the second or a later page of a job listing (nothing of the cycle is written yet)',
  'poll.afterCommit': 'pollTarget, just after a transaction committed new events to the outbox, before they are published',
  'poll.afterPublish': 'pollTarget, just after Pub/Sub accepted events, before their outbox batches are cleared (the next cycle publishes them again)',
  'enforce.afterCommit': 'enforce/enforceTick, just after a transaction committed enforcement actions and their events, before the events are published',
  'enforce.beforeCancel': 'enforce/enforceTick, after a cancel attempt was claimed in Firestore, before it is sent to Vertex',
  'enforce.midCancel': 'enforce/enforceTick, after Vertex accepted a cancel, before its outcome is recorded',
  'gate.afterCreate': 'nasJobsApi, just after Vertex created a job, before the create is audited (enforceTick records it from its intent)',
} as const;
/** One of {@link CRASH_POINTS}. */
export type CrashPoint = keyof typeof CRASH_POINTS;
/** The armed crash points, each with the probability of dying each time the point is reached. */
export type CrashPoints = ReadonlyMap<CrashPoint, number>;
