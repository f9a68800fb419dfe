// Just enough MIME to read back what nodemailer sends: the Subject (RFC 2047 encoded words) and the
// text/plain and text/html parts (quoted-printable or base64). The local SMTP sink prints it; the
// notify tests' SMTP server asserts on it.

/** The subject, plain text and HTML of a raw RFC 5322 message ('' for a part it lacks). */
export function decodeMail(raw: string): {subject: string; text: string; html: string} {
  const [head, body] = splitOnce(raw);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = decodeWords(/^Subject: (.*)$/im.exec(headers)?.[1] ?? '');
  const boundary = /boundary="?([^";\s]+)"?/i.exec(headers)?.[1];
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1).map(splitOnce) : [[headers, body] as const];
  const part = (type: string) => {
    const found = parts.find(([partHead]) => new RegExp(`Content-Type: ${type}`, 'i').test(partHead));
    const encoding = found && /Content-Transfer-Encoding: (\S+)/i.exec(found[0])?.[1]?.toLowerCase();
    return found ? decodeBody(found[1].trim(), encoding) : '';
  };
  return {subject, text: part('text/plain'), html: part('text/html')};
}

function splitOnce(text: string): readonly [string, string] {
  const at = text.search(/\r?\n\r?\n/);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at).replace(/^\r?\n\r?\n/, '')];
}

function decodeBody(text: string, encoding: string | undefined): string {
  if (encoding === 'base64') return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return quotedPrintable(text.replace(/=\r?\n/g, ''));
  return text.replace(/\r\n/g, '\n');
}

function quotedPrintable(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '=' ? /^[0-9A-F]{2}/i.exec(text.slice(i + 1, i + 3))?.[0] : undefined;
    if (hex) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}

// `=?UTF-8?Q?…?=` and `=?UTF-8?B?…?=`; whitespace between two encoded words is dropped.
function decodeWords(header: string): string {
  return header.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, kind: string, data: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : quotedPrintable(data.replace(/_/g, ' ')));
}
