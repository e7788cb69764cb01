/**
 * Issue 18: notifications from one spec, delivered by the real Argo Rollouts controller's notification
 * engine (v1.9.1, notifications-engine v0.5.0). The controller-side configuration is what `canarykit
 * notifications` writes for the two apps below (one ConfigMap, their entries merged), applied to the
 * controller's namespace with the Secret keys it lists; each app subscribes through its Rollout's
 * annotation. The webhook sinks are the loopback signal server (/notify/<sink>):
 *
 *   1. healthy: the `deploys` webhook receives on-rollout-step-completed for every step, in order, then
 *      on-rollout-completed, each with its token (from the notification Secret) as a header;
 *   2. faulty:  the analysis fails and the rollout aborts: the domain-events sink receives the stop event
 *      of the stage the canary was in (the domain-event payload), and `deploys` the failure and the abort.
 *
 * Each app receives only its own events (the triggers' conditions are per app), and neither token appears
 * in any object canarykit generated or the cluster holds outside the Secret.
 */
import { mustSucceed } from '../cluster/cluster';
import { ROLLOUTS_NAMESPACE } from '../cluster/cluster';
import { changes, useE2E } from './harness';
import { Notification } from './signals';
import { parseDocument } from '../../src/load/parse';
import { synthDocuments } from '../../src/constructs/synth';
import { notificationFiles, NOTIFICATION_FILES } from '../../src/targets/notifications';
import { domainEventsTokenKey } from '../../src/analysis/notifications';
import { scenarioSource } from './specs';

// No traffic-router plugin: the scenarios route with NGINX, built into the controller.
const e2e = useE2E('e2e-notifications', { gatewayApiPlugin: false });
const { signals } = e2e;

const APP = 'sample-app';
const HEALTHY = 'e2e-notify-healthy';
const FAULTY = 'e2e-notify-faulty';
const DEPLOYS_TOKEN = 'deploys-t0ken-4f9c2a';
const EVENTS_TOKEN = 'events-t0ken-81d3e7';

/** Both apps' models, as `canarykit synth` builds them from the scenario's spec. */
function synthesized(namespace: string) {
  const vars = { namespace, tag: '1.0.0', prometheusUrl: e2e.cluster.prometheusUrl!, webMetricUrl: signals.url, eventSinkUrl: `${signals.url}/events` };
  const { value, issues } = parseDocument(scenarioSource('sample-app-notify', vars));
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  return synthDocuments([value!])[0];
}

/** What the webhook sink received for the app in `namespace` since notification number `since` (the update). */
function received(namespace: string, since: number): Notification[] {
  return signals.notifications.slice(since).filter((n) => n.sink === 'deploys' && JSON.parse(n.body).namespace === namespace);
}

function bodies(namespace: string, since: number): Record<string, any>[] {
  return received(namespace, since).map((n) => JSON.parse(n.body));
}

/** What the app's domain-events sink received (each app's sink has a path of its own: the payload names no app). */
function domainEvents(namespace: string): Notification[] {
  return signals.notifications.filter((n) => n.sink === `domain-events-${namespace}`);
}

let files: Map<string, string>;

