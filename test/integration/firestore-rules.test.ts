// firestore.rules must refuse every client: nasmon's data is read and written only by its functions
// through the server SDK (which the rules do not apply to). Checked the way an attacker with the
// project's web config would try it: the Firebase JS client SDK (`firebase/firestore`) connected to
// the emulator with the rules loaded, once without any sign-in and once as a signed-in user
// (`mockUserToken`, which the emulator accepts in place of a real Firebase ID token). Every nasmon
// collection is tried (the list comes from the code, so a new collection is covered the day it is
// added): get, list, a query, create, update and delete, each refused with `permission-denied`.
// The admin client reads the same documents afterwards, unchanged; and the same client, on a project
// whose rules allow everything, reads and writes: so each refusal is firestore.rules' doing, not the
// client's set-up.
import {readFileSync} from 'node:fs';
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {Firestore as AdminFirestore} from '@google-cloud/firestore';
import {deleteApp, initializeApp, type FirebaseApp} from 'firebase/app';
import {
  collection, collectionGroup, connectFirestoreEmulator, deleteDoc, doc, getDoc, getDocs, getFirestore, limit, query, setDoc,
  setLogLevel, terminate, updateDoc, where, type EmulatorMockTokenOptions, type Firestore as ClientFirestore,
} from 'firebase/firestore';
import {COLLECTIONS} from '../../shared/adapters/firestore/collections.js';
import {describeWithEmulators, emulatorFirestore, resetFirestore, testProjectId} from '../harness/emulators.js';

const projectId = testProjectId(import.meta.url);
/** A project with allow-all rules: the control that shows the client set-up itself works. */
const openProjectId = `${projectId}-open`;
const ALLOW_ALL = "rules_version = '2';\nservice cloud.firestore { match /databases/{database}/documents { match /{document=**} { allow read, write: if true; } } }";
const JOB = 'projects~1~locations~l~nasJobs~9';

/**
 * One document path per nasmon collection, subcollections included: every entry of COLLECTIONS, a
 * subcollection's name placed under a parent document as nasmon nests it.
 */
const SUBCOLLECTION_PARENTS: Readonly<Record<string, string>> = {
  [COLLECTIONS.history]: `${COLLECTIONS.jobs}/${JOB}`,
  [COLLECTIONS.notifyGroups]: `${COLLECTIONS.notifyHeads}/${JOB}@slack`,
};
const PATHS: readonly string[] = [
  ...Object.values(COLLECTIONS).map(name => `${SUBCOLLECTION_PARENTS[name] ? `${SUBCOLLECTION_PARENTS[name]}/` : ''}${name}/seeded`),
  `${COLLECTIONS.targets}/p:l/digest/0`,
];

/** The claims of a signed-in Firebase user, as `mockUserToken` hands them to the emulator. */
const mockUser: EmulatorMockTokenOptions = {user_id: 'mallory', sub: 'mallory', email: 'mallory@example.com', firebase: {sign_in_provider: 'password', identities: {}}};

const CLIENTS: ReadonlyArray<[string, boolean]> = [['an anonymous client', false], ['a signed-in user', true]];

interface Client {
  readonly app: FirebaseApp;
  readonly db: ClientFirestore;
}

/** A client app of the project connected to the harness's emulator, anonymous or as `mockUser`. */
function clientOf(who: string, signedIn: boolean, project = projectId): Client {
  const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? '').split(':');
  const app = initializeApp({projectId: project, apiKey: 'fake-api-key'}, `${project}-${who.replaceAll(' ', '-')}`);
  const db = getFirestore(app);
  connectFirestoreEmulator(db, host ?? '127.0.0.1', Number(port), signedIn ? {mockUserToken: mockUser} : {});
  return {app, db};
}

/**
 * Loads rules into the harness's emulator for one project. The harness starts one emulator for all
 * test files without rules; rules are set per project, so only this file's projects change.
 */
async function loadRules(project: string, content: string): Promise<void> {
  const loaded = await fetch(`http://${process.env.FIRESTORE_EMULATOR_HOST}/emulator/v1/projects/${project}:securityRules`, {
    method: 'PUT', headers: {'content-type': 'application/json'},
    body: JSON.stringify({rules: {files: [{name: 'firestore.rules', content}]}}),
  });
  expect(loaded.status, await loaded.text()).toBe(200);
}

