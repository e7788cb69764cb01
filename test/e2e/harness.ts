/**
 * The e2e suites' shared harness: one control plane per jest file (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kwok, the Argo Rollouts controller, Prometheus scraping the
 * loopback signal server), and the steps every scenario takes: install an example with its overlay
 * (test/e2e/specs.ts), update its image, observe the Rollout (observe.ts), keep logs and object dumps
 * in test-output/e2e/<run>/.
 *
 *   const e2e = useE2E('e2e-notifications');   // registers beforeAll/afterAll
 *   test('...', async () => { const app = await e2e.install(...); ... });
 */
import * as fs from 'fs';
import * as path from 'path';
import { Cluster, REPO_ROOT, StartOptions, mustSucceed, startCluster, toolPath } from '../cluster/cluster';
import { RolloutObserver, Sample } from './observe';
import { SignalServer } from './signals';
import { ScenarioName, synthScenario } from './specs';
import { toYamlDocuments } from '../../src/util/yaml-emitter';

const LOG_ROOT = path.join(REPO_ROOT, 'test-output', 'e2e');
const FIELD_MANAGER = '--field-manager=canarykit-e2e';

export interface App {
  /** Which example with which overlay (test/e2e/specs.ts). */
  readonly scenario: ScenarioName;
  readonly name: string;
  readonly namespace: string;
  readonly observer: RolloutObserver;
  /** Image tag of the last applied revision. */
  tag: string;
}

export interface E2E {
  /** The running control plane (set once beforeAll has run). */
  readonly cluster: Cluster;
  readonly signals: SignalServer;
  readonly render: (app: Pick<App, 'scenario' | 'namespace'>, tag: string) => ReturnType<typeof synthScenario>;
  readonly apply: (yaml: string, what: string) => Promise<void>;
  readonly install: (scenario: ScenarioName, name: string, namespace: string, tag: string, prepare?: string[]) => Promise<App>;
  readonly update: (app: App, tag: string) => Promise<{ hash: string; from: number }>;
  readonly sampleAppUpdate: (scenario: ScenarioName, name: string, namespace: string, errorRatio: number) => Promise<{ app: App; stable: string; hash: string; from: number }>;
  readonly finish: (app: App) => Promise<void>;
  readonly rolloutsPlugin: (app: App, ...args: string[]) => Promise<void>;
}

/**
 * Starts the control plane for this jest file (beforeAll) and stops it (afterAll). `name` names the log
 * directory; `options` add to the defaults (the Rollouts controller, Prometheus scraping the signals).
 */
