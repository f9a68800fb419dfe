// The gate's pure edge logic: routing and parsing of calls, create-body validation, error envelopes.
export * from './create-body-schema.js';
export * from './error-envelope.js';
export * from './gate-error.js';
export * from './gate-errors.js';
export * from './gate-request.js';
export * from './labels.js';
export * from './parse-gate-path.js';
export * from './parse-gate-query.js';
export * from './parse-gate-request.js';
export * from './parse-list-filter.js';
export * from './strict-json.js';
export * from './validate-create-body.js';
