/**
 * The Pulumi component against Pulumi's mock engine: it must register exactly the YAML target's objects,
 * as children ordered by sync wave, and refuse a bad spec before registering anything.
 */
import * as pulumi from '@pulumi/pulumi';
import { synthDocuments } from '../../../src/constructs/synth';
import { SpecValidationError } from '../../../src/document/errors';
import type { CanaryAppDocument } from '../../../src/document/types';
import { exampleDocuments } from '../../support/examples';

type Module = typeof import('../../../src/pulumi');
type K8s = typeof import('@pulumi/kubernetes');
let mod: Module;
let k8s: K8s;
const registered: pulumi.runtime.MockResourceArgs[] = [];

beforeAll(async () => {
  // The mocks must be in place before any resource class is loaded.
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push(args);
      return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'canarykit', 'test', false);
  mod = await import('../../../src/pulumi');
  k8s = await import('@pulumi/kubernetes');
});

const docs: CanaryAppDocument[] = exampleDocuments();
const valueOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
/** The kinds in the Rollout's sync wave (syncWave): each depends on every child of the wave before. */
const WITH_ROLLOUT = new Set(['Rollout', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);

/** Creates the component and records every child's options; resolves once every child is registered. */
async function deploy(name: string, doc: CanaryAppDocument) {
  const children = new Map<pulumi.Resource, pulumi.ResourceTransformationArgs>();
  const app = new mod.CanaryApp(name, doc, {
    // Transformations see the component itself too, and every child with its final options.
    transformations: [(args) => { if (args.type !== mod.CANARY_APP_TYPE) children.set(args.resource, args); return undefined; }],
  });
  await Promise.all(app.resources.map((r) => valueOf(r.urn)));
  return { app, children };
}

const withoutSkipAwait = (inputs: any) => {
  const { [mod.SKIP_AWAIT_ANNOTATION]: _skip, ...annotations } = inputs.metadata.annotations;
  return { ...inputs, metadata: { ...inputs.metadata, annotations } };
};

describe.each(docs.map((d) => [d.metadata.name, d] as const))('CanaryApp %s', (appName, doc) => {
  const expected = synthDocuments([doc])[0].objects;

  test('registers the component, then exactly the YAML objects as its children', async () => {
    registered.length = 0;
    const { app } = await deploy(`${appName}-objects`, doc);
    expect(registered[0]).toMatchObject({ type: mod.CANARY_APP_TYPE, name: `${appName}-objects`, custom: false });
    const children = registered.slice(1);
    expect(children.map((r) => r.name).sort()).toEqual(expected.map((o) => `${appName}-objects/${o.metadata.name}`).sort());
    for (const obj of expected) {
      const child = children.find((r) => r.name === `${appName}-objects/${obj.metadata.name}` && r.inputs.kind === obj.kind)!;
      const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['core', obj.apiVersion];
      expect(child.type).toBe(`kubernetes:${group}/${version}:${obj.kind}`);
      const skipsAwait = obj.kind === 'Service' || obj.kind === 'Ingress';
      expect(child.inputs.metadata.annotations[mod.SKIP_AWAIT_ANNOTATION]).toBe(skipsAwait ? 'true' : undefined);
      expect(skipsAwait ? withoutSkipAwait(child.inputs) : child.inputs).toEqual(obj);
    }
    const typed = app.resources.filter((r) => r instanceof k8s.core.v1.Service || r instanceof k8s.core.v1.ServiceAccount
      || r instanceof k8s.networking.v1.Ingress || r instanceof k8s.autoscaling.v2.HorizontalPodAutoscaler || r instanceof k8s.policy.v1.PodDisruptionBudget);
    expect(typed.length).toBe(expected.filter((o) => ['Service', 'ServiceAccount', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'].includes(o.kind)).length);
    // CustomResources: every CRD kind, the Gateway API's routes included (their group is under k8s.io).
    expect(app.resources.length - typed.length).toBe(expected.filter((o) => o.apiVersion.includes('.') && (!o.apiVersion.includes('k8s.io') || o.apiVersion.startsWith('gateway.networking.k8s.io/'))).length);
  });

  test('children have the component as parent; the Rollout (with the HPA and PDB of its sync wave) depends on every other child; only controller-owned fields are ignored', async () => {
    const { app, children } = await deploy(`${appName}-deps`, doc);
    const names = new Map(app.resources.map((r, i) => [r, expected[i]]));
    expect(children.size).toBe(expected.length);
    for (const { name: childName, opts, props } of children.values()) {
      expect(opts.parent).toBe(app);
      const deps = (opts.dependsOn ?? []) as pulumi.Resource[];
      const kinds = deps.map((d) => names.get(d as any)!.kind);
      if (WITH_ROLLOUT.has(props.kind)) {
        expect(kinds.sort()).toEqual(expected.filter((o) => !WITH_ROLLOUT.has(o.kind)).map((o) => o.kind).sort());
      } else {
        expect({ childName, kinds }).toEqual({ childName, kinds: [] });
      }
      const role = props.metadata.labels['canarykit.dev/service'];
      // The controller re-points the strategy's Services and writes Istio weights and subsets; the Gateway API plugin rewrites the rules of a route canarykit created; an HPA writes the Rollout's replicas.
      const owned = props.kind === 'Service' && role !== 'root' ? ['spec.selector']
        : props.kind === 'Rollout' && doc.spec.autoscaling ? ['spec.replicas']
        : props.kind === 'VirtualService' ? ['spec.http'] : props.kind === 'DestinationRule' ? ['spec.subsets']
          : props.kind === 'HTTPRoute' || props.kind === 'GRPCRoute' ? ['spec.rules'] : undefined;
      expect({ childName, ignore: opts.ignoreChanges }).toEqual({ childName, ignore: owned });
    }
  });

  test('outputs name the Rollout, Services and Ingress host', async () => {
    const { app } = await deploy(`${appName}-outputs`, doc);
    const service = (role: string) => expected.find((o) => o.kind === 'Service' && o.metadata.labels['canarykit.dev/service'] === role)?.metadata.name;
    expect(await valueOf(app.rolloutName)).toBe(appName);
    expect(await valueOf(app.namespace)).toBe(doc.metadata.namespace ?? 'default');
    expect(await valueOf(app.stableServiceName)).toBe(service('stable'));
    expect(await valueOf(app.canaryServiceName)).toBe(service('canary'));
    expect(await valueOf(app.activeServiceName)).toBe(service('active'));
    expect(await valueOf(app.previewServiceName)).toBe(service('preview'));
    expect(await valueOf(app.rootServiceName)).toBe(service('root'));
    const ingress = expected.find((o) => o.kind === 'Ingress');
    expect(await valueOf(app.ingressHost)).toBe(ingress?.spec.rules[0].host);
  });
});

test('a bad spec throws every problem before anything is registered', async () => {
  registered.length = 0;
  const doc = docs[0];
  const bad = { ...doc, spec: { ...doc.spec, replicas: -1, canary: { ...doc.spec.canary, steps: [{ setWeight: 150 }] } } };
  let thrown: unknown;
  try {
    new mod.CanaryApp('bad', bad);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(SpecValidationError);
  expect((thrown as SpecValidationError).issues.map((i) => i.path)).toEqual(['spec.replicas', 'spec.canary.steps[0].setWeight']);
  await new Promise((r) => setTimeout(r, 100));
  expect(registered).toEqual([]);
});

test('null args, a pulumi.output(spec) and a cyclic jsonBody are spec errors, not a TypeError or a stack overflow', () => {
  const errors = (args: unknown) => {
    try {
      new mod.CanaryApp('odd', args as never);
    } catch (e) {
      expect(e).toBeInstanceOf(SpecValidationError);
      return (e as SpecValidationError).issues.map((i) => `${i.path}: ${i.message}`);
    }
    throw new Error('no error');
  };
  expect(errors(null)).toEqual(['spec: is required']);
  expect(errors({ spec: pulumi.output(docs[0].spec) })).toEqual([expect.stringMatching(/^spec: is a \w+, not plain data \(pass plain values: a Pulumi Output's value is not known when the spec is checked\)$/)]);
  const body: Record<string, unknown> = { a: 1 };
  body.self = body;
  const spec = { image: { repository: 'x', tag: '1' }, canary: { weights: [50] }, analysisTemplates: [{ name: 't', metrics: [{ name: 'm', successCondition: 'result == 1', provider: { web: { url: 'http://x/', method: 'POST', jsonBody: body, jsonPath: '{$.a}' } } }] }] };
  expect(errors({ spec })).toEqual(['spec.analysisTemplates[0].metrics[0].provider.web.jsonBody.self: contains itself (a cycle): a spec is plain data, a tree']);
});
