/**
 * Issue 19: `pulumi up` for real. The real Pulumi engine and Kubernetes provider (test/pulumi/workspace.ts)
 * run examples/pulumi/index.ts -- the user-facing program, unchanged, as an Automation API inline program --
 * against a real kube-apiserver with the real Argo Rollouts controller (test/cluster/cluster.ts):
 *   1. `up` creates every object `canarykit synth` writes, with the same content, parented to the component,
 *      and the stack outputs the program documents;
 *   2. a second `up` changes nothing, also once the controller owns the Services' selectors;
 *   3. a new image: the preview changes the Rollout alone; `up` starts a canary the controller runs to the end;
 *   4. an invalid spec fails before anything is registered, with canarykit's messages;
 *   5. `destroy` removes every object.
 * The spec is the e2e overlay of examples/pree-dew-domain-events.yaml (test/e2e/specs.ts `pree-dew-app`:
 * short pauses, no analysis), written to a spec directory the program reads through its `specs` config.
 *
 *   npm run test:pulumi
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import * as pulumiSdk from '@pulumi/pulumi';
import * as kubernetesSdk from '@pulumi/kubernetes';
import type { EngineEvent, PulumiFn, UpResult } from '@pulumi/pulumi/automation';
import { Cluster, REPO_ROOT, mustSucceed, startCluster } from '../cluster/cluster';
import { RolloutObserver } from '../e2e/observe';
import { E2eVars, scenarioSource, synthScenario } from '../e2e/specs';
import type { KubeObject } from '../../src/constructs/synth';
import { SERVICE_ROLE_LABEL } from '../../src/constructs/canary-services';
import { CANARY_APP_TYPE, CanaryApp, SKIP_AWAIT_ANNOTATION } from '../../src/targets/pulumi/canary-app';
import { pinnedVersions, TestStack, testStack } from './workspace';

const EXAMPLE_DIR = path.join(REPO_ROOT, 'examples', 'pulumi');
const PROJECT = (YAML.parse(fs.readFileSync(path.join(EXAMPLE_DIR, 'Pulumi.yaml'), 'utf8')) as { name: string }).name;
const NAMESPACE = 'pulumi-demo';
const APP = 'pree-dew-app';
const vars = (tag: string): E2eVars => ({
  namespace: NAMESPACE,
  tag,
  // Unused by this overlay (no analysis, no events): addresses nothing listens on.
  prometheusUrl: 'http://127.0.0.1:9',
  webMetricUrl: 'http://127.0.0.1:9',
  eventSinkUrl: 'http://127.0.0.1:9/events',
});

/** The copies of the Pulumi SDKs the Automation API runs the program with (see `exampleProgram`). */
const SHARED_SDKS = { '@pulumi/pulumi': pulumiSdk, '@pulumi/kubernetes': kubernetesSdk };

/**
 * examples/pulumi/index.ts as the inline program: loaded afresh for each run (a Pulumi program's top level
 * is the program), its exports are the stack outputs. The program and canarykit are fresh, the Pulumi SDKs
 * are the ones this file loaded: a second copy of @pulumi/pulumi registers nothing with the engine that
 * runs the program (the update then waits forever on the Stack resource).
 */
const exampleProgram: PulumiFn = () => {
  let outputs: Record<string, unknown> = {};
  jest.isolateModules(() => {
    for (const [name, sdk] of Object.entries(SHARED_SDKS)) jest.doMock(name, () => sdk);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh load of the program per run
    const { canaryApps } = require(path.join(EXAMPLE_DIR, 'index.ts'));
    outputs = { canaryApps };
  });
  return Promise.resolve(outputs);
};

let cluster: Cluster;
let t: TestStack;
let observer: RolloutObserver;
let specsDir: string;

/** Writes the spec file the program deploys: the overlay with image `tag`, changed by `edit`. */
function writeSpec(tag: string, edit: (spec: Record<string, any>) => void = () => undefined): void {
  const source = scenarioSource('pree-dew-app', vars(tag));
  edit(source);
  fs.writeFileSync(path.join(specsDir, `${APP}.yaml`), YAML.stringify(source));
}

/** What `canarykit synth` writes for the spec of `tag`, plus the one annotation the component adds. */
function expectedObjects(tag: string): KubeObject[] {
  return synthScenario('pree-dew-app', vars(tag)).objects.map((o) =>
    o.kind === 'Service' || o.kind === 'Ingress'
      ? { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [SKIP_AWAIT_ANNOTATION]: 'true' } } }
      : o);
}

/** The live objects named by `objects` (one GET each), in their order; a missing one fails. */
async function liveObjects(objects: KubeObject[]): Promise<any[]> {
  const res = mustSucceed(await cluster.kubectl(['get', '-f', '-', '-o', 'json'], { input: YAML.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) }), 'kubectl get');
  const parsed = JSON.parse(res.stdout);
  return parsed.kind === 'List' ? parsed.items : [parsed];
}

