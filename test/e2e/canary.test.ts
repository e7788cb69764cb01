/**
 * Issue 7: canaries proven end to end. canarykit's output for the examples, each with the small
 * overlay of test/e2e/specs.ts (namespace, image tag, loopback addresses, test-sized timings), runs under the real Argo Rollouts controller (v1.9.1, built from source) on a
 * real control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler; kwok makes the
 * fake node's pods Ready and Job pods complete), with a real Prometheus scraping a loopback metrics
 * server whose error ratio each scenario controls:
 *
 *   1. healthy:    a new image walks every step, the analysis (canarykit's built-in successRate
 *                  query, evaluated by Prometheus on real series) passes, the new revision is stable;
 *   2. faulty:     50% errors -> AnalysisRun Failed -> Rollout aborted/Degraded, canary weight 0;
 *   3. web metric: the pixie-style web provider against a loopback server, pass then fail;
 *   4. event Jobs: the domain event Jobs are created by the controller at their steps with their args
 *                  (4b: a plain Job-metric step gates the rollout; the plugin promotes a manual pause);
 *   5. NGINX:      the controller's canary Ingress carries the step weights and canary-by-header;
 *   6-8. blue-green: the new version behind the preview Service while the active one keeps the old;
 *                  pre-promotion analysis passes and the active Service switches (6), fails and the
 *                  active Service never moves (7); post-promotion analysis fails and it switches back (8);
 *   9. Istio:      the controller weights the VirtualService canarykit creates at each step, and back
 *                  to the stable Service on abort;
 *  10. Istio subsets: the controller labels the DestinationRule's subsets with the pod-template hashes;
 *  12. Istio header and mirror routes: the controller adds them to canarykit's VirtualService ahead of its
 *                  route and removes them;
 *  11. Gateway API: in test/e2e/gatewayapi.test.ts, on a cluster of its own.
 *
 * Each scenario has its own namespace and asserts the Rollout phase, step index, canary weight and
 * AnalysisRun phase over time (see observe.ts). Component logs, every scenario's timeline and a
 * final object dump are kept in test-output/e2e/<run>/. Run with `npm run test:e2e`.
 */
import { mustSucceed, toolPath } from '../cluster/cluster';
import { changes, lastSeen, runsOf, useE2E } from './harness';
import { Sample } from './observe';

const CANARY_WEIGHT = 'nginx.ingress.kubernetes.io/canary-weight';

const e2e = useE2E('e2e');
const { signals } = e2e;
const { install, update, finish, rolloutsPlugin } = e2e;

// ---------------------------------------------------------------------------
// scenarios

