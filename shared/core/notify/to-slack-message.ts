import type {Notification, Severity} from './compose-notification.js';

// A notification as a Slack incoming-webhook payload (Block Kit). Every text that came from outside
// (display names, labels, error messages) is escaped: in Slack's mrkdwn `<…>` makes links and
// mentions, so an unescaped `<!channel>` in a job name would page a whole channel.

/** The JSON body POSTed to the webhook. */
export interface SlackMessage {
  /** Shown in the notification itself and by clients without blocks. */
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

const EMOJI: Readonly<Record<Severity, string>> = {failure: ':x:', warning: ':warning:', success: ':white_check_mark:', info: ':information_source:'};
// Block Kit limits: header 150 characters, a section text 3000, 10 fields of 2000 each, 50 blocks.
const HEADER_MAX = 150;
const TEXT_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_PER_SECTION = 10;
/** Lines of a grouped message listed in Slack; the rest are counted. */
export const SLACK_LISTED_EVENTS = 20;

/** Escapes the three characters Slack's mrkdwn gives meaning to. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Renders the Block Kit message of a notification. */
export function toSlackMessage(n: Notification): SlackMessage {
  const blocks: Record<string, unknown>[] = [
    {type: 'header', text: {type: 'plain_text', text: cut(`${EMOJI[n.severity]} ${n.title}`, HEADER_MAX), emoji: true}},
  ];
  const fields = n.facts.map(fact => mrkdwn(cut(`*${escapeSlack(fact.label)}*\n${escapeSlack(fact.value)}`, FIELD_MAX)));
  for (let i = 0; i < fields.length; i += FIELDS_PER_SECTION) blocks.push({type: 'section', fields: fields.slice(i, i + FIELDS_PER_SECTION)});
  if (n.error) {
    // A code block keeps the error's own line breaks; its fence must not be closed from inside.
    const body = cut(escapeSlack(n.error).replace(/```/g, "'''"), TEXT_MAX - 20);
    blocks.push({type: 'section', text: mrkdwn(`*Error*\n\`\`\`${body}\`\`\``)});
  }
  if (n.events.length > 1) blocks.push({type: 'section', text: mrkdwn(eventList(n))});
  if (n.link) blocks.push({type: 'actions', elements: [{type: 'button', text: {type: 'plain_text', text: n.link.text}, url: n.link.url}]});
  blocks.push({type: 'context', elements: [mrkdwn(cut(escapeSlack(n.jobName), TEXT_MAX))]});
  return {text: cut(`${EMOJI[n.severity]} ${escapeSlack(n.title)}`, TEXT_MAX), blocks};
}

function eventList(n: Notification): string {
  const lines = n.events.slice(0, SLACK_LISTED_EVENTS).map(event => `• \`${event.time}\` ${escapeSlack(event.text)}`);
  const hidden = n.events.length - lines.length;
  const list = [`*${n.events.length} updates, in order*`, ...lines, ...(hidden > 0 ? [`… and ${hidden} more`] : [])].join('\n');
  return cut(list, TEXT_MAX);
}

const mrkdwn = (text: string) => ({type: 'mrkdwn', text});

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
