// SlackPoster over incoming webhooks: a plain POST of the Block Kit JSON. The webhook URL is the
// secret (whoever has it can post), so it never appears in a log line or an error message; only
// the webhook's name from NASMON_SLACK_WEBHOOKS does.
import type {SlackMessage} from '../../core/notify/to-slack-message.js';
import {ConfigError} from '../../config.js';
import {NasmonError} from '../../errors.js';
import type {DeliveryOutcome, SlackPoster} from '../../use-cases/notify/notify-ports.js';
import {retryAfterMs} from './retry-after.js';

/** Options of {@link createSlackWebhookPoster}. */
export interface SlackWebhookPosterOptions {
  /** Webhook name → URL (NASMON_SLACK_WEBHOOKS). */
  readonly webhooks: ReadonlyMap<string, string>;
  /** Injectable transport (style.md: the `fetch` option). */
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  /** A 429 whose Retry-After is at most this is waited out here; a longer one fails the invocation. */
  readonly maxRetryAfterMs?: number;
  /** Posts per call, the first included, while Slack keeps answering 429 with short delays. */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

// What Slack's error bodies look like: `no_service`, `channel_not_found`, `invalid_payload`.
const SLACK_ERROR = /^[a-z_]{1,60}$/;

/** Creates the poster; answers are classified as sent, refused for good, or worth a redelivery. */
export function createSlackWebhookPoster(options: SlackWebhookPosterOptions): SlackPoster {
  const send = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxWaitMs = options.maxRetryAfterMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  return {
    async post(webhook: string, message: SlackMessage): Promise<DeliveryOutcome> {
      const url = options.webhooks.get(webhook);
      // Checked at start-up against the policy; reaching here means the deploy changed under us.
      if (!url) throw new ConfigError([`NASMON_SLACK_WEBHOOKS: no webhook named "${webhook}"`]);
      const body = JSON.stringify(message);
      for (let attempt = 1; ; attempt++) {
        const response = await postOnce(send, url, body, timeoutMs, webhook);
        const answer = (await response.text().catch(() => '')).trim().slice(0, 200);
        if (response.ok) return {status: 'sent'};
        const said = SLACK_ERROR.test(answer) ? ` ${answer}` : '';
        if (response.status === 429) {
          const waitMs = retryAfterMs(response.headers.get('retry-after'), now()) ?? 1000;
          if (waitMs <= maxWaitMs && attempt < maxAttempts) {
            await sleep(waitMs);
            continue;
          }
          throw new NasmonError('upstream-rate-limited', `Slack webhook "${webhook}" is rate-limited (Retry-After ${Math.ceil(waitMs / 1000)} s); Pub/Sub will redeliver`);
        }
        if (response.status >= 500 || response.status === 408) {
          throw new NasmonError('upstream-unavailable', `Slack webhook "${webhook}" answered ${response.status}${said}`);
        }
        // 400 invalid_payload, 403 action_prohibited, 404 no_service (revoked), 410 channel_is_archived:
        // the same post can never succeed.
        return {status: 'rejected', detail: `Slack webhook "${webhook}" answered ${response.status}${said}`};
      }
    },
  };
}

async function postOnce(send: typeof fetch, url: string, body: string, timeoutMs: number, webhook: string): Promise<Response> {
  try {
    return await send(url, {method: 'POST', headers: {'content-type': 'application/json'}, body, signal: AbortSignal.timeout(timeoutMs)});
  } catch (error) {
    // The cause is left out on purpose: undici's messages can carry the URL, whose path is the secret.
    throw new NasmonError('upstream-unavailable', `Slack webhook "${webhook}" could not be reached: ${networkReason(error, timeoutMs)}`);
  }
}

function networkReason(error: unknown, timeoutMs: number): string {
  const name = (error as {name?: unknown})?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = (error as {cause?: {code?: unknown}})?.cause?.code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : 'network error';
}
