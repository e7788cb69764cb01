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
 * Run with `npm run test:e2e` (or `npx jest -c jest.e2e.config.js test/e2e/analysis.test.ts`).
 */
import { runsOf, useE2E } from './harness';

// No traffic router: the Gateway API plugin is not needed here.
const e2e = useE2E('e2e-analysis', { gatewayApiPlugin: false });
const { signals, install, update, finish } = e2e;

/** Installs the vs-stable scenario with stable failing `stableErrors`, then starts a canary failing `canaryErrors`. */
async function canaryAgainstStable(namespace: string, stableErrors: number, canaryErrors: number) {
  const app = await install('vs-stable', 'payments', namespace, '1.0.0');
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
