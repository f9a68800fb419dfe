// Enforcement of the runtime rules: pure, no I/O, no clock. planEnforcement decides one evaluation
// of one job; the rest are its parts, exported for the use cases and for tests.
export * from './decide-rules.js';
export * from './enforce-state.js';
export * from './enforcement-action.js';
export * from './job-facts.js';
export * from './measure-rule.js';
export * from './parse-enforce-trigger.js';
export * from './plan-enforcement.js';
export * from './rule-scope.js';
export * from './trial-log.js';
export * from './verify-cancel.js';
