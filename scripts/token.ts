// Prints an ID token from nasmon's local issuer, for calling a gate that runs with NASMON_AUTH_MODE=local.
//   npm run token -- --email=EMAIL [--audience=URL] [--ttl=3600]
// The key lives in NASMON_LOCAL_ISSUER_DIR (default .nasmon/local-issuer), created on first use; the
// audience defaults to the first NASMON_AUTH_AUDIENCE, else http://localhost:8080, as the gate does.
import {pathToFileURL} from 'node:url';
import {DEFAULT_LOCAL_ISSUER_DIR, LOCAL_DEFAULT_AUDIENCE} from '../shared/config.js';
import {DEFAULT_MAX_TOKEN_LIFETIME_SECONDS} from '../shared/adapters/auth/id-token-verifier.js';
import {loadOrCreateLocalIssuer, signLocalIdToken} from '../shared/adapters/auth/local-issuer.js';

const USAGE = 'usage: npm run token -- --email=EMAIL [--audience=URL] [--ttl=SECONDS]';

type Env = Readonly<Record<string, string | undefined>>;

/** Parses the arguments and returns a signed token; throws with a usage line on bad input. */
export function tokenFromArgs(argv: readonly string[], env: Env = process.env, nowMs = Date.now()): string {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const m = /^--(email|audience|ttl)=(.+)$/.exec(arg);
    if (!m) throw new Error(`unknown or empty argument "${arg}"\n${USAGE}`);
    flags.set(m[1]!, m[2]!);
  }
  const email = flags.get('email');
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error(`--email=EMAIL is required (an email address)\n${USAGE}`);
  const ttl = Number(flags.get('ttl') ?? 3600);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > DEFAULT_MAX_TOKEN_LIFETIME_SECONDS) {
    throw new Error(`--ttl must be 1 to ${DEFAULT_MAX_TOKEN_LIFETIME_SECONDS} seconds (the gate refuses longer-lived tokens)\n${USAGE}`);
  }
  const audience = flags.get('audience') ?? env.NASMON_AUTH_AUDIENCE?.split(',')[0]?.trim() ?? LOCAL_DEFAULT_AUDIENCE;
  const issuer = loadOrCreateLocalIssuer(env.NASMON_LOCAL_ISSUER_DIR?.trim() || DEFAULT_LOCAL_ISSUER_DIR);
  return signLocalIdToken(issuer, {email, audience: audience || LOCAL_DEFAULT_AUDIENCE, ttlSeconds: ttl, nowMs});
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.stdout.write(`${tokenFromArgs(process.argv.slice(2))}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
