import type {JobRow} from './job-row.js';

// The table's filters: state, team and project, each one value or none. Applied on the server, so
// the page stays a thin renderer and the API answers the same question for scripts.

/** What the table is narrowed to; an absent field does not filter. */
export interface RowFilter {
  readonly state?: string;
  readonly team?: string;
  readonly project?: string;
}

/** The team filter's value for jobs without a `team` label. */
export const NO_TEAM = '(none)';

/** The values each filter can take, from the rows before filtering, sorted. */
export interface Facets {
  readonly states: readonly string[];
  readonly teams: readonly string[];
  readonly projects: readonly string[];
}

const KEYS = ['state', 'team', 'project'] as const;
const MAX_VALUE_LENGTH = 200;

/** The filter in a query string; values that are not one short string are ignored. */
export function parseRowFilter(query: Readonly<Record<string, unknown>>): RowFilter {
  const filter: Record<string, string> = {};
  for (const key of KEYS) {
    const value = query[key];
    if (typeof value === 'string' && value !== '' && value.length <= MAX_VALUE_LENGTH) filter[key] = value;
  }
  return filter;
}

/** The rows that pass every filter, in their order. */
export function filterRows(rows: readonly JobRow[], filter: RowFilter): JobRow[] {
  return rows.filter(row =>
    (filter.state === undefined || row.state === filter.state) &&
    (filter.team === undefined || (row.team ?? NO_TEAM) === filter.team) &&
    (filter.project === undefined || row.project === filter.project));
}

/** Every state, team and project that occurs in `rows`. */
export function facetsOf(rows: readonly JobRow[]): Facets {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  return {
    states: sorted(rows.map(row => row.state)),
    teams: sorted(rows.map(row => row.team ?? NO_TEAM)),
    projects: sorted(rows.map(row => row.project)),
  };
}
