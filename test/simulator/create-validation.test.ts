import {describe, expect, it} from 'vitest';
import {aJobBody, api, useSimulator} from './support.js';

const ctx = useSimulator();

type Body = Record<string, any>;
const algorithm = (b: Body) => b.nasJobSpec.multiTrialAlgorithmSpec;
const pool = (b: Body) => algorithm(b).searchTrialSpec.searchTrialJobSpec.workerPoolSpecs[0];
const SEARCH = 'nas_job.nas_job_spec.multi_trial_algorithm_spec.search_trial_spec';
const POOL = `${SEARCH}.search_trial_job_spec.worker_pool_specs[0]`;

const invalidCases: [string, (b: Body) => void, string][] = [
  ['displayName missing', b => delete b.displayName, 'nas_job.display_name'],
  ['displayName empty', b => (b.displayName = ''), 'nas_job.display_name'],
  ['displayName over 128 characters', b => (b.displayName = 'x'.repeat(129)), 'nas_job.display_name'],
  ['nasJobSpec missing', b => delete b.nasJobSpec, 'nas_job.nas_job_spec'],
  ['searchTrialSpec missing', b => delete algorithm(b).searchTrialSpec, SEARCH],
  ['workerPoolSpecs empty', b => (algorithm(b).searchTrialSpec.searchTrialJobSpec.workerPoolSpecs = []), `${SEARCH}.search_trial_job_spec.worker_pool_specs`],
  ['machineType missing', b => delete pool(b).machineSpec.machineType, `${POOL}.machine_spec.machine_type`],
  ['imageUri missing', b => delete pool(b).containerSpec.imageUri, `${POOL}.container_spec.image_uri`],
  ['neither container nor python package', b => delete pool(b).containerSpec, `${POOL}.container_spec`],
  ['python package without module', b => {
    delete pool(b).containerSpec;
    pool(b).pythonPackageSpec = {executorImageUri: 'us-docker.pkg.dev/vertex-ai/training/tf:latest', packageUris: ['gs://b/p.tar.gz']};
  }, `${POOL}.python_package_spec.python_module`],
  ['maxTrialCount missing', b => delete algorithm(b).searchTrialSpec.maxTrialCount, `${SEARCH}.max_trial_count`],
  ['maxParallelTrialCount missing', b => delete algorithm(b).searchTrialSpec.maxParallelTrialCount, `${SEARCH}.max_parallel_trial_count`],
  ['negative maxFailedTrialCount', b => (algorithm(b).searchTrialSpec.maxFailedTrialCount = -1), `${SEARCH}.max_failed_trial_count`],
  ['metric missing', b => delete algorithm(b).metric, 'nas_job.nas_job_spec.multi_trial_algorithm_spec.metric'],
  ['metricId with whitespace', b => (algorithm(b).metric.metricId = 'top 1'), 'nas_job.nas_job_spec.multi_trial_algorithm_spec.metric.metric_id'],
  ['goal missing', b => delete algorithm(b).metric.goal, 'nas_job.nas_job_spec.multi_trial_algorithm_spec.metric.goal'],
  ['label key with capitals', b => (b.labels = {Team: 'x'}), 'nas_job.labels[Team]'],
  ['label value too long', b => (b.labels = {team: 'v'.repeat(64)}), 'nas_job.labels[team]'],
  ['more than 64 labels', b => (b.labels = Object.fromEntries(Array.from({length: 65}, (_, i) => [`k${i}`, 'v']))), 'nas_job.labels'],
  ['unknown sim-scenario', b => (b.labels = {'sim-scenario': 'explode'}), 'nas_job.labels[sim-scenario]'],
  ['resume of an unknown job', b => (b.nasJobSpec.resumeNasJobId = '123'), 'nas_job.nas_job_spec.resume_nas_job_id'],
  ['train spec without frequency', b => (algorithm(b).trainTrialSpec = {
    maxParallelTrialCount: 1,
    trainTrialJobSpec: algorithm(b).searchTrialSpec.searchTrialJobSpec,
  }), 'nas_job.nas_job_spec.multi_trial_algorithm_spec.train_trial_spec.frequency'],
];

