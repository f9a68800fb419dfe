// The local stack's Slack: an HTTP server that takes incoming-webhook posts (one URL per webhook
// name, as NASMON_SLACK_WEBHOOKS maps them), answers `ok` as Slack does, prints each message in a
// line or two, and appends it to a JSON-lines file. A webhook's path is its name, or (the soak, which
// checks that webhook URLs never reach a log) a secret like Slack's `T…/B…/token`, never printed.
import {appendFileSync} from 'node:fs';
import {createServer, type IncomingMessage} from 'node:http';
import {listenOn} from './ports.js';

/** A running sink. */
export interface SlackSink {
  /** Webhook name → URL, for NASMON_SLACK_WEBHOOKS. */
  readonly webhooks: Readonly<Record<string, string>>;
  readonly port: number;
  close(): Promise<void>;
}

interface SlackPost {
  text?: unknown;
  blocks?: unknown;
}

const EMOJI: Readonly<Record<string, string>> = {':x:': '✖', ':warning:': '⚠', ':white_check_mark:': '✔', ':information_source:': 'ℹ'};
const PATH_PREFIX = '/services/local/';

/** Starts the sink on `port` (0: any free port) with one webhook per name; `secretPaths` maps names to secret paths. */
export async function startSlackSink(
  names: readonly string[], port: number, logFile: string, print: (line: string) => void, secretPaths: Readonly<Record<string, string>> = {},
): Promise<SlackSink> {
  const pathOf = (name: string) => `${PATH_PREFIX}${secretPaths[name] ?? name}`;
  const byPath = new Map(names.map(name => [pathOf(name), name]));
  const server = createServer((request, response) => {
    void readBody(request).then(body => {
      const webhook = byPath.get(request.url ?? '') ?? '';
      if (request.method !== 'POST' || !webhook) return void response.writeHead(404).end('no_service');
      let post: SlackPost;
      try {
        post = JSON.parse(body) as SlackPost;
      } catch {
        return void response.writeHead(400).end('invalid_payload');
      }
      const text = typeof post.text === 'string' ? unescape(post.text) : '';
      const detail = detailOf(post.blocks);
      const time = new Date().toISOString();
      appendFileSync(logFile, `${JSON.stringify({time, webhook, text, ...(detail ? {detail} : {}), post})}\n`);
      print(`${time.slice(11, 19)}  ▸ slack #${webhook.padEnd(12)} ${text.replace(/^:[a-z_]+:/, emoji => EMOJI[emoji] ?? emoji)}`);
      if (detail) print(`${' '.repeat(32)}${detail.split('\n')[0]}`);
      response.writeHead(200, {'content-type': 'text/plain'}).end('ok');
    });
  });
  const address = await listenOn(server, port, 'the local Slack sink', 'NASMON_SLACK_SINK_PORT');
  const webhooks = Object.fromEntries(names.map(name => [name, `http://127.0.0.1:${address.port}${pathOf(name)}`]));
  return {
    webhooks, port: address.port,
    close: () => new Promise(resolve => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

// What happened beyond the headline: the error block notify renders as "*Error*\n```…```", else
// the "Reason" field of an enforcement action.
function detailOf(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const texts = (blocks as Array<{text?: {text?: unknown}; fields?: Array<{text?: unknown}>}>)
    .flatMap(block => [block?.text?.text, ...(Array.isArray(block?.fields) ? block.fields.map(field => field?.text) : [])])
    .filter((text): text is string => typeof text === 'string');
  const error = texts.map(text => /^\*Error\*\n```([\s\S]*)```$/.exec(text)?.[1]).find(Boolean);
  const reason = texts.map(text => /^\*Reason\*\n([\s\S]*)$/.exec(text)?.[1]).find(Boolean);
  const detail = error ?? reason;
  return detail === undefined ? undefined : unescape(detail.trim());
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise(resolve => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(''));
  });
}