/** Resource changes of an update, without the unchanged ones. */
function changed(result: UpResult): Record<string, number> {
  return Object.fromEntries(Object.entries(result.summary.resourceChanges ?? {}).filter(([op]) => op !== 'same'));
}

/** The kubernetes resources in the stack's state: type, name and parent type. */
async function stateResources(): Promise<{ urn: string; type: string; parent?: string }[]> {
  const { deployment } = await t.stack.exportStack();
  return (deployment.resources ?? []).map((r: any) => ({ urn: r.urn, type: r.type, parent: r.parent }));
}

const roleOf = (objects: KubeObject[], role: string) =>
  objects.find((o) => o.kind === 'Service' && o.metadata.labels?.[SERVICE_ROLE_LABEL] === role)?.metadata.name;

beforeAll(async () => {
  // NGINX routing: the Gateway API plugin (another tools build) is not needed.
  cluster = await startCluster({ name: 'pulumi', rollouts: true, gatewayApiPlugin: false });
  t = await testStack(PROJECT, cluster.kubeconfig, exampleProgram);
  specsDir = path.join(t.dir, 'specs');
  fs.mkdirSync(specsDir);
  await t.stack.setConfig('specs', { value: specsDir });
  observer = new RolloutObserver(cluster, NAMESPACE, APP).start();
}, 600_000);

afterAll(async () => {
  await observer?.stop(cluster && path.join(cluster.logDir, `${NAMESPACE}.timeline.txt`));
  if (t) {
    await t.stack.destroy().catch(() => undefined);
    await t.stack.workspace.removeStack('dev').catch(() => undefined);
    fs.rmSync(t.dir, { recursive: true, force: true });
  }
  await cluster?.stop();
}, 600_000);

test('the engine is the pinned CLI and the provider is registered as the version @pulumi/kubernetes requests', async () => {
  const pinned = pinnedVersions();
  expect(`v${t.command.version?.version}`).toBe(pinned.PULUMI_VERSION);
  const requested = JSON.parse(fs.readFileSync(require.resolve('@pulumi/kubernetes/package.json'), 'utf8')).version;
  expect(pinned.PULUMI_KUBERNETES_PLUGIN_VERSION).toBe(requested);
  const plugins = await t.stack.workspace.listPlugins();
  expect(plugins.map((p) => `${p.kind} ${p.name} ${p.version}`)).toEqual([`resource kubernetes ${requested}`]);
});

test('1. up creates every object canarykit synth writes, parented to the component, with the documented outputs', async () => {
  writeSpec('1.0.0');
  const result = await t.stack.up();
  const expected = expectedObjects('1.0.0');
  // The stack, the Namespace, the component and one child per object (the engine's summary leaves the
  // default provider out, as scenario 5's delete count does).
  expect(changed(result)).toEqual({ create: expected.length + 3 });

  const live = await liveObjects(expected);
  expect(live.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expected.map((o) => `${o.kind}/${o.metadata.name}`));
  live.forEach((o, i) => expect(o).toMatchObject(expected[i]));

  const resources = await stateResources();
  const component = resources.find((r) => r.type === CANARY_APP_TYPE)!;
  expect(component.urn).toContain(`::${APP}`);
  const children = resources.filter((r) => r.parent === component.urn);
  // The state lists resources in the order their registrations completed: compare as sets.
  expect(children.map((r) => r.urn.split('::').pop()).sort()).toEqual(expected.map((o) => `${APP}/${o.metadata.name}`).sort());
  expect(children.every((r) => r.type.startsWith('kubernetes:'))).toBe(true);

  const outputs = await t.stack.outputs();
  expect(outputs.canaryApps.value).toEqual({
    [APP]: {
      namespace: NAMESPACE,
      rollout: APP,
      stableService: roleOf(expected, 'stable'),
      canaryService: roleOf(expected, 'canary'),
      ingressHost: expected.find((o) => o.kind === 'Ingress')!.spec.rules[0].host,
    },
  });
});

test('2. a second up changes nothing, also once the controller owns the Services selectors', async () => {
  const stable = roleOf(expectedObjects('1.0.0'), 'stable')!;
  const canary = roleOf(expectedObjects('1.0.0'), 'canary')!;
  const s = await observer.until('Healthy with the hash in both Service selectors',
    (x) => x.phase === 'Healthy' && !!x.stableHash && x.services[stable] === x.stableHash && x.services[canary] === x.stableHash, 120_000);
  expect(s.stableHash).toBeTruthy();
  expect(changed(await t.stack.up({ expectNoChanges: true }))).toEqual({});
  // A refresh reads the controller's writes (the selectors' hash, its annotations) into the state; the
  // next up must not undo them either.
  await t.stack.refresh();
  expect(changed(await t.stack.up({ expectNoChanges: true }))).toEqual({});
  const services = await liveObjects(expectedObjects('1.0.0').filter((o) => o.kind === 'Service' && o.metadata.name !== undefined));
  for (const svc of services.filter((o) => [stable, canary].includes(o.metadata.name))) {
    expect(svc.spec.selector['rollouts-pod-template-hash']).toBe(s.stableHash);
  }
});

