// The page: one HTML document with its style and script inline, so it works under any path prefix
// the function is served at and needs no second request. The Content-Security-Policy allows exactly
// that style and script (by hash) and nothing else: no other script, no inline handlers, no remote
// origin, so even a stored string that slipped past the page's text-only rendering could not run.
// (The only image is an empty `data:` icon: the functions framework answers /favicon.ico with 404.)
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

/** The assembled page and the headers it must be served with. */
export interface DashboardPage {
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;
}

// Next to this module when run from source (tsx, vitest); from build/, the source tree's copy
// (tsc emits no assets, and a deploy uploads the whole repository).
const CANDIDATES = [new URL('./assets/', import.meta.url), new URL('../../../../shared/adapters/dashboard/assets/', import.meta.url)];

/** Reads and assembles the page once; throws when the assets are missing (a broken deploy). */
export function loadDashboardPage(): DashboardPage {
  const dir = CANDIDATES.map(url => fileURLToPath(url)).find(path => existsSync(`${path}dashboard.html`));
  if (!dir) throw new Error('dashboard assets not found next to the module or in shared/adapters/dashboard/assets');
  const read = (file: string) => readFileSync(`${dir}${file}`, 'utf8');
  const style = read('dashboard.css');
  const script = `(() => {\n'use strict';\n${read('dashboard-charts.js')}\n${read('dashboard.js')}\n})();\n`;
  if (/<\/(script|style)/i.test(style + script)) throw new Error('dashboard assets must not contain a closing script or style tag');
  const html = read('dashboard.html').replace('/*STYLE*/', () => style).replace('/*SCRIPT*/', () => script);
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  return {
    html,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': [
        "default-src 'none'", `script-src ${hash(script)}`, `style-src ${hash(style)}`, "connect-src 'self'", "img-src data:",
        "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
      ].join('; '),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    },
  };
}
