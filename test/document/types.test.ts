/**
 * The spec types are inferred from the schema: `as const` literals (what construct users write) type-check,
 * wrong shapes do not, and the types are readonly. Checked by `tsc -p tsconfig.test.json`; the runtime
 * assertions only keep jest from reporting an empty suite.
 */
import type * as t from '../../src/document/types';
import { specSchema } from '../../src/document/schema';

const spec = {
  image: { repository: 'example/web', tag: '1.2.3' },
  env: [{ name: 'MODE', value: 'canary' }],
  podLabels: { team: 'shop' },
  probes: { readiness: { httpGet: { path: '/healthz' } }, liveness: false },
  canary: {
    steps: [{ setWeight: 10 }, { pause: { duration: '1m' } }, { analysis: { templates: ['rate', { name: 'shared', cluster: true }] } }],
  },
  analysisTemplates: [{
    name: 'rate',
    metrics: [{ name: 'ok', provider: { successRate: { metric: 'http_requests_total', canary: { hash: '{{args.h}}' }, success: { label: 'code', op: '!~', value: '5..' }, threshold: 0.99 } } }],
  }],
} as const;

const typed: t.CanaryAppSpec = spec;

// @ts-expect-error an unknown pull policy
const badPolicy: t.ImageSpec = { repository: 'x', pullPolicy: 'Sometimes' };
// @ts-expect-error a workloadRef names its Deployment (the image or the workloadRef: a rule, not the type)
const noImage: t.WorkloadRefSpec = { scaleDown: 'never' };
const mutate = () => {
  // @ts-expect-error readonly: a parsed spec is not mutated
  typed.podLabels!.team = 'other';
};
const step: t.CanaryStep = { pause: { duration: 30 } };
const noData: t.NoDataPolicy = 'inconclusive';

test('an `as const` spec that type-checks also parses', () => {
  expect(specSchema.safeParse(spec).success).toBe(true);
  expect([badPolicy, noImage, step, noData, mutate]).toHaveLength(5);
});
