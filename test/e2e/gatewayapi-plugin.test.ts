/**
 * The real Gateway API traffic-router plugin (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi,
 * built by `scripts/tools.sh gatewayapi`) is loaded by the real Argo Rollouts controller from the
 * `argo-rollouts-config` ConfigMap the cluster harness writes, and shifts an HTTPRoute's
 * backendRef weights at a canary step. Hand-written objects (no canarykit router yet): this
 * proves the tooling the Gateway API router will be tested with. Run with `npm run test:e2e`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Cluster, GATEWAY_API_PLUGIN, REPO_ROOT, mustSucceed, startCluster } from '../cluster/cluster';

const LOG_ROOT = path.join(REPO_ROOT, 'test-output', 'e2e');
const NS = 'gwapi-plugin';
/** The label the plugin puts on a route while a canary is running (internal/defaults). */
const IN_PROGRESS = 'rollouts.argoproj.io/gatewayapi-canary';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ name: 'e2e-gatewayapi-plugin', rollouts: true, logRoot: LOG_ROOT });
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
  if (cluster) process.stdout.write(`gatewayapi plugin e2e logs: ${path.relative(REPO_ROOT, cluster.logDir)}\n`);
}, 60_000);

const labels = { app: 'web' };
const service = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: NS },
  spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
});
const httpRoute = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web', namespace: NS },
  spec: {
    parentRefs: [{ name: 'shared-gateway' }],
    rules: [
      {
        backendRefs: [
          { name: 'web-stable', port: 80, weight: 100 },
          { name: 'web-canary', port: 80, weight: 0 },
        ],
      },
    ],
  },
};
const rollout = (tag: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web', namespace: NS },
  spec: {
    replicas: 2,
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: { containers: [{ name: 'web', image: `registry.example/web:${tag}`, ports: [{ containerPort: 8080 }] }] },
    },
    strategy: {
      canary: {
        stableService: 'web-stable',
        canaryService: 'web-canary',
        trafficRouting: { plugins: { [GATEWAY_API_PLUGIN]: { httpRoute: 'web', namespace: NS } } },
        steps: [{ setWeight: 30 }, { pause: { duration: '5s' } }],
      },
    },
  },
});

async function apply(objs: object[]): Promise<void> {
  const input = objs.map((o) => `---\n${JSON.stringify(o)}`).join('\n');
  mustSucceed(await cluster.kubectl(['apply', '--server-side', '--field-manager=canarykit-e2e', '-f', '-'], { input }), 'apply');
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const route = () => cluster.getJson(`/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/httproutes/web`);
const weights = async (): Promise<Record<string, number>> =>
  Object.fromEntries((await route()).spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight]));
const rolloutStatus = () => cluster.getJson(`/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts/web`).then((r) => r?.status);
const healthy = async () => ((await rolloutStatus())?.phase === 'Healthy' ? true : undefined);

it('the controller loads the plugin, which sets the canary weight on the HTTPRoute', async () => {
  mustSucceed(await cluster.kubectl(['create', 'namespace', NS]), 'create namespace');
  await apply([service('web-stable'), service('web-canary'), httpRoute, rollout('1')]);
  await waitFor('the first revision to be Healthy', 90_000, healthy);
  expect(await weights()).toEqual({ 'web-stable': 100, 'web-canary': 0 });

  await apply([rollout('2')]);
  const shifted = await waitFor('the plugin to set the canary weight to 30', 90_000, async () => {
    const w = await weights();
    return w['web-canary'] === 30 ? w : undefined;
  });
  expect(shifted).toEqual({ 'web-stable': 70, 'web-canary': 30 });
  expect((await route()).metadata.labels?.[IN_PROGRESS]).toBe('in-progress');

  // After the 5 s pause the canary is promoted: the controller gives it weight 100, makes it the
  // stable revision (the stable Service now selects its pods), then SetWeight(0) sends everything to
  // the stable Service again and the plugin drops the in-progress label. Healthy can be reported
  // just before that last SetWeight, hence the wait.
  await waitFor('the second revision to be Healthy', 90_000, healthy);
  const back = await waitFor('the route to send everything to the stable Service', 30_000, async () => {
    const r = await route();
    const w = Object.fromEntries(r.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight]));
    return w['web-stable'] === 100 && !r.metadata.labels?.[IN_PROGRESS] ? w : undefined;
  });
  expect(back).toEqual({ 'web-stable': 100, 'web-canary': 0 });

  // The controller copied the plugin from .tools/bin into its plugin-bin/ and ran it.
  const log = fs.readFileSync(path.join(cluster.logDir, 'rollouts-controller.log'), 'utf8');
  expect(log).toMatch(/Copied plugin from \S*gatewayapi-plugin/);
  // (the plugin's own log lines arrive quoted inside go-plugin's)
  expect(log).toMatch(/\[SetWeight\] plugin \\?"argoproj-labs\/gatewayAPI\\?" controls HTTPRoutes: \[web\]/);
}, 240_000);
