// The gate's HTTP edge inside functions-framework: body limits, error envelopes, time limit, handler.
export * from './deadline.js';
export * from './framework-errors.js';
export * from './gate-handler.js';
export * from './install-edge-guard.js';
export * from './leave-framework-domain.js';
export * from './read-gate-request.js';
export * from './send-gate-error.js';
export * from './to-gate-error.js';
