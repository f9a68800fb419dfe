import {NasmonError} from '../../errors.js';
import type {InvalidItem, ListPage} from '../../core/vertex/parse-list.js';

/** Every page of a list, merged: valid items de-duplicated by name, and the items that failed to parse. */
export interface ListResult<T> {
  readonly items: readonly T[];
  readonly invalid: readonly InvalidItem[];
}

/** How {@link collectPages} reads pages and merges duplicates. */
export interface CollectOptions<T> {
  readonly fetchPage: (pageToken: string | undefined) => Promise<ListPage<T>>;
  readonly nameOf: (item: T) => string;
  /** Picks between two copies of one item seen on different pages; default: the later one. */
  readonly prefer?: (earlier: T, later: T) => T;
}

/**
 * Follows `nextPageToken` to the end. Pages are not a consistent snapshot (items can move between pages
 * while we read), so items are merged by name, and an invalid copy is dropped when a valid copy was seen.
 */
export async function collectPages<T>(options: CollectOptions<T>): Promise<ListResult<T>> {
  const {fetchPage, nameOf, prefer = (_earlier: T, later: T) => later} = options;
  const byName = new Map<string, T>();
  const invalid: InvalidItem[] = [];
  const seenTokens = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    for (const item of page.items) {
      const earlier = byName.get(nameOf(item));
      byName.set(nameOf(item), earlier === undefined ? item : prefer(earlier, item));
    }
    invalid.push(...page.invalid);
    token = page.nextPageToken;
    // A server that hands back a token it already gave would otherwise loop for ever.
    if (token !== undefined && seenTokens.has(token)) {
      throw new NasmonError('payload-invalid', `list returned page token "${token}" twice`);
    }
    if (token !== undefined) seenTokens.add(token);
  } while (token !== undefined);
  return {
    items: [...byName.values()],
    invalid: invalid.filter(item => item.name === undefined || !byName.has(item.name)),
  };
}
