// Deliberate crashes for the chaos soak (NASMON_CRASH_POINTS): a switch and the decorators that put
// its points around the ports. functions/wiring applies them; nothing else imports this folder.
export * from './crash-switch.js';
export * from './crashing-enforce-ports.js';
export * from './crashing-gate-ports.js';
export * from './crashing-event-publisher.js';
export * from './crashing-poll-store.js';
export * from './crashing-vertex-fetch.js';
