import * as fs from 'fs';
import * as path from 'path';
import { synthDocuments, KubeObject } from '../../../src/constructs/synth';
import { resolve } from '../../../src/model/resolve';
import { chartParameters } from '../../../src/targets/helm/parameters';
import { chartFiles } from '../../../src/targets/helm/chart';
import { writeOutput } from '../../../src/targets/output';
import { helperExprs } from '../../../src/targets/helm/helpers';
import { validateAll } from '../../support/schema';
import { exampleDocuments, ROOT } from '../../support/examples';
import { readTree } from '../../support/files';
import { helm, render, sorted, writeExampleCharts } from './helm';

const docs = exampleDocuments();
const apps = synthDocuments(docs);
let dir: string;
const defaults = new Map<string, KubeObject[]>();

beforeAll(() => {
  dir = writeExampleCharts();
  for (const app of apps) defaults.set(app.name, render(path.join(dir, app.name), app.name, app.namespace));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the committed charts/ are what `canarykit chart examples` writes', () => {
  expect(readTree(path.join(ROOT, 'charts'))).toEqual(readTree(dir));
});

describe.each(apps.map((a) => [a.name, a] as const))('chart %s', (name, app) => {
  const chart = () => path.join(dir, name);
  const doc = docs.find((d) => d.metadata.name === name)!;

  test('helm lint --strict passes', () => {
    const r = helm(['lint', '--strict', chart()]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  test('default values render exactly the synth objects (release = app name, namespace = spec namespace)', () => {
    expect(sorted(defaults.get(name)!)).toEqual(sorted(app.objects));
  });

  test('rendered objects validate against the CRD and Kubernetes schemas', () => {
    expect(validateAll(defaults.get(name)!)).toEqual([]);
  });

  test("Argo Rollouts' {{args.x}} placeholders survive helm", () => {
    const synth = JSON.stringify(app.objects).match(/\{\{args\.[a-z0-9-]+\}\}/g) ?? [];
    expect(JSON.stringify(defaults.get(name)).match(/\{\{args\.[a-z0-9-]+\}\}/g) ?? []).toEqual(synth);
  });

  test('names, selectors and the namespace follow the release; fullnameOverride wins', () => {
    // As if the spec itself had that name and namespace.
    const [renamed] = synthDocuments([{ ...doc, metadata: { ...doc.metadata, name: 'other', namespace: 'elsewhere' } }]);
    const expected = sorted(renamed.objects);
    expect(sorted(render(chart(), 'other', 'elsewhere'))).toEqual(expected);
    expect(sorted(render(chart(), 'ignored', 'elsewhere', ['--set', 'fullnameOverride=other']))).toEqual(expected);
  });

  const toggles = chartParameters(doc.metadata, doc.spec, resolve(doc.metadata, doc.spec), helperExprs(name).image).toggles;
  test('each on/off value removes exactly the objects it guards', () => {
    // Optional are the ServiceMonitor and an Ingress no traffic router needs; each has its toggle.
    const optional = app.objects.filter((o) => o.kind === 'ServiceMonitor' || (o.kind === 'Ingress' && !doc.spec.trafficRouting?.nginx));
    expect(toggles.map((t) => t.kind).sort()).toEqual(optional.map((o) => o.kind).sort());
    for (const { kind, expr } of toggles) {
      const rendered = render(chart(), name, app.namespace, ['--set', `${expr.replace(/^\.Values\./, '')}=false`]);
      expect(sorted(rendered)).toEqual(sorted(app.objects.filter((o) => o.kind !== kind)));
    }
  });
});

describe('values override exactly their fields (sample-app)', () => {
  const app = apps.find((a) => a.name === 'sample-app')!;
  const chart = () => path.join(dir, 'sample-app');
  const expectedWith = (edit: (objects: KubeObject[]) => KubeObject[]) => sorted(edit(structuredClone([...app.objects])));
  const find = (objects: KubeObject[], kind: string) => objects.find((o) => o.kind === kind)!;

  test('image tag, a weight, a pause, the success-rate threshold, replicas', () => {
    const rendered = render(chart(), 'sample-app', 'sample-app', [
      '--set', 'image.tag=2.0.0,canary.steps.quarter.setWeight=30,canary.steps.step_3.pause.duration=90s,replicas=3',
      '--set-json', 'analysis.success-share.success-share.threshold=0.95',
    ]);
    expect(sorted(rendered)).toEqual(expectedWith((objects) => {
      const rollout = find(objects, 'Rollout');
      rollout.spec.replicas = 3;
      rollout.spec.template.spec.containers[0].image = 'ghcr.io/jhandguy/canary-deployment/sample-app:2.0.0';
      rollout.spec.strategy.canary.steps[0].setWeight = 30;
      rollout.spec.strategy.canary.steps[3].pause.duration = '90s';
      for (const m of find(objects, 'AnalysisTemplate').spec.metrics) {
        m.successCondition = m.successCondition.replace('0.99', '0.95');
        m.failureCondition = m.failureCondition.replace('0.99', '0.95');
      }
      return objects;
    }));
  });

  test('ServiceMonitor selector labels, ingress host and annotations, Prometheus address', () => {
    const rendered = render(chart(), 'sample-app', 'sample-app', [
      '--set', 'serviceMonitor.selectorLabels.release=kube-prometheus,ingress.host=canary.example.com,prometheus.address=http://prom:9090',
      '--set-string', 'ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/ssl-redirect=true',
    ]);
    expect(sorted(rendered)).toEqual(expectedWith((objects) => {
      find(objects, 'ServiceMonitor').metadata.labels.release = 'kube-prometheus';
      const ingress = find(objects, 'Ingress');
      ingress.spec.rules[0].host = 'canary.example.com';
      ingress.metadata.annotations['nginx.ingress.kubernetes.io/ssl-redirect'] = 'true';
      for (const m of find(objects, 'AnalysisTemplate').spec.metrics) m.provider.prometheus.address = 'http://prom:9090';
      return objects;
    }));
  });

  test.each([
    ['replicas=three', /replicas.*(integer|number)/is],
    ['canary.steps.quarter.setWeight=150', /setWeight.*(maximum|100)/is],
    ['image.tag=latest', /at '\/image\/tag'/],
    ['serviceMonitor.interval=soon', /at '\/serviceMonitor\/interval': 'soon' does not match pattern/],
    ['replicass=3', /replicass/],
  ])('%s fails values.schema.json with a message naming the field', (set, message) => {
    const r = helm(['template', 'sample-app', chart(), '--set', set]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/values don't meet the specifications of the schema/);
    expect(r.stderr).toMatch(message);
  });
});

describe('domain events (pree-dew-app)', () => {
  const doc = docs.find((d) => d.metadata.name === 'pree-dew-app')!;
  const app = apps.find((a) => a.name === 'pree-dew-app')!;
  const chart = () => path.join(dir, 'pree-dew-app');

  test('events.enabled=false renders the app as if its spec had no events; step keys stay the same', () => {
    const [without] = synthDocuments([{ ...doc, spec: { ...doc.spec, events: undefined } }]);
    const rendered = render(chart(), app.name, app.namespace, ['--set', 'events.enabled=false,canary.steps.weight-40.setWeight=45']);
    const expected = structuredClone([...without.objects]);
    expected.find((o) => o.kind === 'Rollout')!.spec.strategy.canary.steps[2].setWeight = 45;
    expect(sorted(rendered)).toEqual(sorted(expected));
    expect(validateAll(rendered)).toEqual([]);
  });

  test('sink URL and token Secret change only the event Job env', () => {
    const rendered = render(chart(), app.name, app.namespace,
      ['--set', 'events.sink.url=https://events.example.com/hook,events.sink.tokenSecretName=events-token,events.sink.tokenSecretKey=token']);
    const expected = structuredClone([...app.objects]);
    const job = expected.find((o) => o.metadata.name === 'pree-dew-app-domain-event')!.spec.metrics[0].provider.job.spec.template.spec.containers[0];
    job.env.find((e: any) => e.name === 'EVENT_URL').value = 'https://events.example.com/hook';
    job.env.find((e: any) => e.name === 'EVENT_TOKEN').valueFrom.secretKeyRef = { name: 'events-token', key: 'token' };
    expect(sorted(rendered)).toEqual(sorted(expected));
  });
});

test('without NGINX routing the Ingress is optional (ingress.enabled) and the chart still lints', () => {
  const sample = docs.find((d) => d.metadata.name === 'sample-app')!;
  const doc = { ...sample, spec: { ...sample.spec, trafficRouting: undefined } };
  const out = path.join(dir, 'plain-ingress');
  writeOutput(out, chartFiles(doc));
  const chart = path.join(out, 'sample-app');
  const [app] = synthDocuments([doc]);
  expect(helm(['lint', '--strict', chart]).stdout).toMatch(/0 chart\(s\) failed/);
  expect(sorted(render(chart, app.name, app.namespace))).toEqual(sorted(app.objects));
  expect(sorted(render(chart, app.name, app.namespace, ['--set', 'ingress.enabled=false']))).toEqual(sorted(app.objects.filter((o) => o.kind !== 'Ingress')));
});

test('default values render the synth objects for a string image with tag and digest, and unnamed steps beside named ones', () => {
  const sample = docs.find((d) => d.metadata.name === 'sample-app')!;
  const doc = {
    ...sample,
    spec: {
      ...sample.spec,
      image: `registry.example.com/team/app:1.2.3@sha256:${'a'.repeat(64)}`,
      canary: { steps: [{ setWeight: 10 }, { name: 'step0', setWeight: 50 }, { pause: {} }] },
    },
  };
  const out = path.join(dir, 'image-and-steps');
  writeOutput(out, chartFiles(doc));
  const [app] = synthDocuments([doc]);
  expect(sorted(render(path.join(out, 'sample-app'), app.name, app.namespace))).toEqual(sorted(app.objects));
});

describe('release names, namespaces and user text that could break a chart', () => {
  const sample = docs.find((d) => d.metadata.name === 'sample-app')!;

  test('a namespace like a"b and a release named a.b: helm fails with a clear message, never invalid YAML or refused names', () => {
    const chart = path.join(dir, 'sample-app');
    const ns = helm(['template', 'sample-app', chart, '--namespace', 'a"b']);
    expect(ns.status).not.toBe(0);
    expect(ns.stderr).toContain('namespace "a\\"b" is not a DNS-1123 label (lowercase letters, digits and -): the API server refuses it');
    const dotted = helm(['template', 'a.b', chart, '--namespace', 'shop']);
    expect(dotted.status).not.toBe(0);
    expect(dotted.stderr).toContain('name "a.b" is not a DNS-1035 label (lowercase letters, digits and -, starting with a letter): the API server refuses Services named after it; set fullnameOverride');
    // fullnameOverride is the way out, and it is checked the same way.
    expect(render(chart, 'a.b', 'shop', ['--set', 'fullnameOverride=ab']).filter((o) => o.kind === 'Service').map((o) => o.metadata.name).sort()).toEqual(['ab', 'ab-canary', 'ab-stable']);
  });

  test('user text that looks like a chart sentinel stays text (@@ck:1@@, @@ck:999@@, @@ck0:1@@)', () => {
    const texts = { a: '@@ck:1@@', b: '@@ck:999@@', c: 'x-@@ck0:1@@-y', d: '@@ck0:0@@' };
    const doc = { ...sample, spec: { ...sample.spec, podAnnotations: texts } };
    const out = path.join(dir, 'sentinel-text');
    writeOutput(out, chartFiles(doc));
    const [app] = synthDocuments([doc]);
    const objects = render(path.join(out, 'sample-app'), app.name, app.namespace);
    expect(sorted(objects)).toEqual(sorted(app.objects));
    expect(objects.find((o) => o.kind === 'Rollout')!.spec.template.metadata.annotations).toEqual(expect.objectContaining(texts));
  });
});

/**
 * The helm-create knobs and the production values: off (absent) by default, and a value renders exactly
 * what synth renders for the same setting in the spec.
 */
describe('production values render as synth renders the same setting', () => {
  const withSpec = (name: string, spec: Record<string, unknown>) => {
    const doc = docs.find((d) => d.metadata.name === name)!;
    return synthDocuments([{ ...doc, spec: { ...doc.spec, ...spec } }])[0];
  };

  test('podAnnotations, nodeSelector, tolerations, imagePullSecrets, env', () => {
    const sample = docs.find((d) => d.metadata.name === 'sample-app')!;
    const env = [...(sample.spec.env ?? []), { name: 'EXTRA', value: 'yes' }];
    const tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }];
    const rendered = render(path.join(dir, 'sample-app'), 'sample-app', 'sample-app', [
      '--set-json', `podAnnotations=${JSON.stringify({ 'example.com/team': 'web' })}`,
      '--set-json', `nodeSelector=${JSON.stringify({ 'kubernetes.io/os': 'linux' })}`,
      '--set-json', `tolerations=${JSON.stringify(tolerations)}`,
      '--set-json', 'imagePullSecrets=[{"name":"pull"}]',
      '--set-json', `env=${JSON.stringify(env)}`,
    ]);
    const app = withSpec('sample-app', {
      podAnnotations: { 'example.com/team': 'web' },
      scheduling: { nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations },
      imagePullSecrets: ['pull'],
      env,
    });
    expect(sorted(rendered)).toEqual(sorted(app.objects));
    const pod = app.objects.find((o) => o.kind === 'Rollout')!.spec.template;
    expect(pod.metadata.annotations).toEqual({ 'example.com/team': 'web' });
    expect(pod.spec).toMatchObject({ nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations, imagePullSecrets: [{ name: 'pull' }] });
    // Absent by default: the default render is the synth output (above), which has none of them.
    const byDefault = defaults.get('sample-app')!.find((o) => o.kind === 'Rollout')!.spec.template;
    expect([byDefault.metadata.annotations, byDefault.spec.nodeSelector, byDefault.spec.tolerations, byDefault.spec.imagePullSecrets]).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('podLabels, affinity, envFrom, lifecycle, priorityClassName, terminationGracePeriodSeconds, minReadySeconds, serviceAccount annotations, ingress TLS', () => {
    const affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }] } },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { tier: 'web' } } } }] },
    };
    const rendered = render(path.join(dir, 'sample-app'), 'sample-app', 'sample-app', [
      '--set-json', `podLabels=${JSON.stringify({ tier: 'web' })}`,
      '--set-json', `affinity=${JSON.stringify(affinity)}`,
      '--set-json', 'envFrom=[{"configMapRef":{"name":"settings"}},{"prefix":"DB_","secretRef":{"name":"db","optional":true}}]',
      '--set-json', 'lifecycle={"preStop":{"httpGet":{"path":"/drain","port":"http"}}}',
      '--set', 'priorityClassName=web-critical,terminationGracePeriodSeconds=0,minReadySeconds=15',
      '--set-json', 'serviceAccount.annotations={"eks.amazonaws.com/role-arn":"arn:aws:iam::1:role/web"}',
      '--set-json', 'ingress.tls=[{"hosts":["sample.app"],"secretName":"sample-tls"}]',
    ]);
    const app = withSpec('sample-app', {
      podLabels: { tier: 'web' },
      scheduling: { affinity, priorityClassName: 'web-critical' },
      envFrom: [{ configMap: 'settings' }, { secret: 'db', prefix: 'DB_', optional: true }],
      lifecycle: { preStop: { httpGet: { path: '/drain' } } },
      terminationGracePeriodSeconds: 0,
      minReadySeconds: 15,
      serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/web' } },
      ingress: { ...docs.find((d) => d.metadata.name === 'sample-app')!.spec.ingress, tlsSecretName: 'sample-tls' },
    });
    expect(validateAll(rendered)).toEqual([]);
    expect(sorted(rendered)).toEqual(sorted(app.objects));
    // The settings are there (not both absent): synth wrote each where Kubernetes reads it.
    const rollout = app.objects.find((o) => o.kind === 'Rollout')!;
    const pod = rollout.spec.template;
    expect(pod.metadata.labels).toEqual({ tier: 'web', 'app.kubernetes.io/name': 'sample-app' });
    expect(pod.spec).toMatchObject({ affinity, priorityClassName: 'web-critical', terminationGracePeriodSeconds: 0 });
    expect(pod.spec.containers[0]).toMatchObject({
      envFrom: [{ configMapRef: { name: 'settings' } }, { prefix: 'DB_', secretRef: { name: 'db', optional: true } }],
      lifecycle: { preStop: { httpGet: { path: '/drain', port: 'http' } } },
    });
    expect(rollout.spec.minReadySeconds).toBe(15);
    expect(app.objects.find((o) => o.kind === 'ServiceAccount')!.metadata.annotations).toMatchObject({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/web' });
    expect(app.objects.find((o) => o.kind === 'Ingress')!.spec.tls).toEqual([{ hosts: ['sample.app'], secretName: 'sample-tls' }]);
    // Absent by default (the default render is the synth output, which has none of them).
    const byDefault = defaults.get('sample-app')!;
    const defaultPod = byDefault.find((o) => o.kind === 'Rollout')!.spec.template;
    expect([defaultPod.spec.affinity, defaultPod.spec.priorityClassName, defaultPod.spec.terminationGracePeriodSeconds, defaultPod.spec.containers[0].envFrom,
      defaultPod.spec.containers[0].lifecycle, byDefault.find((o) => o.kind === 'Ingress')!.spec.tls]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  test('null leaves an optional field out, as a spec without it; the schema refuses the selector label in podLabels', () => {
    const shop = docs.find((d) => d.metadata.name === 'shop-web')!;
    const rendered = render(path.join(dir, 'shop-web'), 'shop-web', 'shop', ['--set', 'priorityClassName=null,terminationGracePeriodSeconds=null,minReadySeconds=null']);
    const { priorityClassName: _p, ...scheduling } = shop.spec.scheduling!;
    const app = withSpec('shop-web', { scheduling, terminationGracePeriodSeconds: undefined, minReadySeconds: undefined });
    expect(sorted(rendered)).toEqual(sorted(app.objects));
    expect(app.objects.find((o) => o.kind === 'Rollout')!.spec.minReadySeconds).toBeUndefined();
    const r = helm(['template', 'shop-web', path.join(dir, 'shop-web'), '--namespace', 'shop', '--set-json', 'podLabels={"app.kubernetes.io/name":"other"}']);
    expect(r.status).not.toBe(0);
    // (helm's jsonschema names the key; the path it prints for a propertyNames failure is not reliable)
    expect(r.stderr).toMatch(/invalid propertyName 'app\.kubernetes\.io\/name'/);
  });

  test('autoscaling bounds and target, the PDB budget; no replicas value beside an HPA', () => {
    const values = JSON.parse(fs.readFileSync(path.join(dir, 'shop-web', 'values.schema.json'), 'utf8')).properties;
    expect(values.replicas).toBeUndefined();
    const rendered = render(path.join(dir, 'shop-web'), 'shop-web', 'shop', [
      '--set', 'autoscaling.minReplicas=4,autoscaling.maxReplicas=20,autoscaling.targetCPUUtilizationPercentage=60,pdb.minAvailable=50%',
    ]);
    const app = withSpec('shop-web', { autoscaling: { minReplicas: 4, maxReplicas: 20, cpuUtilization: 60 }, podDisruptionBudget: { minAvailable: '50%' } });
    expect(sorted(rendered)).toEqual(sorted(app.objects));
  });
});
