/**
 * Issue 23: analysis that judges the canary against stable, under the real Argo Rollouts controller
 * (v1.9.1) and a real Prometheus scraping series per pod-template hash (signals.ts):
 *
 * examples/sample-app-vs-stable.yaml with its e2e overlay (test/e2e/specs.ts):
 *
 *   1. as bad as stable: stable and canary both fail 30% of their requests. The example's fixed
 *      threshold (99% success), a dry-run metric, fails every measurement and decides nothing;
 *      errorRatioVsStable passes and the canary is promoted.
 *   2. worse than stable: stable fails 30%, the canary 60%, beyond the 5-point tolerance: the
 *      comparison fails and the rollout aborts back to stable.
 *
 * examples/platform-analysis.yaml (an AnalysisLibrary) with examples/cart-vs-stable.yaml and
 * examples/orders-vs-stable.yaml, which reference its one ClusterAnalysisTemplate:
 *
 *   3. one shared template, two apps in two namespaces, one run: the template is applied once; each
 *      app's AnalysisRun gets its own args (its namespace, its hashes). cart's canary, as bad as its
 *      stable, is promoted; orders' canary, worse than its stable beyond the library's tolerance, aborts.
 *
 * Run with `npm run test:e2e` (or `npx jest -c jest.e2e.config.js test/e2e/analysis.test.ts`).
 */
import { runsOf, useE2E } from './harness';
import { synthLibraryScenario } from './specs';

// No traffic router: the Gateway API plugin is not needed here.
const e2e = useE2E('e2e-analysis', { gatewayApiPlugin: false });
const { signals, install, update, finish, apply } = e2e;

/** Installs a scenario with stable failing `stableErrors`, then starts a canary failing `canaryErrors`. */
async function canaryAgainstStable(namespace: string, stableErrors: number, canaryErrors: number, scenario: 'vs-stable' | 'shared-cart' | 'shared-orders' = 'vs-stable', name = 'payments') {
  const app = await install(scenario, name, namespace, '1.0.0');
  const stable = app.observer.latest!.stableHash!;
  signals.setTraffic(namespace, stable, { errorRatio: stableErrors });
  const { hash, from } = await update(app, '1.1.0').catch(async (e: Error) => {
    await finish(app);
    throw e;
  });
  signals.setTraffic(namespace, hash, { errorRatio: canaryErrors });
  return { app, stable, hash, from };
}

/** The metric results of a run as `name=value` of their last measurement, by metric name. */
const valuesOf = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));

test('1. a canary as bad as stable passes, although both are far above the fixed threshold', async () => {
  const { app, hash, from } = await canaryAgainstStable('e2e-vs-stable-same', 0.3, 0.3);
  try {
    const done = await app.observer.until('Healthy on the new revision', (s) => s.phase === 'Healthy' && s.stableHash === hash, 150_000);
    expect(app.observer.since(from).filter((s) => s.t <= done.t).some((s) => s.abort)).toBe(false);
    const final = await app.observer.until('analysis finished', (s) => runsOf(s, hash).length > 0 && runsOf(s, hash).every((r) => r.phase === 'Successful'), 30_000);
    const [run] = runsOf(final, hash);
    const values = valuesOf(run.values);
    // The fixed threshold measured the real 30% errors (a success share of 0.7) and would have failed.
    expect(Number(/^\[(.*)\]$/.exec(values['success-share'])![1])).toBeCloseTo(0.7, 1);
    // The comparison: canary minus (stable + 0.05) is about -0.05, within tolerance.
    const excess = Number(/^\[(.*)\]$/.exec(values['errors-vs-stable'])![1]);
    expect(excess).toBeLessThanOrEqual(0);
    expect(excess).toBeGreaterThan(-0.1);
  } finally {
    await finish(app);
  }
});