describe('nasJobs.create validation', () => {
  it.each(invalidCases)('rejects a body when %s', async (_, mutate, field) => {
    const body = aJobBody();
    mutate(body);
    const reply = await api.create(ctx.sim, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.status).toBe('INVALID_ARGUMENT');
    expect(reply.body.error.code).toBe(400);
    const detail = reply.body.error.details.find((d: any) => d['@type'] === 'type.googleapis.com/google.rpc.BadRequest');
    expect(detail.fieldViolations.map((v: any) => v.field)).toContain(field);
    expect(reply.body.error.message).toContain(field);
  });

  it('reports every violation of one body at once', async () => {
    const body = aJobBody();
    delete body.displayName;
    delete algorithm(body).metric;
    const reply = await api.create(ctx.sim, body);
    expect(reply.body.error.details[0].fieldViolations).toHaveLength(2);
  });

  it('rejects unknown members with the transcoder message naming the member and its path', async () => {
    const body = aJobBody();
    pool(body).machineSpec.gpuKind = 'big';
    const reply = await api.create(ctx.sim, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toBe(
      `Invalid JSON payload received. Unknown name "gpuKind" at '${POOL}.machine_spec': Cannot find field.`,
    );
  });

  it('rejects members of the wrong JSON type', async () => {
    const reply = await api.create(ctx.sim, {...aJobBody(), displayName: 42});
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toContain("Invalid value at 'nas_job.display_name' (TYPE_STRING), 42");
  });

  it('rejects an unknown enum name', async () => {
    const body = aJobBody();
    pool(body).machineSpec.acceleratorType = 'NVIDIA_TESLA_Q9';
    const reply = await api.create(ctx.sim, body);
    expect(reply.body.error.message).toContain('google.cloud.aiplatform.v1.AcceleratorType');
  });

  it('answers malformed JSON with 400 INVALID_ARGUMENT', async () => {
    const reply = await api.create(ctx.sim, '{"displayName": ');
    expect(reply.status).toBe(400);
    expect(reply.body.error.status).toBe('INVALID_ARGUMENT');
    expect(reply.body.error.message).toMatch(/^Invalid JSON payload received\./);
  });

  it('ignores output-only members sent by the client', async () => {
    const body = {...aJobBody(), name: 'projects/x/locations/y/nasJobs/1', state: 'JOB_STATE_SUCCEEDED', createTime: '2001-01-01T00:00:00Z'};
    const reply = await api.create(ctx.sim, body);
    expect(reply.status).toBe(200);
    expect(reply.body.state).toBe('JOB_STATE_PENDING');
    expect(reply.body.name).not.toBe(body.name);
    expect(reply.body.createTime).not.toBe(body.createTime);
  });

  it('accepts snake_case member names, numeric enums and int64 numbers, and answers canonical camelCase', async () => {
    const body = {
      display_name: 'snake-job',
      labels: {'sim-scenario': 'succeed'},
      nas_job_spec: {
        multi_trial_algorithm_spec: {
          multi_trial_algorithm: 2,
          metric: {metric_id: 'loss', goal: 2},
          search_trial_spec: {
            max_trial_count: 4,
            max_parallel_trial_count: '2',
            search_trial_job_spec: {
              worker_pool_specs: [{
                machine_spec: {machine_type: 'n1-standard-4', accelerator_type: 5, accelerator_count: 1},
                replica_count: 1,
                container_spec: {image_uri: 'gcr.io/p/t'},
              }],
            },
          },
        },
      },
    };
    const reply = await api.create(ctx.sim, body);
    expect(reply.status).toBe(200);
    expect(reply.body.displayName).toBe('snake-job');
    const spec = reply.body.nasJobSpec.multiTrialAlgorithmSpec;
    expect(spec.multiTrialAlgorithm).toBe('GRID_SEARCH');
    expect(spec.metric).toEqual({metricId: 'loss', goal: 'MINIMIZE'});
    expect(spec.searchTrialSpec.maxParallelTrialCount).toBe(2);
    const created = spec.searchTrialSpec.searchTrialJobSpec.workerPoolSpecs[0];
    expect(created.machineSpec.acceleratorType).toBe('NVIDIA_TESLA_T4');
    expect(created.replicaCount).toBe('1');
  });

  it('accepts the resume_nas_job_id spelling Google\'s CLI sends, without a metric', async () => {
    const first = await api.create(ctx.sim, aJobBody());
    const body = aJobBody();
    delete algorithm(body).metric;
    body.nasJobSpec.resume_nas_job_id = first.body.name.split('/').pop();
    const reply = await api.create(ctx.sim, body);
    expect(reply.status).toBe(200);
    expect(reply.body.nasJobSpec.resumeNasJobId).toBe(body.nasJobSpec.resume_nas_job_id);
  });

  it('accepts zero trial counts when they are sent explicitly (proxy-task style)', async () => {
    const reply = await api.create(ctx.sim, aJobBody({maxTrialCount: 0, maxParallelTrialCount: 0}));
    expect(reply.status).toBe(200);
  });
});
