// The composition root, by function: each function's wiring lives in wiring/, over the SDK clients
// they share (wiring/clients.ts). Entry points import their own wiring; this index names every
// function's in one place. Tests build their own dependencies.
export {productionDeps, type Deps} from './wiring/poll.js';
export {productionGateDeps} from './wiring/gate.js';
export {productionNotifyDeps} from './wiring/notify.js';
export {productionEnforceDeps} from './wiring/enforce.js';
export {productionDashboardDeps} from './wiring/dashboard.js';
