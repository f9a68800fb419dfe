// The Firestore adapter: PollStore (job mirror, history, outbox, digests, leases).
export {COLLECTIONS, docIdOf, historyIdOf, jobIdOf, targetKeyOf} from './collections.js';
export * from './firestore-poll-store.js';
export {MAX_OUTBOX_DOC_BYTES} from './outbox-doc.js';
export {MAX_TRANSACTION_BYTES} from './record-observations.js';
export * from './stored-data.js';
export {auditIdOf, createFirestoreEnforceStore, ENFORCE_CALLER} from './firestore-enforce-store.js';