test('3. a new image: the preview changes the Rollout alone, and up starts a canary the controller runs to the end', async () => {
  const before = observer.latest!.stableHash!;
  writeSpec('1.1.0');
  const events: EngineEvent[] = [];
  const preview = await t.stack.preview({ onEvent: (e) => events.push(e) });
  const ops = events.flatMap((e) => (e.resourcePreEvent ? [e.resourcePreEvent.metadata] : []))
    .filter((m) => m.op !== 'same')
    .map((m) => `${m.op} ${m.type} ${m.urn.split('::').pop()}`);
  expect(ops).toEqual([`update kubernetes:argoproj.io/v1alpha1:Rollout ${APP}/${APP}`]);
  expect(preview.changeSummary).toMatchObject({ update: 1 });

  const from = observer.samples.length;
  expect(changed(await t.stack.up())).toEqual({ update: 1 });
  const done = await observer.until('the new revision stable and Healthy',
    (x) => x.phase === 'Healthy' && !!x.stableHash && x.stableHash !== before && x.currentHash === x.stableHash, 180_000);
  // The controller stepped through the canary: the new ReplicaSet grew while the old one still had pods.
  const steps = observer.since(from).filter((x) => x.currentHash === done.stableHash && x.stableHash === before);
  expect(steps.some((x) => (x.replicas[done.stableHash!] ?? 0) > 0 && (x.replicas[before] ?? 0) > 0)).toBe(true);
  expect(Math.max(...steps.map((x) => x.step ?? 0))).toBeGreaterThan(0);
  const [rollout] = await liveObjects(expectedObjects('1.1.0').filter((o) => o.kind === 'Rollout'));
  expect(rollout.spec.template.spec.containers[0].image).toMatch(/:1\.1\.0$/);
  // And with the new hash in the selectors, still nothing to do.
  await observer.until('the hash of the new revision in the selectors', (x) => Object.values(x.services).filter((h) => h === done.stableHash).length === 2, 60_000);
  expect(changed(await t.stack.up({ expectNoChanges: true }))).toEqual({});
});

test('4. an invalid spec fails before anything is registered, with canarykit messages', async () => {
  const before = await stateResources();
  const [rolloutBefore] = await liveObjects(expectedObjects('1.1.0').filter((o) => o.kind === 'Rollout'));
  writeSpec('1.1.0', (source) => {
    source.spec.canary.weights = [20, 150];
    source.spec.replicas = -1;
  });
  const failure = await t.stack.up().then(() => undefined, (e: Error) => e);
  expect(failure?.message).toContain(`${APP}.yaml: ${APP}: spec.canary.weights[1]: 150 is not in 1..100`);
  expect(failure?.message).toContain(`${APP}.yaml: ${APP}: spec.replicas: -1 must be >= 0`);
  expect(await stateResources()).toEqual(before);
  const [rolloutAfter] = await liveObjects(expectedObjects('1.1.0').filter((o) => o.kind === 'Rollout'));
  expect(rolloutAfter.metadata.generation).toBe(rolloutBefore.metadata.generation);
  writeSpec('1.1.0');
});

test('4b. the component given an invalid spec from code (README) fails before it is registered, with canarykit messages', async () => {
  const spec = { ...scenarioSource('pree-dew-app', vars('1.0.0')).spec, replicas: -1 };
  const direct = await testStack('canarykit-direct', cluster.kubeconfig, () => {
    new CanaryApp('web', { metadata: { namespace: NAMESPACE }, spec });
    return Promise.resolve({});
  });
  try {
    const failure = await direct.stack.up().then(() => undefined, (e: Error) => e);
    expect(failure?.message).toContain('spec.replicas:');
    const { deployment } = await direct.stack.exportStack();
    expect((deployment.resources ?? []).map((r: any) => r.type)).toEqual(['pulumi:pulumi:Stack']);
  } finally {
    await direct.stack.workspace.removeStack('dev').catch(() => undefined);
    fs.rmSync(direct.dir, { recursive: true, force: true });
  }
});

test('5. destroy removes every object', async () => {
  const expected = expectedObjects('1.1.0');
  const result = await t.stack.destroy();
  expect(result.summary.resourceChanges).toEqual({ delete: expected.length + 3 });
  expect(await stateResources()).toEqual([]);
  const gone = await cluster.kubectl(['get', '-f', '-', '-o', 'name', '--ignore-not-found'], { input: YAML.stringify({ apiVersion: 'v1', kind: 'List', items: expected }) });
  mustSucceed(gone, 'kubectl get --ignore-not-found');
  expect(gone.stdout.trim()).toBe('');
  // The namespace (the program's) and with it what the controller made in it (ReplicaSets, pods, the canary Ingress).
  const ns = await cluster.kubectl(['get', 'namespace', NAMESPACE, '-o', 'name', '--ignore-not-found']);
  expect(ns.stdout.trim()).toBe('');
});
