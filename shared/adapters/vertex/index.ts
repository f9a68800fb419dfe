// The Vertex AI nasJobs REST client: transport, retries and the request budget.
export * from './collect-pages.js';
export {ALREADY_DELETED} from './delete-nas-job.js';
export {REQUEST_ID_LABEL} from './create-nas-job.js';
export * from './http-transport.js';
export * from './request-budget.js';
export * from './retry-policy.js';
export * from './retry-rules.js';
export * from './transport-error.js';
export {regionalBaseUrl} from './vertex-caller.js';
export * from './vertex-nas-client.js';
