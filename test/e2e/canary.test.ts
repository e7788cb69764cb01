/**
 * Issue 7: canaries proven end to end. canarykit's output for the seed-derived specs in
 * test/e2e/specs/ runs under the real Argo Rollouts controller (v1.9.1, built from source) on a
 * real control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler; kwok makes the
 * fake node's pods Ready and Job pods complete), with a real Prometheus scraping a loopback metrics
 * server whose error ratio each scenario controls:
 *
 *   1. healthy:    a new image walks every step, the analysis passes, the new revision is stable;
 *   2. faulty:     50% errors -> AnalysisRun Failed -> Rollout aborted/Degraded, canary weight 0;
 *   3. web metric: the pixie-style web provider against a loopback server, pass then fail;
 *   4. event Jobs: the analysis Job is created by the controller at its step, with the right args;
 *   5. NGINX:      the controller's canary Ingress carries the step weights and canary-by-header.
 *
 * Each scenario has its own namespace and asserts the Rollout phase, step index, canary weight and
 * AnalysisRun phase over time (see observe.ts). Component logs, every scenario's timeline and a
 * final object dump are kept in test-output/e2e/<run>/. Run with `npm run test:e2e`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Cluster, REPO_ROOT, mustSucceed, startCluster, toolPath } from '../cluster/cluster';
import { RolloutObserver, Sample } from './observe';
import { SignalServer } from './signals';
import { synthSpec } from './specs';
import { toYamlDocuments } from '../../src/targets/yaml-emitter';

const LOG_ROOT = path.join(REPO_ROOT, 'test-output', 'e2e');
const FIELD_MANAGER = '--field-manager=canarykit-e2e';

let cluster: Cluster;
const signals = new SignalServer();

beforeAll(async () => {
  await signals.start();
  cluster = await startCluster({ name: 'e2e', rollouts: true, prometheusTargets: [signals.target], logRoot: LOG_ROOT });
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
  await signals.stop();
}, 60_000);

// ---------------------------------------------------------------------------
// helpers

interface App {
  readonly file: string;
  readonly name: string;
  readonly namespace: string;
  readonly observer: RolloutObserver;
  /** Image tag of the last applied revision. */
  tag: string;
}

function render(app: Pick<App, 'file' | 'namespace'>, tag: string) {
  return synthSpec(app.file, {
    NAMESPACE: app.namespace,
    TAG: tag,
    PROMETHEUS_URL: cluster.prometheusUrl!,
    WEB_METRIC_URL: signals.url,
  });
}

async function apply(yaml: string, what: string): Promise<void> {
  mustSucceed(await cluster.kubectl(['apply', '--server-side', FIELD_MANAGER, '-f', '-'], { input: yaml }), `apply ${what}`);
}

/** Creates the namespace, applies canarykit's output for `tag` and waits until it is the stable revision. */
async function install(file: string, name: string, namespace: string, tag: string): Promise<App> {
  mustSucceed(await cluster.kubectl(['create', 'namespace', namespace, FIELD_MANAGER]), `create namespace ${namespace}`);
  const app: App = { file, name, namespace, tag, observer: new RolloutObserver(cluster, namespace, name).start() };
  await apply(render(app, tag).yaml, `${file}@${tag}`);
  await app.observer.until('Healthy', (s) => s.phase === 'Healthy' && !!s.stableHash, 60_000);
  return app;
}

/**
 * Re-synthesizes the spec with image `tag` and applies what changed, which must be the Rollout
 * alone. (Re-applying the Services with server-side apply would conflict with the controller, which
 * owns their atomic `.spec.selector` once it has added the pod-template hash to it.) Resolves with
 * the new revision's pod-template hash and the index of the first sample after the update.
 */