beforeAll(async () => {
  const apps = [synthesized(HEALTHY), synthesized(FAULTY)];
  files = notificationFiles(apps.map((a) => a.model), { repoURL: 'https://github.com/example/canarykit-deploy.git', namespace: ROLLOUTS_NAMESPACE });
  const c = e2e.cluster;
  await e2e.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ROLLOUTS_NAMESPACE}\n`, 'the controller namespace');
  await e2e.apply(files.get(NOTIFICATION_FILES.configMap)!, 'the notification ConfigMap');
  const keys = [`deploys-token=${DEPLOYS_TOKEN}`, ...[HEALTHY, FAULTY].map((ns) => `${domainEventsTokenKey({ name: APP, namespace: ns })}=${EVENTS_TOKEN}`)];
  mustSucceed(await c.kubectl(['create', 'secret', 'generic', 'argo-rollouts-notification-secret', '-n', ROLLOUTS_NAMESPACE, ...keys.map((k) => `--from-literal=${k}`)]), 'the notification Secret');
}, 60_000);

/** Installs the app at 1.0.0 with the event Job's Secret and updates it to 1.1.0, failing at `errorRatio`. */
async function notifyingCanary(namespace: string, errorRatio: number) {
  const app = await e2e.install('sample-app-notify', APP, namespace, '1.0.0', ['create', 'secret', 'generic', 'event-sink', `--from-literal=token=${EVENTS_TOKEN}`]);
  const stable = app.observer.latest!.stableHash!;
  signals.setTraffic(namespace, stable, { errorRatio: 0 });
  // The initial deploy is an update too (RolloutCompleted "Initial deploy"); the canary starts here.
  const mark = signals.notifications.length;
  const { hash, from } = await e2e.update(app, '1.1.0').catch(async (err: Error) => {
    await e2e.finish(app);
    throw err;
  });
  signals.setTraffic(namespace, hash, { errorRatio });
  return { app, stable, hash, from, mark };
}

/** The secret-bearing header of a request. */
const authorization = (n: Notification) => n.headers.authorization;

test('the generated controller-side configuration holds no token, only the keys it reads', () => {
  for (const [file, text] of files) {
    expect({ file, deploys: text.includes(DEPLOYS_TOKEN), events: text.includes(EVENTS_TOKEN) }).toEqual({ file, deploys: false, events: false });
  }
  expect(files.get(NOTIFICATION_FILES.secretKeys)).toContain('key: deploys-token');
  for (const ns of [HEALTHY, FAULTY]) {
    const objects = JSON.stringify(synthesized(ns).objects);
    expect(objects.includes(DEPLOYS_TOKEN) || objects.includes(EVENTS_TOKEN)).toBe(false);
  }
});

test('1. healthy canary: every step completed is sent in order, then the completion; the token arrives as a header', async () => {
  const { app, hash, from, mark } = await notifyingCanary(HEALTHY, 0);
  try {
    const done = await app.observer.until('Healthy on the new revision', (s) => s.phase === 'Healthy' && s.stableHash === hash, 200_000);
    const stepCount = done.step!;
    const completed = await waitFor(() => bodies(HEALTHY, mark).filter((b) => b.event === 'on-rollout-completed'), 'on-rollout-completed', 20_000);
    expect(completed.length).toBeGreaterThanOrEqual(1);

    const sent = bodies(HEALTHY, mark);
    const steps = sent.filter((b) => b.event === 'on-rollout-step-completed');
    // The engine renders the Rollout as it was when the step completed: its index is that step's.
    expect(steps.map((b) => b.stepIndex)).toEqual(Array.from({ length: stepCount }, (_, i) => i));
    // The completion comes after the last step.
    expect(sent.findIndex((b) => b.event === 'on-rollout-completed')).toBeGreaterThan(sent.lastIndexOf(steps[steps.length - 1]));
    for (const b of sent) {
      expect(b).toMatchObject({ app: APP, namespace: HEALTHY, team: 'checkout' });
      expect(b.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    // A field read from the Rollout: the NGINX canary weight at each step, as the status had it.
    const weights = changes(steps.map((b) => b.canaryWeight));
    expect(weights.filter((w) => w > 0)).toEqual([25, 50, 75]);
    expect(steps.some((b) => b.revision === hash)).toBe(true);
    // The token from argo-rollouts-notification-secret, as the header the sink declared.
    const requests = received(HEALTHY, mark);
    expect(new Set(requests.map(authorization))).toEqual(new Set([`Bearer ${DEPLOYS_TOKEN}`]));
    expect(new Set(requests.map((n) => n.method))).toEqual(new Set(['POST']));
    expect(new Set(requests.map((n) => n.headers['content-type']))).toEqual(new Set(['application/json']));
    // No abort, so no stop event from the engine.
    expect(domainEvents(HEALTHY)).toEqual([]);
    expect(app.observer.since(from).some((s) => s.abort)).toBe(false);
  } finally {
    await e2e.finish(app);
  }
});

test('2. faulty canary: the abort sends the domain-event stop of the stage it interrupted, and the webhook hears the failure', async () => {
  const { app, from, mark } = await notifyingCanary(FAULTY, 0.5);
  try {
    const aborted = await app.observer.until('aborted', (s) => s.abort && s.phase === 'Degraded', 150_000);
    const [stop] = await waitFor(() => domainEvents(FAULTY).map((n) => JSON.parse(n.body)), 'the domain-event stop', 20_000);
    const abort = (await waitFor(() => bodies(FAULTY, mark).filter((b) => b.event === 'on-rollout-aborted'), 'the abort on the webhook', 20_000))[0];
    // The stage the rollout was in: the last setWeight at or before the step the engine's Rollout was at
    // (the webhook's body of the same abort carries that step index).
    const steps: { setWeight?: number }[] = (synthesized(FAULTY).objects.find((o) => o.kind === 'Rollout') as any).spec.strategy.canary.steps;
    const stage = steps.slice(0, abort.stepIndex + 1).filter((st) => st.setWeight !== undefined).pop()!.setWeight;
    expect(app.observer.since(from).filter((s) => s.t <= aborted.t).some((s) => s.weight === 25)).toBe(true);
    // The domain-event payload: the stage the rollout was in when it aborted, stopped; the sink's fields.
    expect(stop).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      event_name: `${APP}-${stage}`,
      event_state: 'stop',
      workspace: 'sample-service',
    });
    const [request] = domainEvents(FAULTY);
    expect(request.method).toBe('POST');
    expect(authorization(request)).toBe(`Bearer ${EVENTS_TOKEN}`);

    const events = await waitFor(() => {
      const seen = bodies(FAULTY, mark).map((b) => b.event);
      return seen.includes('on-rollout-aborted') && seen.includes('on-analysis-run-failed') ? seen : [];
    }, 'the failure and the abort on the webhook', 20_000);
    expect(events).not.toContain('on-rollout-completed');
    expect(abort).toMatchObject({ app: APP, namespace: FAULTY, team: 'checkout' });
    // One stop event, sent once: the abort is the only one of the run (the initial deploy sends none).
    expect(domainEvents(FAULTY)).toHaveLength(1);
    expect(domainEvents(HEALTHY)).toEqual([]);
    // Tokens: in the Secret only, never in an object of the app's namespace or the ConfigMap.
    const dump = await e2e.cluster.kubectl(['get', 'rollouts,analysisruns,analysistemplates,jobs,services,ingresses,configmaps', '-n', FAULTY, '-o', 'yaml']);
    const configMap = await e2e.cluster.kubectl(['get', 'configmap', 'argo-rollouts-notification-configmap', '-n', ROLLOUTS_NAMESPACE, '-o', 'yaml']);
    for (const text of [dump.stdout, configMap.stdout]) {
      expect(text.length).toBeGreaterThan(0);
      expect(text.includes(DEPLOYS_TOKEN) || text.includes(EVENTS_TOKEN)).toBe(false);
    }
  } finally {
    await e2e.finish(app);
  }
});

/** Polls `get` until it returns a non-empty list (the engine sends asynchronously to the controller's loop). */
async function waitFor<T>(get: () => T[], what: string, timeoutMs: number): Promise<T[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v.length > 0) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; notifications so far: ${JSON.stringify(signals.notifications.map((n) => [n.sink, n.body]))}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
