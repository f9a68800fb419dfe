// firestore.rules must refuse every client: nasmon's data is read and written only by its functions
// through the server SDK (which the rules do not apply to). Checked against the emulator with the
// rules loaded, over Firestore's REST API as a client would call it: without credentials, and with
// a signed-in user's token (the emulator accepts unsigned Firebase tokens). The same reads and
// writes as the server SDK's admin identity succeed, so a refusal is the rules' doing.
import {readFileSync} from 'node:fs';
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {Firestore} from '@google-cloud/firestore';
import {describeWithEmulators, emulatorFirestore, resetFirestore, testProjectId} from '../harness/emulators.js';

const projectId = testProjectId(import.meta.url);
const host = () => `http://${process.env.FIRESTORE_EMULATOR_HOST}`;
const documents = () => `${host()}/v1/projects/${projectId}/databases/(default)/documents`;

/** An unsigned Firebase ID token, which the emulator accepts as a signed-in user's. */
function userToken(uid: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({alg: 'none', typ: 'JWT'})}.${part({
    iss: `https://securetoken.google.com/${projectId}`, aud: projectId, sub: uid, user_id: uid, iat: now, exp: now + 3600,
    auth_time: now, firebase: {sign_in_provider: 'password'},
  })}.`;
}

const CLIENTS: ReadonlyArray<[string, Record<string, string>]> = [
  ['an anonymous client', {}],
  ['a signed-in user', {authorization: `Bearer ${userToken('mallory')}`}],
];

describeWithEmulators('firestore.rules', () => {
  let firestore: Firestore;

  beforeAll(async () => {
    firestore = emulatorFirestore(projectId);
    await resetFirestore(projectId);
    const rules = readFileSync('firestore.rules', 'utf8');
    const loaded = await fetch(`${host()}/emulator/v1/projects/${projectId}:securityRules`, {
      method: 'PUT', headers: {'content-type': 'application/json'},
      body: JSON.stringify({rules: {files: [{name: 'firestore.rules', content: rules}]}}),
    });
    expect(loaded.status, await loaded.text()).toBe(200);
    await firestore.doc('nasJobs/projects~1~locations~l~nasJobs~9').set({name: 'projects/1/locations/l/nasJobs/9', state: 'JOB_STATE_RUNNING'});
    await firestore.doc('nasmonAudit/a1').set({caller: 'alice@example.com'});
  });
  afterAll(async () => firestore?.terminate());

  it.each(CLIENTS)('refuses %s reading a job, the audit trail or a listing', async (_, headers) => {
    for (const path of ['nasJobs/projects~1~locations~l~nasJobs~9', 'nasmonAudit/a1', 'nasJobs']) {
      const response = await fetch(`${documents()}/${path}`, {headers});
      expect(response.status, path).toBe(403);
      expect(((await response.json()) as {error: {status: string}}).error.status).toBe('PERMISSION_DENIED');
    }
  });

  it.each(CLIENTS)('refuses %s writing or deleting', async (_, headers) => {
    const write = await fetch(`${documents()}/nasmonAudit/forged`, {
      method: 'PATCH', headers: {...headers, 'content-type': 'application/json'},
      body: JSON.stringify({fields: {caller: {stringValue: 'mallory'}}}),
    });
    expect(write.status).toBe(403);
    const removal = await fetch(`${documents()}/nasJobs/projects~1~locations~l~nasJobs~9`, {method: 'DELETE', headers});
    expect(removal.status).toBe(403);
    expect((await firestore.doc('nasmonAudit/forged').get()).exists).toBe(false);
    expect((await firestore.doc('nasJobs/projects~1~locations~l~nasJobs~9').get()).exists).toBe(true);
  });

  it('lets the server SDK, which the functions use, read what clients may not', async () => {
    const response = await fetch(`${documents()}/nasmonAudit/a1`, {headers: {authorization: 'Bearer owner'}});
    expect(response.status).toBe(200);
    expect((await firestore.doc('nasmonAudit/a1').get()).get('caller')).toBe('alice@example.com');
  });
});
