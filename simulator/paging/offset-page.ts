// Offset paging for the small collections (trial details of one job, operations of one location).
import {invalidArgument} from '../http/error-details.js';
import {pageSizeOf, queryValue} from '../http/query.js';
import {decodePageToken, encodePageToken} from './page-token.js';

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

export function pageByOffset<T>(
  items: readonly T[],
  query: URLSearchParams,
  tokenKey: Buffer,
  binding: string,
  sizes: {fallback: number; max: number},
): Page<T> {
  const pageSize = pageSizeOf(query, sizes.fallback, sizes.max);
  const token = queryValue(query, 'pageToken');
  const offset = token ? decodePageToken(tokenKey, token, binding) : 0;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw invalidArgument([{field: 'page_token', description: 'The page token is invalid.'}]);
  }
  const end = offset + pageSize;
  const page: Page<T> = {items: items.slice(offset, end)};
  if (end < items.length) page.nextPageToken = encodePageToken(tokenKey, binding, end);
  return page;
}
