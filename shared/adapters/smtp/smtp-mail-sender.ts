// MailSender over SMTP with nodemailer. NASMON_SMTP_URL carries the credentials, so neither it nor
// nodemailer's own messages (which may quote the connection) are logged; errors are rebuilt from
// the SMTP status code and answer only.
import nodemailer from 'nodemailer';
import type {EmailMessage} from '../../core/notify/to-email.js';
import type {MailSender} from '../../use-cases/notify/notify-ports.js';
import {classifySmtpError} from './classify-smtp-error.js';

/** Options of {@link createSmtpMailSender}. */
export interface SmtpMailSenderOptions {
  /** `smtp://user:password@host:587` (STARTTLS when offered) or `smtps://…:465`. */
  readonly url: string;
  /** The From header, e.g. `nasmon <nasmon@example.com>` (NASMON_EMAIL_FROM). */
  readonly from: string;
  /** Bounds each stage of a send, so a silent server costs seconds, not the function's timeout. */
  readonly timeoutMs?: number;
}

/** Creates the sender; one SMTP connection per message (invocations are short-lived). */
export function createSmtpMailSender(options: SmtpMailSenderOptions): MailSender {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url: options.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout, dnsTimeout: timeout,
  });
  return {
    async send(to: readonly string[], message: EmailMessage) {
      let info: {rejected: Array<string | {address: string}>};
      try {
        info = await transport.sendMail({from: options.from, to: [...to], subject: message.subject, text: message.text, html: message.html});
      } catch (error) {
        return classifySmtpError(error);
      }
      // Some recipients refused, the others got the mail: a retry would send them a second copy.
      const refused = info.rejected.map(entry => (typeof entry === 'string' ? entry : entry.address));
      return refused.length === 0 ? {status: 'sent'} : {status: 'sent', detail: `refused recipients: ${refused.join(', ')}`};
    },
  };
}
