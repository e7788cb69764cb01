/**
 * Production controls with the real Argo Rollouts controller and the real kube-controller-manager (its
 * HPA controller on), on kwok pods (test/e2e/harness.ts):
 *   P1. examples/production-web.yaml: the API server accepts the HPA and the PDB; the HPA controller
 *       raises the Rollout (which carries no replicas; the Rollouts controller defaults them to 1) to
 *       minReplicas through the scale subresource; writes to /scale (as the HPA makes them; there is no
 *       metrics server here to drive it) are followed by the Rollout, a re-apply of canarykit's output
 *       leaves them alone, and during a canary the stable and canary ReplicaSets follow them too.
 *   P2. examples/migrate-deployment.yaml: a Rollout without a pod template takes over a running
 *       Deployment (workloadRef) and scales it down progressively, to 0 once the Rollout is healthy.
 *
 *   npx jest -c jest.e2e.config.js test/e2e/production.test.ts
 */
import { mustSucceed } from '../cluster/cluster';
import { App, useE2E } from './harness';
import { toYamlDocuments } from '../../src/util/yaml-emitter';

const e2e = useE2E('e2e-production', { extraControllers: ['horizontal-pod-autoscaler-controller'] });

/** Polls `read` until `pred` holds; fails with the last value read. */
async function until<T>(what: string, read: () => Promise<T>, pred: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const rolloutPath = (ns: string, name: string) => `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts/${name}`;

async function scaleTo(app: App, replicas: number): Promise<void> {
  mustSucceed(await e2e.cluster.kubectl(['patch', 'rollout', app.name, '-n', app.namespace, '--subresource=scale', '--type=merge',
    '-p', JSON.stringify({ spec: { replicas } })]), `scale ${app.name} to ${replicas}`);
}

test('P1. HPA: the Rollout follows its scale subresource, from the HPA controller and from /scale writes, also during a canary', async () => {
  const ns = 'e2e-production-hpa';
  const app = await e2e.install('production-web', 'shop-web', ns, '4.2.0');
  const c = e2e.cluster;
  try {
    const hpaPath = `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/shop-web`;
    expect((await c.getJson(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/shop-web`))?.spec.minAvailable).toBe(1);
    // The manifest has no replicas; the Rollouts controller defaults them to 1, then the HPA controller
    // (no metrics here: it only enforces its bounds) writes minReplicas through /scale.
    await until('the HPA to raise the Rollout to minReplicas', () => c.getJson(rolloutPath(ns, 'shop-web')),
      (r) => r?.spec.replicas === 2 && r?.status?.availableReplicas === 2, 90_000);
    const hpa = await until('the HPA to read the Rollout\'s scale', () => c.getJson(hpaPath),
      (h) => h?.status?.currentReplicas === 2 && h?.status?.desiredReplicas === 2, 60_000);
    expect(hpa.status.conditions.find((x: any) => x.type === 'AbleToScale')?.status).toBe('True');

    await scaleTo(app, 4);
    await until('the Rollout to follow /scale to 4', () => c.getJson(rolloutPath(ns, 'shop-web')),
      (r) => r?.status?.availableReplicas === 4 && r?.status?.HPAReplicas === 4, 60_000);
    await until('the HPA to see 4 replicas', () => c.getJson(hpaPath), (h) => h?.status?.currentReplicas === 4, 60_000);

    // canarykit's output re-applied (what a GitOps sync does) leaves the HPA's replicas alone.
    const rollout = e2e.render(app, app.tag).objects.filter((o) => o.kind === 'Rollout');
    expect(rollout[0].spec.replicas).toBeUndefined();
    await e2e.apply(toYamlDocuments(rollout), 'the Rollout again');
    expect((await c.getJson(rolloutPath(ns, 'shop-web')))?.spec.replicas).toBe(4);

    // A canary at weight 10 (NGINX: the canary gets 10% of the replicas, rounded up); a /scale write
    // during it resizes the stable ReplicaSet and keeps the canary's share.
    const { hash } = await e2e.update(app, '4.3.0');
    const stable = app.observer.latest!.stableHash!;
    await app.observer.until('weight 10 with 1 canary and 4 stable pods', (s) => s.paused && s.replicas[hash] === 1 && s.replicas[stable] === 4, 60_000);
    await scaleTo(app, 6);
    await app.observer.until('6 stable pods beside the canary', (s) => s.replicas[hash] === 1 && s.replicas[stable] === 6, 60_000);
    await e2e.rolloutsPlugin(app, 'promote', '--full');
    await app.observer.until('the new revision stable with all 6 pods', (s) => s.phase === 'Healthy' && s.stableHash === hash && s.replicas[hash] === 6, 90_000);
  } finally {
    await e2e.finish(app);
  }
});

test('P2. workloadRef: a Rollout takes over a running Deployment and scales it down progressively', async () => {
  const ns = 'e2e-production-migrate';
  const c = e2e.cluster;
  // The Deployment as it runs before the migration: `kubectl create deployment` labels its pods app=legacy-api.
  const prepare = ['create', 'deployment', 'legacy-api', '--image=ghcr.io/example/legacy-api:7.0.0', '--replicas=3', '--port=8080'];
  const deployment = `/apis/apps/v1/namespaces/${ns}/deployments/legacy-api`;
  const app = await e2e.install('legacy-api', 'legacy-api', ns, 'unused', prepare);
  try {
    const rollout = await c.getJson(rolloutPath(ns, 'legacy-api'));
    expect(rollout.spec.template).toBeUndefined();
    // The controller resolved the Deployment's template and selector (the Rollout shows them in its status selector).
    expect(rollout.status.selector).toContain('app=legacy-api');
    expect(rollout.status.availableReplicas).toBe(3);
    // progressively: scaled down as the Rollout's pods became ready, and to 0 once it is healthy.
    const d = await until('the Deployment scaled to 0', () => c.getJson(deployment), (x) => x?.spec.replicas === 0 && (x?.status?.replicas ?? 0) === 0, 60_000);
    expect(d.metadata.name).toBe('legacy-api');
    // The Services canarykit wrote select the Rollout's pods (the Deployment's labels) by port number.
    const endpoints = await until('the root Service to have the Rollout\'s 3 pods', () => c.getJson(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dlegacy-api`),
      (l) => (l?.items ?? []).flatMap((s: any) => s.endpoints ?? []).length === 3, 60_000);
    expect(endpoints.items[0].ports[0].port).toBe(8080);
  } finally {
    await e2e.finish(app);
  }
});
