// The dashboard's pure core: stored documents (already typed by the adapter) in, view models out.
// No I/O and no clock: callers pass `nowMs`.
export * from './activity.js';
export * from './can-view.js';
export * from './dashboard-inputs.js';
export * from './filter-rows.js';
export * from './job-detail.js';
export * from './job-row.js';
export * from './runtime-limit.js';
export * from './timeline.js';
export * from './trial-curve.js';
