// The real protocol peers of notify's tests, on 127.0.0.1: an HTTP server standing in for Slack's
// incoming webhooks (records every POST, answers as scripted) and an SMTP server (the nodemailer
// project's smtp-server) that records every mail, refuses chosen recipients and checks the login.
import {createServer, type IncomingMessage, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {SMTPServer} from 'smtp-server';
import {decodeMail} from '../../scripts/local/mail-text.js';

/** One POST the webhook receiver got, with how it answered. */
export interface WebhookCall {
  readonly path: string;
  readonly status: number;
  readonly body: {text: string; blocks: Array<Record<string, unknown>>};
}

/** A scripted answer. */
export interface WebhookAnswer {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/** Starts the Slack stand-in; a path with nothing scripted answers 200 `ok` like Slack. */
export async function startWebhookReceiver() {
  const calls: WebhookCall[] = [];
  const scripts = new Map<string, WebhookAnswer[]>();
  const server: Server = createServer(async (request, response) => {
    const path = request.url ?? '/';
    const answer = scripts.get(path)?.shift() ?? {status: 200, body: 'ok'};
    calls.push({path, status: answer.status, body: JSON.parse(await readBody(request)) as WebhookCall['body']});
    response.writeHead(answer.status, {'content-type': 'text/plain', ...answer.headers});
    response.end(answer.body ?? '');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    calls,
    /** The URL of a webhook at `path` (the path stands for Slack's secret token). */
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    /** Queues answers for the next POSTs to `path`. */
    answer: (path: string, ...answers: WebhookAnswer[]) => void scripts.set(path, [...(scripts.get(path) ?? []), ...answers]),
    /** The messages Slack accepted at `path`. */
    accepted: (path: string) => calls.filter(call => call.path === path && call.status === 200).map(call => call.body),
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** One mail the SMTP server accepted. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Login the SMTP server accepts; anything else is refused with 535. */
export const SMTP_USER = {user: 'nasmon', password: 'smtp-secret-pw'};

/** Starts the SMTP server; recipients starting with `refused` are rejected with 550. */
export async function startMailServer() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'], allowInsecureAuth: true, logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER.user && auth.password === SMTP_USER.password) callback(null, {user: auth.username});
      else callback(Object.assign(new Error('bad credentials'), {responseCode: 535}));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused')) callback(Object.assign(new Error('no such mailbox here'), {responseCode: 550}));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({...decodeMail(Buffer.concat(chunks).toString('utf8')), from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map(rcpt => rcpt.address)});
        callback();
      });
    },
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    mails, port,
    url: (login = SMTP_USER) => `smtp://${login.user}:${login.password}@127.0.0.1:${port}`,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

export type MailServer = Awaited<ReturnType<typeof startMailServer>>;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
