// The local stack's mail server: an SMTP server (the nodemailer project's smtp-server) without TLS
// on 127.0.0.1 that accepts every message, prints its recipients, subject and first lines, and
// appends it to a JSON-lines file. Without `auth` it needs no login; with it (the soak, which checks
// that the SMTP credentials never reach a log) it demands that login and refuses any other.
import {appendFileSync} from 'node:fs';
import {SMTPServer, type SMTPServerAuthentication} from 'smtp-server';
import {decodeMail} from './mail-text.js';
import {listenOn} from './ports.js';

/** A running sink. */
export interface SmtpSink {
  /** For NASMON_SMTP_URL. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the sink on `port` (0: any free port); with `auth`, only that login may send. */
export async function startSmtpSink(port: number, logFile: string, print: (line: string) => void, auth?: {user: string; pass: string}): Promise<SmtpSink> {
  const login = auth
    ? {
      allowInsecureAuth: true, authMethods: ['PLAIN', 'LOGIN'],
      onAuth(credentials: SMTPServerAuthentication, _session: unknown, callback: (error: Error | null | undefined, response?: {user: string}) => void) {
        if (credentials.username === auth.user && credentials.password === auth.pass) callback(null, {user: auth.user});
        else callback(new Error('Invalid username or password'));
      },
    }
    : {};
  const server = new SMTPServer({
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'], authOptional: !auth, logger: false, banner: 'nasmon local SMTP sink', ...login,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const {subject, text} = decodeMail(Buffer.concat(chunks).toString('utf8'));
        const to = session.envelope.rcptTo.map(rcpt => rcpt.address);
        const time = new Date().toISOString();
        appendFileSync(logFile, `${JSON.stringify({time, to, subject, text})}\n`);
        print(`${time.slice(11, 19)}  ▸ mail  ${to.join(', ')}  ${subject}`);
        const detail = detailOf(text);
        if (detail) print(`${' '.repeat(32)}${detail}`);
        callback();
      });
    },
  });
  const address = await listenOn(server.server, port, 'the local SMTP sink', 'NASMON_SMTP_SINK_PORT');
  return {
    url: `smtp://127.0.0.1:${address.port}`, port: address.port,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}

// The line that says what happened beyond the subject: the error Vertex gave, else enforce's reason,
// else the first fact (notify's mails: a title line, a blank line, then `Label: value` facts).
function detailOf(text: string): string | undefined {
  const lines = text.split('\n').map(line => line.trim());
  const error = lines[lines.indexOf('Error:') + 1];
  if (lines.includes('Error:') && error) return error;
  return lines.find(line => line.startsWith('Reason: ')) ?? lines.slice(1).find(line => line !== '');
}