async function update(app: App, tag: string): Promise<{ hash: string; from: number }> {
  const before = render(app, app.tag).objects;
  const after = render(app, tag).objects;
  const changed = after.filter((o, i) => JSON.stringify(o) !== JSON.stringify(before[i]));
  expect(changed.map((o) => o.kind)).toEqual(['Rollout']);
  const stable = app.observer.latest!.stableHash;
  const from = app.observer.samples.length;
  await apply(toYamlDocuments(changed), `${app.file}@${tag}`);
  app.tag = tag;
  const s = await app.observer.until('progressing to a new revision', (x) => !!x.currentHash && x.currentHash !== stable, 30_000);
  return { hash: s.currentHash!, from };
}

/** Stops observing; keeps the timeline, `kubectl get -o yaml` of everything and the plugin's view. */
async function finish(app: App): Promise<void> {
  const base = path.join(cluster.logDir, app.namespace);
  await app.observer.stop(`${base}.timeline.txt`);
  const kinds = 'rollouts,analysisruns,analysistemplates,replicasets,pods,jobs,services,ingresses';
  const dump = await cluster.kubectl(['get', kinds, '-n', app.namespace, '-o', 'yaml']);
  const plugin = await cluster.exec(toolPath('kubectl-argo-rollouts'), ['get', 'rollout', app.name, '-n', app.namespace, '--no-color']);
  fs.writeFileSync(`${base}.objects.yaml`, dump.stdout + dump.stderr);
  fs.writeFileSync(`${base}.plugin.txt`, plugin.stdout + plugin.stderr);
}

/** Values in order of first appearance, consecutive repeats collapsed. */
function changes<T>(values: readonly (T | undefined)[]): T[] {
  const out: T[] = [];
  for (const v of values) if (v !== undefined && v !== out[out.length - 1]) out.push(v);
  return out;
}

/** The AnalysisRuns created for one revision (their names carry the pod-template hash). */
function runsOf(s: Sample, hash: string) {
  return s.runs.filter((r) => r.name.includes(hash));
}

// ---------------------------------------------------------------------------
// scenarios

test('1. healthy canary: every step passes, the new revision becomes stable', async () => {
  const app = await install('sample-app.yaml', 'sample-app', 'e2e-healthy', '1.0.0');
  try {
    const oldHash = app.observer.latest!.stableHash!;
    signals.setTraffic(app.namespace, oldHash, { errorRatio: 0 });
    const { hash, from } = await update(app, '1.1.0');
    signals.setTraffic(app.namespace, hash, { errorRatio: 0 });

    const done = await app.observer.until('Healthy on the new revision', (s) => s.phase === 'Healthy' && s.stableHash === hash, 150_000);
    const during = app.observer.since(from).filter((s) => s.t <= done.t);

    // Every step, in order: 25% (steps 0-1), 50% (2-3), 75% (4-5), then complete (6).
    const steps = changes(during.map((s) => s.step));
    expect(steps).toEqual(expect.arrayContaining([1, 3, 5]));
    expect(steps[steps.length - 1]).toBe(6);
    expect(changes(during.filter((s) => s.phase !== 'Healthy').map((s) => s.weight)).filter((w) => w > 0)).toEqual([25, 50, 75]);
    for (const s of during.filter((x) => x.phase !== 'Healthy' && x.weight)) {
      expect({ step: s.step, weight: s.weight }).toEqual({ step: s.step, weight: [25, 25, 50, 50, 75, 75][s.step!] });
    }
    expect(during.some((s) => s.abort || s.phase === 'Degraded')).toBe(false);

    // The background analysis starts at step "half" (index 2), runs while the canary progresses and
    // ends Successful.
    const firstRun = during.find((s) => runsOf(s, hash).length > 0)!;
    expect(firstRun.step).toBeGreaterThanOrEqual(2);
    expect(changes(during.map((s) => runsOf(s, hash)[0]?.phase))).toContain('Running');
    const final = await app.observer.until('analysis finished', (s) => runsOf(s, hash).every((r) => r.phase === 'Successful'), 30_000);
    // ...having measured the real series: the canary's success share over Prometheus' data is 1.
    expect(runsOf(final, hash)).toEqual([expect.objectContaining({ values: ['success-share=[1]'] })]);
    expect(final.weight ?? 0).toBe(0); // all traffic on the (new) stable
  } finally {
    await finish(app);
  }
});
