import type {NotifyEventKind} from '../notify/event-kinds.js';
import type {NameMatcher} from './name-matcher.js';

// The compiled `notifications:` section of the policy file (docs/policy.md, "Notifications"). The
// file names channels and says which events go where; the secrets behind a channel (a webhook URL,
// SMTP credentials) never appear here: they come from the environment (NASMON_SLACK_WEBHOOKS,
// NASMON_SMTP_URL), which production maps from Secret Manager.

/** A place a notification goes to. */
export type NotifyChannel =
  | {readonly name: string; readonly kind: 'slack'; readonly webhook: string}
  | {readonly name: string; readonly kind: 'email'; readonly to: readonly string[]};

/** `$team` in a route's `to`: the channels of the job's team (its `team` label), else the fallback. */
export const TEAM_CHANNELS = '$team';

/** A channel name, or {@link TEAM_CHANNELS}. */
export type ChannelRef = string;

/** What a label must be for a route to match: one of these values, or present with any value. */
export type LabelMatch = {readonly any: true} | {readonly any: false; readonly values: ReadonlySet<string>};

/** The conditions of a route; an omitted condition matches everything. */
export interface RouteMatch {
  /** Matched against the project as configured in NASMON_TARGETS and as written in the job name (a number). */
  readonly projects?: NameMatcher;
  readonly locations?: NameMatcher;
  readonly labels?: ReadonlyMap<string, LabelMatch>;
  readonly events?: ReadonlySet<NotifyEventKind>;
  /** Full job state names (`JOB_STATE_FAILED`) or request verdicts, compared with the event's `ce-state`. */
  readonly states?: ReadonlySet<string>;
}

/** One routing rule: events it matches go to every channel in `to` (an empty `to` silences them). */
export interface NotifyRoute {
  readonly name: string;
  readonly match: RouteMatch;
  readonly to: readonly ChannelRef[];
}

/** The notifications section, validated and compiled. */
export interface NotificationPolicy {
  readonly channels: ReadonlyMap<string, NotifyChannel>;
  /** Team name → its channels, used by `$team` and by the default routes. */
  readonly teamChannels: ReadonlyMap<string, readonly string[]>;
  /** Channels for `$team` when the job has no team label, or its team has no channels. */
  readonly fallback: readonly string[];
  /** In file order; every matching route sends. */
  readonly routes: readonly NotifyRoute[];
  /** Whether the built-in default routes apply to events no route matched. */
  readonly defaults: boolean;
}

/** The section of a file that has none: no channels, so nothing is sent. */
export const NO_NOTIFICATIONS: NotificationPolicy = {
  channels: new Map(),
  teamChannels: new Map(),
  fallback: [],
  routes: [],
  defaults: true,
};
