// The secrets a soak configures, made fresh for each run and looking like the real ones: Slack
// webhook URLs with a secret path, SMTP credentials inside NASMON_SMTP_URL, the Vertex static token,
// the callers' ID tokens. The scan at the end looks for each of them in every captured log; a hit is
// reported by the secret's name only.
import {randomBytes} from 'node:crypto';
import type {NamedSecret} from '../../test/truth/secret-scan.js';


const token = (bytes: number) => randomBytes(bytes).toString('base64url');
const upper = (length: number) => randomBytes(length).toString('hex').toUpperCase().slice(0, length);

/** The secrets made before anything starts. */
export interface SoakSecrets {
  /** Webhook name → secret path after `/services/local/`, like Slack's `T…/B…/token`. */
  readonly slackPaths: Readonly<Record<string, string>>;
  readonly smtp: {readonly user: string; readonly pass: string};
  readonly vertexToken: string;
}

/** Fresh secrets for the webhook `names`. */
export function makeSecrets(webhookNames: readonly string[]): SoakSecrets {
  return {
    slackPaths: Object.fromEntries(webhookNames.map(name => [name, `T${upper(9)}/B${upper(9)}/${token(18)}`])),
    smtp: {user: 'nasmon-soak-mailer', pass: token(18)},
    vertexToken: `ya29.soak-${token(24)}`,
  };
}

/** The NASMON_SMTP_URL carrying the credentials. */
export function smtpUrlOf(secrets: SoakSecrets, port: number): string {
  return `smtp://${secrets.smtp.user}:${encodeURIComponent(secrets.smtp.pass)}@127.0.0.1:${port}`;
}

/**
 * Everything the scan must not find: each secret whole, and the parts a log could carry alone (a
 * webhook's token segment, an ID token's signature, the password without its URL).
 */
export function secretsToScan(secrets: SoakSecrets, webhooks: Readonly<Record<string, string>>, smtpUrl: string, idTokens: Readonly<Record<string, string>>): NamedSecret[] {
  return [
    ...Object.entries(webhooks).flatMap(([name, url]) => [
      {name: `slack webhook URL "${name}"`, value: url},
      {name: `slack webhook token "${name}"`, value: secrets.slackPaths[name]!.split('/').pop()!},
    ]),
    {name: 'NASMON_SMTP_URL', value: smtpUrl},
    {name: 'SMTP password', value: secrets.smtp.pass},
    {name: 'NASMON_VERTEX_STATIC_TOKEN', value: secrets.vertexToken},
    ...Object.entries(idTokens).flatMap(([email, idToken]) => [
      {name: `ID token of ${email}`, value: idToken},
      {name: `ID token signature of ${email}`, value: idToken.split('.')[2] ?? idToken},
    ]),
  ];
}
