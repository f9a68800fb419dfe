// Fidelity check: drive the simulator with Google's own generated discovery client (googleapis),
// which builds URLs, query strings and bodies exactly as it does against Vertex.
import {OAuth2Client} from 'google-auth-library';
import {google, type aiplatform_v1} from 'googleapis';
import {beforeAll, describe, expect, it} from 'vitest';
import {admin, aJobBody, useSimulator} from './support.js';

const ctx = useSimulator();
const PARENT = 'projects/gapi-project/locations/us-central1';
let vertex: aiplatform_v1.Aiplatform;

beforeAll(() => {
  const auth = new OAuth2Client();
  auth.setCredentials({access_token: 'test', expiry_date: Date.now() + 3600e3});
  // googleapis types its `auth` against the google-auth-library copy nested under google-gax; the
  // top-level copy is the same class at runtime, only the private members' declarations differ.
  const options = {version: 'v1', rootUrl: `${ctx.sim.url}/`, auth} as unknown as aiplatform_v1.Options;
  vertex = google.aiplatform(options);
});

describe('googleapis aiplatform v1 client against the simulator', () => {
  it('creates, gets, lists over several pages, cancels and deletes NasJobs', async () => {
    const jobs = vertex.projects.locations.nasJobs;
    const created: aiplatform_v1.Schema$GoogleCloudAiplatformV1NasJob[] = [];
    for (let i = 0; i < 7; i++) {
      const labels = {'sim-scenario': 'stuck-pending', 'sim-cancel': 'cancelled', 'batch': i % 2 === 0 ? 'even' : 'odd'};
      const res = await jobs.create({parent: PARENT, requestBody: aJobBody({displayName: `gapi-${i}`, labels})});
      expect(res.status).toBe(200);
      created.push(res.data);
    }
    const first = created[0]!;
    expect(first.name).toMatch(/^projects\/\d{12}\/locations\/us-central1\/nasJobs\/\d{19}$/);
    expect(first.state).toBe('JOB_STATE_PENDING');

    const got = await jobs.get({name: first.name!});
    expect(got.data.displayName).toBe('gapi-0');
    expect(got.data.nasJobSpec?.multiTrialAlgorithmSpec?.searchTrialSpec?.maxTrialCount).toBe(6);

    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const params: aiplatform_v1.Params$Resource$Projects$Locations$Nasjobs$List = {parent: PARENT, filter: 'labels.batch="even"', pageSize: 2};
      if (pageToken) params.pageToken = pageToken;
      const res = await jobs.list(params);
      pages++;
      for (const job of res.data.nasJobs ?? []) {
        expect(job.nasJobOutput).toBeUndefined();
        seen.push(job.displayName!);
      }
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(['gapi-0', 'gapi-2', 'gapi-4', 'gapi-6']);

    const cancelled = await jobs.cancel({name: first.name!, requestBody: {}});
    expect(cancelled.data).toEqual({});
    expect((await jobs.get({name: first.name!})).data.state).toBe('JOB_STATE_CANCELLING');
    await admin(ctx.sim, 'POST', 'clock:advance', {seconds: 300});
    const after = (await jobs.get({name: first.name!})).data;
    expect(after.state).toBe('JOB_STATE_CANCELLED');
    expect(after.error).toEqual({code: 1, message: 'CANCELED'});

    const deleted = await jobs.delete({name: first.name!});
    expect(deleted.data.done).toBe(true);
    expect(deleted.data.response?.['@type']).toBe('type.googleapis.com/google.protobuf.Empty');
    const operation = await vertex.projects.locations.operations.get({name: deleted.data.name!});
    expect(operation.data.name).toBe(deleted.data.name);
    await expect(jobs.get({name: first.name!})).rejects.toMatchObject({status: 404});
  });

  it('surfaces simulator errors as client errors with Google\'s status and message', async () => {
    const body = aJobBody();
    delete body.displayName;
    const attempt = vertex.projects.locations.nasJobs.create({parent: PARENT, requestBody: body});
    await expect(attempt).rejects.toMatchObject({status: 400, message: expect.stringContaining('nas_job.display_name')});
    const cancelTerminal = async () => {
      const job = (await vertex.projects.locations.nasJobs.create({parent: PARENT, requestBody: aJobBody({labels: {'sim-scenario': 'fail-capacity'}})})).data;
      await admin(ctx.sim, 'POST', 'clock:advance', {seconds: 3600});
      return vertex.projects.locations.nasJobs.cancel({name: job.name!});
    };
    await expect(cancelTerminal()).rejects.toMatchObject({status: 400});
  });

  it('lists trial details through the nested resource', async () => {
    const job = (await vertex.projects.locations.nasJobs.create({parent: PARENT, requestBody: aJobBody()})).data;
    await admin(ctx.sim, 'POST', 'clock:advance', {seconds: 24 * 3600});
    const res = await vertex.projects.locations.nasJobs.nasTrialDetails.list({parent: job.name!, pageSize: 20});
    expect(res.data.nasTrialDetails?.length).toBe(6);
    expect(res.data.nasTrialDetails?.[0]?.searchTrial?.finalMeasurement?.metrics?.[0]?.metricId).toBe('top_1_accuracy');
  });
});
