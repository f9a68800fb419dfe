// Vertex serves each region from `{region}-aiplatform.googleapis.com`; a request whose path names
// another location is refused. The global host behaves as us-central1's. Any other Host (127.0.0.1,
// localhost, a container name) is not checked, so ordinary local use is unaffected.
import {invalidArgument} from './error-details.js';

const REGIONAL_HOST = /^([a-z0-9-]+)-aiplatform\.googleapis\.com(?::\d+)?$/i;
const GLOBAL_HOST = /^aiplatform\.googleapis\.com(?::\d+)?$/i;

/** The region a Host header pins requests to, or undefined when it is not a Vertex host. */
export function regionOfHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const regional = REGIONAL_HOST.exec(host);
  if (regional) return regional[1]!.toLowerCase();
  return GLOBAL_HOST.test(host) ? 'us-central1' : undefined;
}

export function checkRegionalHost(host: string | undefined, location: string, field: 'parent' | 'name'): void {
  const region = regionOfHost(host);
  if (region === undefined || region === location) return;
  throw invalidArgument([
    {field, description: `The provided location ID doesn't match the endpoint. The valid location ID is \`${region}\`.`},
  ]);
}