export function useE2E(name: string, options: Partial<StartOptions> = {}): E2E {
  let cluster: Cluster | undefined;
  const signals = new SignalServer();
  /** Every app installed, so afterAll can stop observers a timed-out scenario left running. */
  const apps: App[] = [];

  beforeAll(async () => {
    await signals.start();
    cluster = await startCluster({ name, rollouts: true, prometheusTargets: [signals.target], logRoot: LOG_ROOT, ...options });
  }, 240_000);

  afterAll(async () => {
    for (const app of apps) await app.observer.stop();
    await cluster?.stop();
    await signals.stop();
    if (cluster) process.stdout.write(`e2e logs, timelines and object dumps: ${path.relative(REPO_ROOT, cluster.logDir)}\n`);
  }, 60_000);

  const running = (): Cluster => {
    if (!cluster) throw new Error('the e2e control plane is not running (beforeAll failed?)');
    return cluster;
  };

  const e2e: E2E = {
    get cluster() {
      return running();
    },
    signals,

    render: (app, tag) => {
      return synthScenario(app.scenario, {
        namespace: app.namespace,
        tag,
        prometheusUrl: running().prometheusUrl!,
        webMetricUrl: signals.url,
        eventSinkUrl: `${signals.url}/events`,
      });
    },

    apply: async (yaml, what) => {
      mustSucceed(await running().kubectl(['apply', '--server-side', FIELD_MANAGER, '-f', '-'], { input: yaml }), `apply ${what}`);
    },

    /**
     * Creates the namespace (and, with `prepare`, runs that kubectl command in it), applies canarykit's
     * output for `tag` and waits until it is the stable revision.
     */
    install: async (scenario, appName, namespace, tag, prepare) => {
      const c = running();
      mustSucceed(await c.kubectl(['create', 'namespace', namespace, FIELD_MANAGER]), `create namespace ${namespace}`);
      if (prepare) mustSucceed(await c.kubectl([...prepare, '-n', namespace]), prepare.join(' '));
      const app: App = { scenario, name: appName, namespace, tag, observer: new RolloutObserver(c, namespace, appName).start() };
      apps.push(app);
      try {
        await e2e.apply(e2e.render(app, tag).yaml, `${scenario}@${tag}`);
        await app.observer.until('Healthy', (s) => s.phase === 'Healthy' && !!s.stableHash, 60_000);
      } catch (e) {
        await e2e.finish(app);
        throw e;
      }
      return app;
    },

    /**
     * Re-synthesizes the spec with image `tag` and applies what changed, which must be the Rollout
     * alone. (Re-applying the Services with server-side apply would conflict with the controller, which
     * owns their atomic `.spec.selector` once it has added the pod-template hash to it.) Resolves with
     * the new revision's pod-template hash and the index of the first sample after the update.
     */
    update: async (app, tag) => {
      const before = e2e.render(app, app.tag).objects;
      const after = e2e.render(app, tag).objects;
      const changed = after.filter((o, i) => JSON.stringify(o) !== JSON.stringify(before[i]));
      expect(changed.map((o) => o.kind)).toEqual(['Rollout']);
      const stable = app.observer.latest!.stableHash;
      const from = app.observer.samples.length;
      await e2e.apply(toYamlDocuments(changed), `${app.scenario}@${tag}`);
      app.tag = tag;
      const s = await app.observer.until('progressing to a new revision', (x) => !!x.currentHash && x.currentHash !== stable, 30_000);
      return { hash: s.currentHash!, from };
    },

    /**
     * Installs a scenario of the sample app at 1.0.0 in `namespace` (its requests all succeed) and
     * updates it to 1.1.0, whose requests fail at `errorRatio`. Resolves once the new revision exists.
     */
    sampleAppUpdate: async (scenario, appName, namespace, errorRatio) => {
      const app = await e2e.install(scenario, appName, namespace, '1.0.0');
      const stable = app.observer.latest!.stableHash!;
      signals.setTraffic(namespace, stable, { errorRatio: 0 });
      const { hash, from } = await e2e.update(app, '1.1.0').catch(async (e: Error) => {
        await e2e.finish(app);
        throw e;
      });
      signals.setTraffic(namespace, hash, { errorRatio });
      return { app, stable, hash, from };
    },

    /** Stops observing; keeps the timeline, `kubectl get -o yaml` of everything and the plugin's view. */
    finish: async (app) => {
      const c = running();
      const base = path.join(c.logDir, app.namespace);
      await app.observer.stop(`${base}.timeline.txt`);
      const kinds = 'rollouts,analysisruns,analysistemplates,replicasets,pods,jobs,services,ingresses,virtualservices,destinationrules,httproutes';
      const dump = await c.kubectl(['get', kinds, '-n', app.namespace, '-o', 'yaml']);
      const plugin = await c.exec(toolPath('kubectl-argo-rollouts'), ['get', 'rollout', app.name, '-n', app.namespace, '--no-color']);
      fs.writeFileSync(`${base}.objects.yaml`, dump.stdout + dump.stderr);
      fs.writeFileSync(`${base}.plugin.txt`, plugin.stdout + plugin.stderr);
    },

    /**
     * The controller's plugin command (`promote`, `abort`) on the app's Rollout. A promote is sent once
     * the pause has held for a few samples: one sent as the pause begins can be lost (the Rollout then
     * stays `controllerPause` without a pause condition; see scenario 11's notes on the controller's timing).
     */
    rolloutsPlugin: async (app, ...args) => {
      if (args[0] === 'promote') {
        const start = app.observer.samples.length;
        await app.observer.until('a settled pause', (s) => s.paused && app.observer.samples.slice(start).filter((x) => x.paused).length >= 3, 30_000);
      }
      mustSucceed(await running().exec(toolPath('kubectl-argo-rollouts'), [...args, app.name, '-n', app.namespace]), `kubectl argo rollouts ${args.join(' ')}`);
    },
  };
  return e2e;
}

/** Values in order of first appearance, consecutive repeats collapsed. */
export function changes<T>(values: readonly (T | undefined)[]): T[] {
  const out: T[] = [];
  for (const v of values) if (v !== undefined && v !== out[out.length - 1]) out.push(v);
  return out;
}

/** The last observed state of every object (by name) in `states`, in order of first appearance. */
export function lastSeen<T extends { name: string }>(states: readonly T[]): T[] {
  return [...new Map(states.map((x) => [x.name, x])).values()];
}

/** The AnalysisRuns created for one revision (their names carry the pod-template hash). */
export function runsOf(s: Sample, hash: string) {
  return s.runs.filter((r) => r.name.includes(hash));
}
