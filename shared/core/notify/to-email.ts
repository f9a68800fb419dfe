import type {Notification, Severity} from './compose-notification.js';

// A notification as an email: a subject that says what happened where, and plain-text and HTML
// bodies with the same facts. Everything from outside is escaped in the HTML, and the subject is
// kept on one line (a newline there would start a header of its own in some mailers).

/** What the SMTP adapter sends. */
export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const LABEL: Readonly<Record<Severity, string>> = {failure: 'FAILURE', warning: 'WARNING', success: 'OK', info: 'INFO'};
const COLOUR: Readonly<Record<Severity, string>> = {failure: '#b3261e', warning: '#a15c00', success: '#1e7e34', info: '#3c4043'};
/** Lines of a grouped message listed in an email; the rest are counted. */
export const EMAIL_LISTED_EVENTS = 200;
const SUBJECT_MAX = 200;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Renders the email of a notification. */
export function toEmail(n: Notification): EmailMessage {
  return {subject: subjectOf(n), text: textOf(n), html: htmlOf(n)};
}

function subjectOf(n: Notification): string {
  const line = `[nasmon] ${n.title} (${n.where})`.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return line.length > SUBJECT_MAX ? `${line.slice(0, SUBJECT_MAX - 1)}…` : line;
}

function listed(n: Notification) {
  const events = n.events.slice(0, EMAIL_LISTED_EVENTS);
  return {events, hidden: n.events.length - events.length};
}

function textOf(n: Notification): string {
  const {events, hidden} = listed(n);
  const lines = [`${LABEL[n.severity]}: ${n.title}`, '', ...n.facts.map(fact => `${fact.label}: ${fact.value}`)];
  if (n.error) lines.push('', 'Error:', n.error);
  if (n.events.length > 1) {
    lines.push('', `${n.events.length} updates, in order:`, ...events.map(event => `  ${event.time}  ${event.text}`));
    if (hidden > 0) lines.push(`  … and ${hidden} more`);
  }
  if (n.link) lines.push('', `${n.link.text}: ${n.link.url}`);
  lines.push('', `Job: ${n.jobName}`, '-- ', 'Sent by nasmon. Routing rules: the notifications section of the policy file.');
  return `${lines.join('\n')}\n`;
}

function htmlOf(n: Notification): string {
  const {events, hidden} = listed(n);
  const rows = n.facts.map(fact =>
    `<tr><th align="left" style="padding:2px 12px 2px 0;vertical-align:top">${escapeHtml(fact.label)}</th><td style="padding:2px 0">${escapeHtml(fact.value)}</td></tr>`);
  const parts = [
    `<h2 style="color:${COLOUR[n.severity]};font-family:sans-serif">${escapeHtml(`${LABEL[n.severity]}: ${n.title}`)}</h2>`,
    `<table style="font-family:sans-serif;font-size:14px">${rows.join('')}</table>`,
  ];
  if (n.error) parts.push(`<h3 style="font-family:sans-serif">Error</h3><pre style="white-space:pre-wrap">${escapeHtml(n.error)}</pre>`);
  if (n.events.length > 1) {
    const items = events.map(event => `<li><code>${escapeHtml(event.time)}</code> ${escapeHtml(event.text)}</li>`);
    if (hidden > 0) items.push(`<li>… and ${hidden} more</li>`);
    parts.push(`<h3 style="font-family:sans-serif">${n.events.length} updates, in order</h3><ol style="font-family:sans-serif">${items.join('')}</ol>`);
  }
  if (n.link) parts.push(`<p style="font-family:sans-serif"><a href="${escapeHtml(n.link.url)}">${escapeHtml(n.link.text)}</a></p>`);
  parts.push(`<p style="font-family:sans-serif;color:#5f6368;font-size:12px">Job ${escapeHtml(n.jobName)} · sent by nasmon</p>`);
  return `<!doctype html><html><body>${parts.join('\n')}</body></html>\n`;
}
