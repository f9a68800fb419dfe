// poll.midPagination around the Vertex client's HTTP fetch: the process dies just before it asks for
// the second or a later page of a nasJobs listing, with the first page read and nothing of the cycle
// written. It sits on the fetch because a listing's pages are followed inside the client, where no
// port can see them; only the poller follows nasJobs page tokens (the gate and the dashboard read
// the mirror or single jobs), so the point fires in pollTarget.
import type {FetchLike} from '../vertex/http-transport.js';
import type {CrashSwitch} from './crash-switch.js';

/** `fetch` with the poll.midPagination crash point before each nasJobs list call that carries a page token. */
export function withListPageCrashPoint(fetch: FetchLike, crash: CrashSwitch): FetchLike {
  if (!crash.armed('poll.midPagination')) return fetch;
  return async (url, init) => {
    if (init.method === 'GET' && isNextListPage(url)) crash.reach('poll.midPagination', {url});
    return fetch(url, init);
  };
}

function isNextListPage(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.pathname.endsWith('/nasJobs') && (parsed.searchParams.get('pageToken') ?? '') !== '';
  } catch {
    return false;
  }
}