/** Resolves with the error code of a call that must fail (a success fails the test). */
async function refusal(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (error) {
    return (error as {code?: string}).code ?? String(error);
  }
  return 'allowed';
}

describeWithEmulators('firestore.rules, through the Firebase client SDK', () => {
  let admin: AdminFirestore;
  const clients = new Map<string, Client>();

  beforeAll(async () => {
    setLogLevel('silent'); // each refusal would otherwise log a gRPC error line
    admin = emulatorFirestore(projectId);
    await resetFirestore(projectId);
    await resetFirestore(openProjectId);
    await loadRules(projectId, readFileSync('firestore.rules', 'utf8'));
    await loadRules(openProjectId, ALLOW_ALL);
    for (const path of PATHS) await admin.doc(path).set({seeded: true, caller: 'alice@example.com'});
    for (const [who, signedIn] of CLIENTS) clients.set(who, clientOf(who, signedIn));
  });

  afterAll(async () => {
    for (const client of clients.values()) {
      await terminate(client.db);
      await deleteApp(client.app);
    }
    await admin?.terminate();
  });

  it.each(CLIENTS)('refuses %s reading: get, list, query, collection group', async who => {
    const {db} = clients.get(who)!;
    const codes: Record<string, string> = {};
    for (const path of PATHS) {
      const parent = path.slice(0, path.lastIndexOf('/'));
      codes[`get ${path}`] = await refusal(() => getDoc(doc(db, path)));
      codes[`list ${parent}`] = await refusal(() => getDocs(collection(db, parent)));
      codes[`query ${parent}`] = await refusal(() => getDocs(query(collection(db, parent), where('seeded', '==', true), limit(1))));
    }
    codes['collection group history'] = await refusal(() => getDocs(collectionGroup(db, COLLECTIONS.history)));
    expect(Object.keys(codes)).toHaveLength(PATHS.length * 3 + 1);
    expect(Object.entries(codes).filter(([, code]) => code !== 'permission-denied'), who).toEqual([]);
  });

  it.each(CLIENTS)('refuses %s writing: create, update, delete', async who => {
    const {db} = clients.get(who)!;
    const codes: Record<string, string> = {};
    for (const path of PATHS) {
      const parent = path.slice(0, path.lastIndexOf('/'));
      codes[`create ${parent}/forged`] = await refusal(() => setDoc(doc(db, `${parent}/forged`), {caller: 'mallory'}));
      codes[`update ${path}`] = await refusal(() => updateDoc(doc(db, path), {caller: 'mallory'}));
      codes[`delete ${path}`] = await refusal(() => deleteDoc(doc(db, path)));
    }
    expect(Object.keys(codes)).toHaveLength(PATHS.length * 3);
    expect(Object.entries(codes).filter(([, code]) => code !== 'permission-denied'), who).toEqual([]);
  });

  it('leaves the admin client (the functions\' server SDK) reading and writing as before', async () => {
    for (const path of PATHS) {
      const parent = path.slice(0, path.lastIndexOf('/'));
      expect((await admin.doc(path).get()).data(), path).toEqual({seeded: true, caller: 'alice@example.com'});
      expect((await admin.doc(`${parent}/forged`).get()).exists, path).toBe(false);
    }
    await admin.doc(`${COLLECTIONS.audit}/by-admin`).set({caller: 'nasmon'});
    expect((await admin.collection(COLLECTIONS.audit).where('caller', '==', 'nasmon').get()).size).toBe(1);
    expect((await admin.collectionGroup(COLLECTIONS.history).get()).size).toBe(1);
  });

  it('lets the same client through where the rules allow it (the control)', async () => {
    const {app, db} = clientOf('a signed-in user', true, openProjectId);
    try {
      await setDoc(doc(db, `${COLLECTIONS.audit}/open`), {caller: 'mallory'});
      expect((await getDoc(doc(db, `${COLLECTIONS.audit}/open`))).get('caller')).toBe('mallory');
    } finally {
      await terminate(db);
      await deleteApp(app);
    }
  });
});