test('2. a canary worse than stable beyond the tolerance aborts the rollout', async () => {
  const { app, stable, hash } = await canaryAgainstStable('e2e-vs-stable-worse', 0.3, 0.6);
  try {
    const aborted = await app.observer.until('aborted', (s) => s.abort && s.phase === 'Degraded', 150_000);
    expect(aborted.stableHash).toBe(stable);
    expect(aborted.message).toMatch(/RolloutAborted.*errors-vs-stable/);
    const failed = await app.observer.until('analysis Failed', (s) => runsOf(s, hash)[0]?.phase === 'Failed', 30_000);
    // 0.6 - (0.3 + 0.05): about 0.25 above what the canary may reach.
    const excess = Number(/^\[(.*)\]$/.exec(valuesOf(runsOf(failed, hash)[0].values)['errors-vs-stable'])![1]);
    expect(excess).toBeGreaterThan(0.15);
    expect(excess).toBeLessThan(0.35);
  } finally {
    await finish(app);
  }
});

test('3. one shared ClusterAnalysisTemplate judges two apps in one run, each with its own args', async () => {
  const library = synthLibraryScenario({ namespace: 'unused', tag: 'unused', prometheusUrl: e2e.cluster.prometheusUrl!, webMetricUrl: signals.url, eventSinkUrl: signals.url });
  await apply(library.yaml, 'platform-analysis');
  const [cart, orders] = await Promise.all([
    canaryAgainstStable('e2e-shared-cart', 0.3, 0.3, 'shared-cart', 'cart'),
    canaryAgainstStable('e2e-shared-orders', 0.3, 0.6, 'shared-orders', 'orders'),
  ]);
  try {
    const [promoted, aborted] = await Promise.all([
      cart.app.observer.until('cart Healthy on the new revision', (s) => s.phase === 'Healthy' && s.stableHash === cart.hash, 150_000),
      orders.app.observer.until('orders aborted', (s) => s.abort && s.phase === 'Degraded', 150_000),
    ]);
    expect(cart.app.observer.since(cart.from).filter((s) => s.t <= promoted.t).some((s) => s.abort)).toBe(false);
    expect(aborted.stableHash).toBe(orders.stable);
    expect(aborted.message).toMatch(/RolloutAborted.*errors-vs-stable/);
    // Both runs came from the one template, each with its app's args: its namespace and its own hashes.
    for (const { app, hash, stable, namespace } of [{ ...cart, namespace: 'e2e-shared-cart' }, { ...orders, namespace: 'e2e-shared-orders' }]) {
      const runs = (await e2e.cluster.getJson(`/apis/argoproj.io/v1alpha1/namespaces/${namespace}/analysisruns`)).items as any[];
      // Their names carry the revision's pod-template hash.
      const run = runs.find((r) => (r.metadata.name as string).includes(hash));
      expect(run).toBeDefined();
      const args = Object.fromEntries(run.spec.args.map((a: { name: string; value: string }) => [a.name, a.value]));
      expect(args).toEqual({ namespace, 'canary-hash': hash, 'stable-hash': stable });
      expect(run.spec.metrics.map((m: { name: string }) => m.name)).toEqual(['errors-vs-stable']);
      expect(app.name).toBe(namespace.replace('e2e-shared-', ''));
    }
    const templates = (await e2e.cluster.getJson('/apis/argoproj.io/v1alpha1/clusteranalysistemplates')).items as any[];
    expect(templates.map((t) => t.metadata.name)).toEqual(['errors-vs-stable']);
    // As bad as stable: 0.3 - (0.3 + max(0.02, 0.5 x 0.3)) = -0.15; worse: 0.6 - 0.45 = 0.15.
    const final = await cart.app.observer.until('cart analysis finished', (s) => runsOf(s, cart.hash).length > 0 && runsOf(s, cart.hash).every((r) => r.phase === 'Successful'), 30_000);
    expect(Number(/^\[(.*)\]$/.exec(valuesOf(runsOf(final, cart.hash)[0].values)['errors-vs-stable'])![1])).toBeCloseTo(-0.15, 1);
    const failed = await orders.app.observer.until('orders analysis Failed', (s) => runsOf(s, orders.hash)[0]?.phase === 'Failed', 30_000);
    expect(Number(/^\[(.*)\]$/.exec(valuesOf(runsOf(failed, orders.hash)[0].values)['errors-vs-stable'])![1])).toBeCloseTo(0.15, 1);
  } finally {
    await finish(cart.app);
    await finish(orders.app);
  }
});
