// Opaque page tokens: base64url(JSON) plus an HMAC, bound to the request that issued them. Per
// AIP-158 every other list parameter (parent, filter, readMask) must repeat unchanged with a token;
// a token replayed with a different request, or edited, is rejected with 400 INVALID_ARGUMENT.
import {createHash, createHmac, timingSafeEqual} from 'node:crypto';
import {invalidArgument} from '../http/error-details.js';

function bindingHash(binding: string): string {
  return createHash('sha256').update(binding).digest('base64url').slice(0, 16);
}

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url').slice(0, 22);
}

/** `binding` names the request (method, parent, filter, readMask); `position` says where to resume. */
export function encodePageToken(key: Buffer, binding: string, position: unknown): string {
  const body = Buffer.from(JSON.stringify({b: bindingHash(binding), p: position})).toString('base64url');
  return `${body}.${sign(key, body)}`;
}

/** The position stored in `token`, or a 400 when the token is forged or belongs to another request. */
export function decodePageToken(key: Buffer, token: string, binding: string): unknown {
  const [body = '', mac = ''] = token.split('.');
  const expected = Buffer.from(sign(key, body));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw badToken('The page token is invalid.');
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as {b?: unknown; p?: unknown};
  if (payload.b !== bindingHash(binding)) {
    throw badToken('The page token does not match the request: parent, filter and read_mask must not change between pages.');
  }
  return payload.p;
}

function badToken(description: string) {
  return invalidArgument([{field: 'page_token', description}]);
}