test('1. healthy canary: every step passes, the new revision becomes stable', async () => {
  const { app, hash, from } = await sampleAppCanary('e2e-healthy', 0);
  try {
    const done = await app.observer.until('Healthy on the new revision', (s) => s.phase === 'Healthy' && s.stableHash === hash, 150_000);
    const during = app.observer.since(from).filter((s) => s.t <= done.t);

    // Every step, in order: 25% (steps 0-1), 50% (2-3), 75% (4-5), then complete (6).
    const steps = changes(during.map((s) => s.step));
    expect(steps).toEqual(expect.arrayContaining([1, 3, 5]));
    expect(steps[steps.length - 1]).toBe(6);
    expect(changes(during.filter((s) => s.phase !== 'Healthy').map((s) => s.weight)).filter((w) => w > 0)).toEqual([25, 50, 75]);
    // While paused after setWeight w (index 2k+1) the status carries w. (Right after a pause ends the
    // index already points at the next setWeight while the old weight still holds, so only the pauses
    // pin the pair down.)
    const pauses = during.filter((s) => s.paused);
    expect(new Set(pauses.map((s) => s.step))).toEqual(new Set([1, 3, 5]));
    for (const s of pauses) expect({ step: s.step, weight: s.weight }).toEqual({ step: s.step, weight: [25, 50, 75][(s.step! - 1) / 2] });
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

test('2. faulty canary: 50% errors fail the analysis, the rollout aborts and traffic returns to stable', async () => {
  const { app, stable, hash, from } = await sampleAppCanary('e2e-faulty', 0.5);
  try {
    const aborted = await app.observer.until('aborted', (s) => s.abort && s.phase === 'Degraded', 120_000);
    const back = await app.observer.until(
      'back on stable (canary weight 0 in the status and on the canary Ingress)',
      (s) => s.weight === 0 && s.canaryIngress?.annotations[CANARY_WEIGHT] === '0',
      30_000,
    );
    const during = app.observer.since(from).filter((s) => s.t <= back.t);

    // The canary held 25% through the first pause; the analysis starts at step "half" (index 2) and
    // its first measurement fails, so the canary never gets past 50% (usually not even to 50%: the
    // abort comes before the controller shifts the weight).
    expect(during.some((s) => s.paused && s.step === 1 && s.weight === 25)).toBe(true);
    expect([[25], [25, 50]]).toContainEqual(changes(during.map((s) => s.weight)).filter((w) => w > 0));
    const beforeAbort = during.filter((s) => !s.abort);
    expect(beforeAbort.every((s) => runsOf(s, hash).length === 0 || s.step! >= 2)).toBe(true);
    expect(beforeAbort.some((s) => runsOf(s, hash)[0]?.phase === 'Failed' && s.step! < 2)).toBe(false);
    // The analysis measured the real 50% error ratio and failed; the Rollout says why it aborted.
    const run = runsOf(back, hash);
    expect(run).toHaveLength(1);
    expect(run[0].phase).toBe('Failed');
    expect(run[0].values[0]).toMatch(/^success-share=\[0\.(5|49\d*)\]$/);
    expect(aborted.message).toMatch(/RolloutAborted.*success-share/);
    // Traffic is back on the untouched stable revision; the canary ReplicaSet is scaled down after
    // abortScaleDownDelaySeconds.
    expect(back.stableHash).toBe(stable);
    expect(back.phase).toBe('Degraded');
    await app.observer.until('canary scaled down', (s) => s.replicas[hash] === 0 && s.replicas[stable] === 2, 30_000);
  } finally {
    await finish(app);
  }
});

test('3. web metric (pixie-style): the canary passes on a 0 error rate, then a new one aborts on 0.5', async () => {
  const app = await install('px-canary-demo', 'px-canary-demo', 'e2e-web', 'blue');
  try {
    // pass
    const green = await update(app, 'green');
    const promoted = await app.observer.until('Healthy on green', (s) => s.phase === 'Healthy' && s.stableHash === green.hash, 120_000);
    const during = app.observer.since(green.from).filter((s) => s.t <= promoted.t);
    // A basic canary: the weight is the share of 3 replicas, 1 at 33%, 2 at 66%.
    expect(changes(during.map((s) => s.replicas[green.hash])).filter((n) => n > 0).slice(0, 2)).toEqual([1, 2]);
    expect(during.some((s) => s.abort)).toBe(false);
    const passed = await app.observer.until('analysis Successful', (s) => runsOf(s, green.hash)[0]?.phase === 'Successful', 30_000);
    expect([...runsOf(passed, green.hash)[0].values].sort()).toEqual(['verdict="ok"', 'webmetric=0']);
    // The controller called the web endpoint with the namespace and the canary's pod-template hash.
    expect(signals.webRequests).toContain(`/error-rate/e2e-web/px-canary-demo-${green.hash}`);
    // jsonBody: the controller escaped the quotes and the backslash of the substituted arg.
    expect(signals.verdictBodies.length).toBeGreaterThan(0);
    expect(new Set(signals.verdictBodies.map((b) => JSON.stringify(b)))).toEqual(new Set([JSON.stringify({ namespace: 'e2e-web', note: 'say "hi" \\ bye' })]));

    // fail
    signals.setErrorRate(app.namespace, 0.5);
    const red = await update(app, 'red');
    const aborted = await app.observer.until('aborted', (s) => s.abort && s.phase === 'Degraded', 120_000);
    expect(aborted.stableHash).toBe(green.hash);
    expect(aborted.message).toMatch(/RolloutAborted.*webmetric/);
    const failed = await app.observer.until('analysis Failed', (s) => runsOf(s, red.hash)[0]?.phase === 'Failed', 30_000);
    expect(runsOf(failed, red.hash)[0].values).toContain('webmetric=0.5');
    expect(signals.webRequests).toContain(`/error-rate/e2e-web/px-canary-demo-${red.hash}`);
    // Back to 0% canary: the canary ReplicaSet is scaled to 0, stable serves with all 3 replicas.
    await app.observer.until('canary scaled down', (s) => s.replicas[red.hash] === 0 && s.replicas[green.hash] === 3, 30_000);
  } finally {
    await finish(app);
  }
});

test('4. event Jobs: the controller runs a start and a stop event Job around each weight stage', async () => {
  const app = await install('pree-dew-events', 'pree-dew-app', 'e2e-events', '1.0.0', [
    'create', 'secret', 'generic', 'event-sink', '--from-literal=token=not-a-real-token',
  ]);
  try {
    expect(app.observer.latest!.jobs).toEqual([]); // the first revision runs no steps
    const { hash } = await update(app, '1.1.0');
    await app.observer.until('Healthy on 1.1.0', (s) => s.phase === 'Healthy' && s.stableHash === hash, 150_000);

    // weights [20, 40, 60, 80] with events compile to setWeight, start event, pause, stop event per
    // weight. Each event Job belongs to the step AnalysisRun the controller created at that step
    // (named <rollout>-<hash>-<revision>-<step index>), in step order, with the stage's arguments.
    // (The controller keeps the last 5 successful runs, so earlier runs and their Jobs are gone by
    // the end: every Job and run ever observed counts, in its last observed state.)
    const runStep = (owner: string | undefined) => Number(/-(\d+)$/.exec(owner ?? '')?.[1]);
    const jobs = lastSeen(app.observer.samples.flatMap((s) => s.jobs)).sort((a, b) => runStep(a.owner) - runStep(b.owner));
    expect(jobs.map((j) => runStep(j.owner))).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
    expect(jobs.map((j) => j.owner)).toEqual(jobs.map(() => expect.stringMatching(`^AnalysisRun/pree-dew-app-${hash}-2-`)));
    expect([...jobs].sort((a, b) => a.createdAt.localeCompare(b.createdAt))).toEqual(jobs);
    const stages = [20, 40, 60, 80].flatMap((w) => ['start', 'stop'].map((state) => `pree-dew-app-${w} ${state}`));
    expect(jobs.map((j) => `${j.env.EVENT_NAME} ${j.env.EVENT_STATE}`)).toEqual(stages);
    for (const j of jobs) {
      expect(j.env).toMatchObject({
        EVENT_URL: `${signals.url}/events`,
        EVENT_METHOD: 'POST',
        EVENT_TOKEN: 'secretKeyRef:event-sink/token', // never inlined
        EVENT_FIELDS: JSON.stringify({ workspace: 'sample-service' }),
      });
      expect(j.succeeded).toBe(1);
    }
    // Between a stage's start and stop events the canary holds that stage's weight.
    const pauses = app.observer.samples.filter((s) => s.paused && s.currentHash === hash);
    expect(new Set(pauses.map((s) => s.step))).toEqual(new Set([2, 6, 10, 14]));
    for (const s of pauses) expect({ step: s.step, weight: s.weight }).toEqual({ step: s.step, weight: 20 * ((s.step! + 2) / 4) });
    const runs = lastSeen(app.observer.samples.flatMap((s) => runsOf(s, hash)));
    expect(runs.map((r) => r.phase)).toEqual(Array(8).fill('Successful'));
  } finally {
    await finish(app);
  }
});

test('4b. Job metric step (rollouts-demo smoke test): the Job gates its step, then the plugin promotes', async () => {
  const app = await install('canary-demo', 'canary-demo', 'e2e-jobs', 'blue');
  try {
    expect(app.observer.latest!.jobs).toEqual([]); // the first revision runs no steps
    const { hash, from } = await update(app, 'yellow');
    const paused = await app.observer.until('paused at the manual step (index 2)', (s) => s.step === 2 && s.paused, 90_000);
    const during = app.observer.since(from).filter((s) => s.t <= paused.t);

    // One Job, owned by the AnalysisRun the controller created at the analysis step (index 1: the
    // run is named <rollout>-<hash>-<revision>-<step>), none before that step, with the template's
    // command and both arguments substituted: the template default (url) and the Rollout-supplied
    // canary pod-template hash.
    expect(during.some((s) => s.currentHash === hash && s.step === 0 && s.jobs.length > 0)).toBe(false);
    expect(paused.jobs).toHaveLength(1);
    const [job] = paused.jobs;
    const run = runsOf(paused, hash);
    expect(run).toEqual([expect.objectContaining({ name: `canary-demo-${hash}-2-1`, phase: 'Successful' })]);
    expect(job.owner).toBe(`AnalysisRun/${run[0].name}`);
    expect(job.command).toEqual([
      'curl', '--fail', '--silent', '--show-error', '--max-time', '10', '--retry', '3',
      '--header', `X-Canary-Hash: ${hash}`, 'http://canary-demo-canary.e2e-jobs.svc.cluster.local/',
    ]);
    expect(job.succeeded).toBe(1);
    // The step gated the rollout: nothing moved past it before the run succeeded.
    const pastGate = during.filter((s) => s.currentHash === hash && s.step! >= 2);
    expect(pastGate.length).toBeGreaterThan(0);
    expect(pastGate.every((s) => runsOf(s, hash)[0]?.phase === 'Successful')).toBe(true);

    // Promote the manual pause the way the seeds do, with the kubectl plugin.
    mustSucceed(
      await e2e.cluster.exec(toolPath('kubectl-argo-rollouts'), ['promote', app.name, '-n', app.namespace]),
      'kubectl argo rollouts promote',
    );
    const done = await app.observer.until('Healthy on yellow', (s) => s.phase === 'Healthy' && s.stableHash === hash, 90_000);
    expect(done.jobs.map((j) => j.name)).toEqual([job.name]); // no Job at any later step
  } finally {
    await finish(app);
  }
});

test('5. NGINX routing: the controller weights its canary Ingress at each step, with canary-by-header', async () => {
  const app = await install('pree-dew-app', 'pree-dew-app', 'e2e-nginx', '1.0.0');
  try {
    const { hash, from } = await update(app, '1.1.0');
    const done = await app.observer.until('Healthy on 1.1.0', (s) => s.phase === 'Healthy' && s.stableHash === hash, 120_000);
    const during = app.observer.since(from).filter((s) => s.t <= done.t);

    // The canary Ingress the controller made from canarykit's stable Ingress: the canary Service as
    // backend, the canary and header annotations all along.
    for (const s of during) {
      expect(s.canaryIngress).toEqual({
        name: 'pree-dew-app-pree-dew-app-canary',
        service: 'pree-dew-app-canary',
        annotations: expect.objectContaining({
          'nginx.ingress.kubernetes.io/canary': 'true',
          'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary',
        }),
      });
    }
    // weights: [20, 40, 60, 80] compiles to setWeight/pause pairs; while paused at index 2k+1 the
    // Ingress and the status both carry weight 20(k+1).
    const weights = (s: Sample) => Number(s.canaryIngress!.annotations[CANARY_WEIGHT]);
    expect(changes(during.map(weights)).filter((w) => w > 0 && w < 100)).toEqual([20, 40, 60, 80]);
    const pauses = during.filter((s) => s.paused);
    expect(new Set(pauses.map((s) => s.step))).toEqual(new Set([1, 3, 5, 7]));
    for (const s of pauses) {
      const expected = 20 * ((s.step! + 1) / 2);
      expect({ step: s.step, ingress: weights(s), status: s.weight }).toEqual({ step: s.step, ingress: expected, status: expected });
    }
    // Promoted: all traffic back on the (new) stable Service; canarykit's own Ingress untouched.
    await app.observer.until('canary Ingress weight 0', (s) => s.canaryIngress?.annotations[CANARY_WEIGHT] === '0', 30_000);
    const stableIngress = await e2e.cluster.getJson(`/apis/networking.k8s.io/v1/namespaces/${app.namespace}/ingresses/pree-dew-app`);
    expect(Object.keys(stableIngress.metadata.annotations ?? {}).filter((k) => k.startsWith('nginx.'))).toEqual([]);
    expect(stableIngress.spec.rules[0].http.paths[0].backend.service.name).toBe('pree-dew-app-stable');
  } finally {
    await finish(app);
  }
});

// ---------------------------------------------------------------------------
// blue-green (scenarios 6-8): the Services' selectors say which revision serves what.

const ACTIVE = 'checkout-active';
const PREVIEW = 'checkout-preview';

const sampleAppCanary = (namespace: string, errorRatio: number) => e2e.sampleAppUpdate('sample-app', 'sample-app', namespace, errorRatio);
const blueGreenUpdate = (namespace: string, errorRatio: number) => e2e.sampleAppUpdate('checkout-blue-green', 'checkout', namespace, errorRatio);

test('6. blue-green: the preview comes up behind its own Service, pre-promotion analysis passes, the active Service switches', async () => {
  const { app, stable, hash, from } = await blueGreenUpdate('e2e-bluegreen', 0);
  try {
    const previewed = await app.observer.until('the preview Service on the new revision', (s) => s.services[PREVIEW] === hash, 60_000);
    // While the new version is only a preview, live traffic stays on the old one.
    expect(previewed.services[ACTIVE]).toBe(stable);
    expect(previewed.replicas[hash]).toBe(1); // previewReplicaCount
    const done = await app.observer.until('Healthy on the new revision', (s) => s.phase === 'Healthy' && s.stableHash === hash && s.services[ACTIVE] === hash, 120_000);
    const during = app.observer.since(from).filter((s) => s.t <= done.t);
    // The active Service moved exactly once, from the old revision to the new, after the analysis passed.
    expect(changes(during.map((s) => s.services[ACTIVE]))).toEqual([stable, hash]);
    const switched = during.find((s) => s.services[ACTIVE] === hash)!;
    const pre = runsOf(switched, hash)[0];
    expect(pre).toEqual(expect.objectContaining({ phase: 'Successful', values: ['success-share=[1]'] }));
    expect(during.some((s) => s.abort)).toBe(false);
    // The post-promotion analysis of the new active pods passes too; the old pods go after the delay.
    await app.observer.until('post-promotion analysis Successful', (s) => runsOf(s, hash).length === 2 && runsOf(s, hash).every((r) => r.phase === 'Successful'), 60_000);
    await app.observer.until('old revision scaled down', (s) => (s.replicas[stable] ?? 0) === 0 && s.replicas[hash] === 2, 60_000);
  } finally {
    await finish(app);
  }
});

test('7. blue-green: a faulty preview fails its pre-promotion analysis, the rollout aborts, the active Service never moves', async () => {
  const { app, stable, hash, from } = await blueGreenUpdate('e2e-bluegreen-faulty', 0.5);
  try {
    const aborted = await app.observer.until('aborted', (s) => s.abort && s.phase === 'Degraded', 120_000);
    const during = app.observer.since(from).filter((s) => s.t <= aborted.t);
    expect(during.some((s) => s.services[PREVIEW] === hash)).toBe(true);
    expect(new Set(during.map((s) => s.services[ACTIVE]))).toEqual(new Set([stable]));
    expect(aborted.message).toMatch(/RolloutAborted.*success-share/);
    const run = runsOf(aborted, hash);
    expect(run).toEqual([expect.objectContaining({ phase: 'Failed' })]);
    expect(run[0].values[0]).toMatch(/^success-share=\[0\.(5|49\d*)\]$/);
    // The preview pod goes after abortScaleDownDelaySeconds; the old revision keeps serving, untouched.
    const after = await app.observer.until('preview scaled down', (s) => s.replicas[hash] === 0, 30_000);
    expect(after.services[ACTIVE]).toBe(stable);
    expect(after.stableHash).toBe(stable);
  } finally {
    await finish(app);
  }
});

test('8. blue-green: a failed post-promotion analysis switches the active Service back to the old revision', async () => {
  const { app, stable, hash, from } = await blueGreenUpdate('e2e-bluegreen-post', 0);
  try {
    // Healthy before the switch, failing after it: the post-promotion analysis sees the errors.
    await app.observer.until('active Service on the new revision', (s) => s.services[ACTIVE] === hash, 120_000);
    signals.setTraffic(app.namespace, hash, { errorRatio: 0.5 });
    const aborted = await app.observer.until('aborted', (s) => s.abort && s.phase === 'Degraded', 120_000);
    const back = await app.observer.until('active Service back on the old revision', (s) => s.services[ACTIVE] === stable, 30_000);
    const during = app.observer.since(from).filter((s) => s.t <= back.t);
    expect(changes(during.map((s) => s.services[ACTIVE]))).toEqual([stable, hash, stable]);
    const runs = runsOf(aborted, hash);
    expect(runs.map((r) => r.phase)).toEqual(['Successful', 'Failed']);
    expect(aborted.message).toMatch(/RolloutAborted.*success-share/);
    expect(back.replicas[stable]).toBe(2); // the old pods were still there to switch back to
  } finally {
    await finish(app);
  }
});

/** The Services of the Istio example (scenarios 9 and 12), which host-level routing weights. */
const ISTIO_STABLE = 'rollouts-demo-stable';
const ISTIO_CANARY = 'rollouts-demo-canary';

test('9. Istio routing: the controller weights the VirtualService canarykit created at each step, and back on abort', async () => {
  const app = await install('istio-rollouts-demo', 'rollouts-demo', 'e2e-istio', 'blue');
  const [STABLE, CANARY] = [ISTIO_STABLE, ISTIO_CANARY];
  const canaryWeight = (s: Sample) => s.istio?.weights[CANARY];
  try {
    // canarykit's VirtualService as created: all traffic on the stable Service.
    expect(app.observer.latest!.istio).toEqual({ weights: { [STABLE]: 100, [CANARY]: 0 } });
    const { hash, from } = await update(app, 'yellow');
    const first = await app.observer.until('paused at the manual step (index 1)', (s) => s.step === 1 && s.paused, 60_000);
    expect(first.istio).toEqual({ weights: { [STABLE]: 80, [CANARY]: 20 } });
    await rolloutsPlugin(app, 'promote');
    const done = await app.observer.until('Healthy on yellow', (s) => s.phase === 'Healthy' && s.stableHash === hash, 90_000);
    const during = app.observer.since(from).filter((s) => s.t <= done.t);
    // steps: 20, pause, 40, pause, 60, pause, 80, pause; while paused at index 2k+1 the route and the
    // status both carry weight 20(k+1), and the two destinations always sum to 100.
    expect(changes(during.map(canaryWeight)).filter((w) => w > 0 && w < 100)).toEqual([20, 40, 60, 80]);
    const pauses = during.filter((s) => s.paused);
    expect(new Set(pauses.map((s) => s.step))).toEqual(new Set([1, 3, 5, 7]));
    for (const s of pauses) {
      const expected = 20 * ((s.step! + 1) / 2);
      expect({ step: s.step, route: canaryWeight(s), status: s.weight }).toEqual({ step: s.step, route: expected, status: expected });
    }
    for (const s of during) expect(s.istio!.weights[STABLE] + s.istio!.weights[CANARY]).toBe(100);
    // Promoted: the controller sets the canary weight to 100, switches the stable Service, then
    // SetWeight(0); Healthy can be reported before that last write (scenario 11 waits for it too).
    await app.observer.until('route back on the stable Service', (s) => canaryWeight(s) === 0, 30_000);

    // A second canary, aborted at 20%: the controller sends everything back to the stable Service.
    const second = await update(app, 'green');
    await app.observer.until('paused at 20% on green', (s) => s.currentHash === second.hash && s.step === 1 && s.paused && canaryWeight(s) === 20, 60_000);
    await rolloutsPlugin(app, 'abort');
    const aborted = await app.observer.until('aborted, canary weight 0', (s) => s.abort && canaryWeight(s) === 0, 30_000);
    expect(aborted.istio).toEqual({ weights: { [STABLE]: 100, [CANARY]: 0 } });
    expect(aborted.stableHash).toBe(hash);
  } finally {
    await finish(app);
  }
});

test('10. Istio subsets: the controller labels the DestinationRule subsets with the pod-template hashes and weights them', async () => {
  const app = await install('istio-subsets', 'rollouts-demo', 'e2e-istio-subsets', 'blue');
  const STABLE = 'rollouts-demo/stable';
  const CANARY = 'rollouts-demo/canary';
  try {
    const stable = app.observer.latest!.stableHash!;
    const labelled = await app.observer.until('subsets labelled', (s) => s.istio?.subsets?.stable === stable, 30_000);
    expect(labelled.istio).toEqual({ weights: { [STABLE]: 100, [CANARY]: 0 }, subsets: { canary: stable, stable } });
    const { hash } = await update(app, 'yellow');
    const paused = await app.observer.until('paused at 20%', (s) => s.step === 1 && s.paused && s.istio?.subsets?.canary === hash, 60_000);
    expect(paused.istio).toEqual({ weights: { [STABLE]: 80, [CANARY]: 20 }, subsets: { canary: hash, stable } });
    await rolloutsPlugin(app, 'promote', '--full');
    await app.observer.until('Healthy on yellow', (s) => s.phase === 'Healthy' && s.stableHash === hash, 90_000);
    const back = await app.observer.until('both subsets on yellow, weight back on stable', (s) =>
      s.istio?.subsets?.stable === hash && s.istio.weights[CANARY] === 0, 30_000);
    expect(back.istio).toEqual({ weights: { [STABLE]: 100, [CANARY]: 0 }, subsets: { canary: hash, stable: hash } });
  } finally {
    await finish(app);
  }
});

test('12. Istio header and mirror routes: the controller adds them ahead of canarykit\'s route, then removes them', async () => {
  const app = await install('istio-routes', 'rollouts-demo', 'e2e-istio-routes', 'blue');
  const [STABLE, CANARY] = [ISTIO_STABLE, ISTIO_CANARY];
  try {
    const { hash, from } = await update(app, 'yellow');
    const paused = await app.observer.until('paused with both managed routes', (s) => s.step === 3 && s.paused && Object.keys(s.istio?.managed ?? {}).length === 2, 60_000);
    // Managed routes come first, in managedRoutes order; canarykit's weighted route keeps 80/20.
    expect(paused.istio!.routes).toEqual(['canary-header', 'mirror', 'primary']);
    expect(paused.istio!.weights).toEqual({ [STABLE]: 80, [CANARY]: 20 });
    expect(paused.istio!.managed!['canary-header']).toEqual({ headers: ['X-Canary=always'], to: [`${CANARY}:100`] });
    expect(paused.istio!.managed!.mirror).toEqual(expect.objectContaining({ mirror: CANARY, mirrorPercent: 50 }));
    const done = await app.observer.until('Healthy on yellow', (s) => s.phase === 'Healthy' && s.stableHash === hash, 90_000);
    const during = app.observer.since(from).filter((s) => s.t <= done.t);
    // Removed by their steps (index 4 and 5) before the weight moves to 60.
    const at60 = during.find((s) => s.istio?.weights[CANARY] === 60)!;
    expect(at60.istio!.managed).toBeUndefined();
    expect(at60.istio!.routes).toBeUndefined();
  } finally {
    await finish(app);
  }
});
