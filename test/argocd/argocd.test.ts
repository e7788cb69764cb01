/**
 * Issue 20: canarykit's Argo CD output under real Argo CD (v3.6.1, built from source by `scripts/tools.sh
 * argocd`; see argocd.ts), with the real Argo Rollouts controller, on the test control plane (kwok makes
 * the pods Ready). A local Git repository (`file://`, as Argo CD's own e2e uses) holds the examples as
 * specs and what `canarykit synth`, `chart` and `argocd --automated --prune --self-heal` write from them;
 * each step of the story is a commit, after which the Applications are refreshed as a Git webhook would.
 *
 *   1. `kubectl apply -f argocd/root.yaml` syncs every app: all Applications Synced and Healthy, every
 *      object as in dist/, and the Rollout synced only after the wave before it was healthy; the
 *      workloadRef Rollout takes over a Deployment made beforehand and scales it to 0, its PDB (in the
 *      Rollout's wave) Healthy;
 *   2. a commit with new images: Argo CD syncs, the canaries run and pause, the apps (and the root) show
 *      Suspended while the sync itself has finished, promotion finishes them, and no app goes OutOfSync
 *      or is re-synced by self-heal because of what the controller writes (selector hashes, VirtualService
 *      weights, the Gateway API plugin's route rules);
 *   3. `--source chart`: the same apps from their charts, rendered by Argo CD's repo-server with real helm,
 *      and another canary through them;
 *   4. an app removed from the specs is pruned with its objects; the other apps are untouched.
 *
 * The scenarios build on each other, in this order. Nothing here plays Argo CD or the Rollouts
 * controller; the test plays only what has no real counterpart on this machine: an ingress controller
 * publishing an address for each Ingress and a Gateway controller accepting each HTTPRoute (Argo CD's
 * health of both waits for that status). Logs: test-output/argocd/<run>/.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { Cluster, REPO_ROOT, mustSucceed, run, startCluster, toolPath } from '../cluster/cluster';
import { runCliIn } from '../support/cli';
import { ARGOCD_NAMESPACE, startArgoCd } from './argocd';

const LOG_ROOT = path.join(REPO_ROOT, 'test-output', 'argocd');
const EXAMPLES = path.join(REPO_ROOT, 'examples');
const ROOT_APP = 'canarykit-apps';
/**
 * The apps whose canaries scenarios 2 and 3 run: no analysis, a `pause: {}` to hold them (Istio and Gateway
 * API routers), and how each is promoted: rollouts-demo walks its remaining steps (10 s pauses, the
 * controller weighting the VirtualService at each), storefront skips its 5 min pauses.
 */
const CANARY_APPS: Record<string, { spec: string; promote: string[] }> = {
  'rollouts-demo': { spec: 'istio-rollouts-demo.yaml', promote: [] },
  storefront: { spec: 'gateway-api-header-routing.yaml', promote: ['--full'] },
};
/** The app scenario 4 removes. */
const REMOVED = { app: 'px-canary-demo', spec: 'pixie-web-metric.yaml' };
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * What examples/migrate-deployment.yaml expects to find in the cluster, made here as its users would have it
 * before the first sync: the Deployment its workloadRef Rollout takes over, in its namespace.
 */
const PREEXISTING = {
  namespace: 'legacy',
  deployment: ['create', 'deployment', 'legacy-api', '-n', 'legacy', '--image=ghcr.io/example/legacy-api:7.0.0', '--replicas=3', '--port=8080'],
};
/**
 * The kube-controller-manager controller a real cluster runs that a PDB needs for a status (Argo CD's PDB
 * health reads it): without it the PDB stays "Waiting for status", Progressing for ever.
 */
const HEALTH_CONTROLLERS = ['disruption-controller'];
/**
 * Left out of the repository Argo CD syncs: production-web.yaml. Its HPA has a CPU target, and with no
 * metrics API here the HPA controller reports ScalingActive False (FailedGetResourceMetric), which Argo CD
 * v3.6.1 counts Degraded (gitops-engine pkg/health/health_hpa.go), so the app, and the root with it, could
 * never be Healthy. The sync itself would succeed: the HPA and the PDB are in the Rollout's wave, the last
 * one, which Argo CD does not wait on. Bringing it in needs a metrics.k8s.io stand-in.
 */
const NOT_HERE = new Set(['production-web.yaml']);

let cluster: Cluster;
let repo: string;
let publisher: StatusPublisher;

beforeAll(async () => {
  cluster = await startCluster({ name: 'argocd', rollouts: true, extraControllers: HEALTH_CONTROLLERS, logRoot: LOG_ROOT });
  await startArgoCd(cluster);
  mustSucceed(await cluster.kubectl(['create', 'namespace', PREEXISTING.namespace]), 'creating the namespace of the Deployment to migrate');
  mustSucceed(await cluster.kubectl(PREEXISTING.deployment), 'creating the Deployment to migrate');
  repo = path.join(cluster.dir, 'deploy');
  fs.mkdirSync(path.join(repo, 'specs'), { recursive: true });
  for (const f of fs.readdirSync(EXAMPLES).filter((n) => n.endsWith('.yaml') && !NOT_HERE.has(n))) {
    fs.copyFileSync(path.join(EXAMPLES, f), path.join(repo, 'specs', f));
  }
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.email', 'argocd-test@canarykit.invalid');
  await git('config', 'user.name', 'canarykit argocd test');
  publisher = new StatusPublisher(cluster);
  publisher.start();
}, 600_000);

afterAll(async () => {
  await publisher?.stop();
  if (cluster) {
    // What Argo CD saw last, for the record.
    const apps = await cluster.kubectl(['get', 'applications.argoproj.io', '-n', ARGOCD_NAMESPACE, '-o', 'yaml']);
    fs.writeFileSync(path.join(cluster.logDir, 'applications.yaml'), apps.stdout);
    if (repo) fs.writeFileSync(path.join(cluster.logDir, 'git-log.txt'), (await git('log', '--stat')).stdout);
    await cluster.stop();
    process.stdout.write(`argocd logs: ${path.relative(REPO_ROOT, cluster.logDir)}\n`);
  }
}, 120_000);

// ---------------------------------------------------------------------------
// the repository

function git(...args: string[]) {
  return run('git', args, { cwd: repo }).then((r) => mustSucceed(r, `git ${args.join(' ')}`));
}

function cli(...args: string[]): void {
  const r = runCliIn(repo, ...args);
  if (r.code !== 0) throw new Error(`canarykit ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
}

/** Writes dist/, charts/ and argocd/ from specs/ as a user would, commits everything, and returns the commit. */
async function commit(message: string, source: 'dist' | 'chart'): Promise<string> {
  cli('synth', 'specs', '--out', 'dist');
  cli('chart', 'specs', '--out', 'charts');
  cli('argocd', 'specs', '--out', 'argocd', '--repo-url', `file://${repo}`, '--revision', 'main',
    '--source', source, '--automated', '--prune', '--self-heal');
  await git('add', '-A');
  await git('commit', '-q', '-m', message);
  const sha = (await git('rev-parse', 'HEAD')).stdout.trim();
  await refreshAll();
  return sha;
}

/** What a Git webhook does: ask Argo CD to look at Git now rather than at its next resync. */
async function refreshAll(): Promise<void> {
  const names = (await applications()).map((a) => a.metadata.name);
  for (const name of names) {
    await cluster.kubectl(['annotate', '--overwrite', '-n', ARGOCD_NAMESPACE, `applications.argoproj.io/${name}`, 'argocd.argoproj.io/refresh=normal']);
  }
}

function setImageTag(specFile: string, tag: string): void {
  const file = path.join(repo, 'specs', specFile);
  const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'));
  doc.setIn(['spec', 'image', 'tag'], tag);
  fs.writeFileSync(file, doc.toString());
}

// ---------------------------------------------------------------------------
// reading Argo CD and the cluster

interface Application {
  metadata: { name: string; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec: { source: { path: string } };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    operationState?: { phase?: string; message?: string; syncResult?: { revision?: string } };
    history?: unknown[];
    resources?: { kind: string; name: string; namespace?: string; group?: string; status?: string; health?: { status?: string } }[];
  };
}

async function applications(): Promise<Application[]> {
  return (await cluster.getJson(`/apis/argoproj.io/v1alpha1/namespaces/${ARGOCD_NAMESPACE}/applications`))?.items ?? [];
}

function summary(apps: Application[]): string {
  return apps.map((a) => `${a.metadata.name}: ${a.status?.sync?.status}/${a.status?.health?.status} ` +
    `op=${a.status?.operationState?.phase} ${a.status?.operationState?.message ?? ''} ${a.status?.health?.message ?? ''}`).join('\n');
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, detail: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s\n${await detail()}`);
    await sleep(1000);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Every app of the specs (and the root) Synced to `revision` and with the given health. */
async function waitAllSynced(revision: string, expectedApps: string[], timeoutMs = 420_000): Promise<Application[]> {
  const want = [...expectedApps, ROOT_APP].sort();
  return waitFor(`every Application Synced to ${revision.slice(0, 7)} and Healthy`, timeoutMs, async () => {
    const apps = await applications();
    const names = apps.map((a) => a.metadata.name).sort();
    const done = JSON.stringify(names) === JSON.stringify(want) && apps.every((a) =>
      a.status?.sync?.status === 'Synced' && a.status.sync.revision === revision && a.status.health?.status === 'Healthy' &&
      a.status.operationState?.phase === 'Succeeded');
    return done ? apps : undefined;
  }, async () => summary(await applications()));
}

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; generation?: number; creationTimestamp?: string; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** The objects canarykit wrote for an app (dist/<app>.k8s.yaml in the repository). */
function distObjects(app: string): KubeObject[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(repo, 'dist', `${app}.k8s.yaml`), 'utf8'))
    .map((d) => d.toJS() as KubeObject).filter((o) => o);
}

function apiPath(o: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const plural = `${o.kind.toLowerCase()}${o.kind.endsWith('s') ? 'es' : 's'}`;
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  // A ClusterAnalysisTemplate (an AnalysisLibrary's) has no namespace.
  const scope = o.metadata.namespace === undefined ? '' : `/namespaces/${o.metadata.namespace}`;
  return `${base}${scope}/${plural}/${o.metadata.name}`;
}

/** Where `live` differs from `want`: every field of `want` must be in `live` with the same value (the API server and controllers may add fields). */
function differences(want: unknown, live: unknown, at = ''): string[] {
  if (Array.isArray(want)) {
    if (!Array.isArray(live) || live.length !== want.length) return [`${at}: want ${JSON.stringify(want)}, live ${JSON.stringify(live)}`];
    return want.flatMap((w, i) => differences(w, live[i], `${at}[${i}]`));
  }
  if (want && typeof want === 'object') {
    if (!live || typeof live !== 'object') return [`${at}: want an object, live ${JSON.stringify(live)}`];
    return Object.entries(want).flatMap(([k, w]) => differences(w, (live as Record<string, unknown>)[k], `${at}.${k}`));
  }
  return want === live ? [] : [`${at}: want ${JSON.stringify(want)}, live ${JSON.stringify(live)}`];
}

/** Every object of dist/<app>.k8s.yaml is live and carries every field canarykit wrote. */
async function expectLiveAsDist(app: string): Promise<void> {
  const problems: string[] = [];
  for (const want of distObjects(app)) {
    const live = await cluster.getJson(apiPath(want));
    const id = `${want.kind} ${want.metadata.namespace}/${want.metadata.name}`;
    if (!live) problems.push(`${id}: missing`);
    else problems.push(...differences(want, live).map((d) => `${id}${d}`));
  }
  expect(problems).toEqual([]);
}

// ---------------------------------------------------------------------------
// the stand-ins for an ingress controller and a Gateway controller

interface Published {
  readonly kind: string;
  readonly name: string;
  /** The Application that synced the object (Argo CD's tracking annotation); none for the controller's own objects. */
  readonly app?: string;
  /** Whether that app's Rollout (named as the app) existed when the status was first published. */
  readonly rolloutExisted: boolean;
}

/** Argo CD v3 tracks what an Application synced by this annotation: `<app>:<group>/<kind>:<namespace>/<name>`. */
const TRACKING_ID = 'argocd.argoproj.io/tracking-id';

/**
 * Publishes a load-balancer address on every Ingress and accepts every HTTPRoute (status.parents with
 * Accepted and ResolvedRefs, at the route's generation), as the controllers of a real cluster do. Each
 * object waits 3 s before its first status, so that a sync wave that did not wait for its health would
 * show: the Rollouts already in its namespace at that moment are recorded.
 */
class StatusPublisher {
  readonly published: Published[] = [];
  private readonly firstSeen = new Map<string, number>();
  private stopped = false;
  private loop?: Promise<void>;

  constructor(private readonly c: Cluster) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        await this.once().catch(() => undefined);
        await sleep(500);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async once(): Promise<void> {
    const ingresses = (await this.c.getJson('/apis/networking.k8s.io/v1/ingresses'))?.items ?? [];
    const routes = (await this.c.getJson('/apis/gateway.networking.k8s.io/v1/httproutes'))?.items ?? [];
    for (const ing of ingresses) {
      if ((ing.status?.loadBalancer?.ingress ?? []).length > 0) continue;
      if (!(await this.due('Ingress', ing))) continue;
      await this.patch('ingresses.networking.k8s.io', ing, { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } });
    }
    for (const route of routes) {
      const gen = route.metadata.generation;
      const parents = route.status?.parents ?? [];
      if (parents.length > 0 && parents.every((p: any) => p.conditions?.every((c: any) => c.observedGeneration === gen))) continue;
      if (!(await this.due('HTTPRoute', route))) continue;
      const condition = (type: string) => ({
        type, status: 'True', reason: type, message: '', observedGeneration: gen, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      });
      await this.patch('httproutes.gateway.networking.k8s.io', route, {
        parents: (route.spec.parentRefs ?? []).map((parentRef: unknown) => ({
          parentRef, controllerName: 'canarykit.dev/argocd-test', conditions: [condition('Accepted'), condition('ResolvedRefs')],
        })),
      });
    }
  }

  /** True once the object has been seen for 3 s; records the Rollouts then in its namespace on the first status. */
  private async due(kind: string, o: KubeObject): Promise<boolean> {
    const key = `${kind}/${o.metadata.uid}`;
    const seen = this.firstSeen.get(key);
    if (seen === undefined) {
      this.firstSeen.set(key, Date.now());
      return false;
    }
    if (Date.now() - seen < 3000) return false;
    if (!this.published.some((p) => p.kind === kind && p.name === `${o.metadata.namespace}/${o.metadata.name}`)) {
      const app = o.metadata.annotations?.[TRACKING_ID]?.split(':')[0];
      const rolloutExisted = !!app && !!(await this.c.getJson(`/apis/argoproj.io/v1alpha1/namespaces/${o.metadata.namespace}/rollouts/${app}`));
      this.published.push({ kind, name: `${o.metadata.namespace}/${o.metadata.name}`, app, rolloutExisted });
    }
    return true;
  }

  private async patch(resource: string, o: KubeObject, status: unknown): Promise<void> {
    await this.c.kubectl(['patch', resource, o.metadata.name, '-n', o.metadata.namespace!, '--subresource=status', '--type=merge',
      '-p', JSON.stringify({ status })]);
  }
}

// ---------------------------------------------------------------------------
// a canary under Argo CD

interface Look {
  readonly app: string;
  readonly sync?: string;
  readonly revision?: string;
  readonly health?: string;
}

interface Timeline {
  /** The apps' sync status, revision and health, every second while the canary ran. */
  readonly looks: Look[];
  stop(): Promise<void>;
}

/** Records the sync status and health of `apps` every second until stopped. */
function watchApps(apps: string[]): Timeline {
  const looks: Look[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const a of await applications().catch(() => [])) {
        if (apps.includes(a.metadata.name)) {
          looks.push({ app: a.metadata.name, sync: a.status?.sync?.status, revision: a.status?.sync?.revision, health: a.status?.health?.status });
        }
      }
      await sleep(1000);
    }
  })();
  return { looks, stop: async () => { stopped = true; await loop; } };
}

/** What each app looked like from the first time it was Synced to `revision` on: OutOfSync there is drift. */
function afterSync(looks: Look[], app: string, revision: string): string[] {
  const mine = looks.filter((l) => l.app === app);
  const first = mine.findIndex((l) => l.sync === 'Synced' && l.revision === revision);
  return first < 0 ? ['never Synced'] : [...new Set(mine.slice(first).map((l) => `${l.sync}/${l.health}`))];
}

async function rollout(app: string, namespace: string): Promise<any> {
  return cluster.getJson(`/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts/${app}`);
}

function namespaceOf(app: string): string {
  return distObjects(app).find((o) => o.kind === 'Rollout')!.metadata.namespace!;
}

/**
 * Commits new image tags for the canary apps, and proves: the sync of that commit finishes while the
 * canaries are paused (Suspended apps, Suspended root, everything else Healthy), the controller's
 * writes are in place yet nothing is OutOfSync, promotion finishes the canaries, and self-heal never
 * synced again: one sync per commit in each app's history.
 */
async function canaryRound(tag: string, source: 'dist' | 'chart', allApps: string[]): Promise<void> {
  const names = Object.keys(CANARY_APPS);
  const before = new Map((await applications()).map((a) => [a.metadata.name, a.status?.history?.length ?? 0]));
  for (const { spec } of Object.values(CANARY_APPS)) setImageTag(spec, tag);
  const timeline = watchApps(names);
  let sha = '';
  try {
    sha = await commit(`new image ${tag}`, source);

    // The sync of the commit has finished (the Rollout is the last wave) while the canaries hold.
    const apps = await waitFor('the canary apps synced and Suspended, the root Suspended', 300_000, async () => {
      const all = await applications();
      const byName = new Map(all.map((a) => [a.metadata.name, a]));
      const ok = names.every((n) => {
        const a = byName.get(n)?.status;
        return a?.sync?.status === 'Synced' && a.sync.revision === sha && a.operationState?.phase === 'Succeeded' &&
          a.operationState.syncResult?.revision === sha && a.health?.status === 'Suspended';
      }) && byName.get(ROOT_APP)?.status?.health?.status === 'Suspended';
      return ok ? all : undefined;
    }, async () => summary(await applications()));
    for (const a of apps.filter((x) => !names.includes(x.metadata.name) && x.metadata.name !== ROOT_APP)) {
      expect([a.metadata.name, a.status?.sync?.status, a.status?.health?.status]).toEqual([a.metadata.name, 'Synced', 'Healthy']);
    }
    for (const name of names) {
      const ns = namespaceOf(name);
      const r = await rollout(name, ns);
      expect(r.status.pauseConditions?.[0]?.reason).toBe('CanaryPauseStep');
      expect(r.spec.template.spec.containers[0].image).toMatch(new RegExp(`:${tag}$`));
      // The controller's writes: both Services select one ReplicaSet each.
      for (const svc of distObjects(name).filter((o) => o.kind === 'Service')) {
        const live = await cluster.getJson(apiPath(svc));
        if (/stable|canary|active|preview/.test(svc.metadata.name)) expect(live.spec.selector['rollouts-pod-template-hash']).toBeTruthy();
      }
    }
    // The Istio canary at its 20% step: the controller weighted canarykit's VirtualService.
    const vs = distObjects('rollouts-demo').find((o) => o.kind === 'VirtualService')!;
    const weights = (await cluster.getJson(apiPath(vs))).spec.http[0].route.map((r: { weight: number }) => r.weight);
    expect(weights).toEqual([80, 20]);
    // The Gateway API canary at its header step: the plugin added its rule to canarykit's route.
    const route = distObjects('storefront').find((o) => o.kind === 'HTTPRoute')!;
    const liveRoute = await cluster.getJson(apiPath(route));
    expect(liveRoute.spec.rules.length).toBeGreaterThan((route as any).spec.rules.length);

    // A resync or two with the controller's writes live: still Synced, nothing re-synced.
    await sleep(25_000);

    const promote = toolPath('kubectl-argo-rollouts');
    for (const name of names) {
      mustSucceed(await cluster.exec(promote, ['promote', name, '-n', namespaceOf(name), ...CANARY_APPS[name].promote]), `promoting ${name}`);
    }
    await waitAllSynced(sha, allApps, 300_000);
    for (const name of names) {
      const r = await rollout(name, namespaceOf(name));
      expect([r.status.phase, r.status.stableRS]).toEqual(['Healthy', r.status.currentPodHash]);
    }
    await sleep(10_000);
  } finally {
    await timeline.stop();
  }
  // Once synced to the commit, Synced through the pause, the promotion and the steps after it.
  for (const name of names) {
    expect([name, afterSync(timeline.looks, name, sha).filter((s) => !s.startsWith('Synced/'))]).toEqual([name, []]);
    expect(afterSync(timeline.looks, name, sha)).toEqual(expect.arrayContaining(['Synced/Suspended', 'Synced/Healthy']));
  }
  // One sync per commit: self-heal never synced the controller's writes away.
  const after = new Map((await applications()).map((a) => [a.metadata.name, a.status?.history?.length ?? 0]));
  for (const name of names) expect([name, (after.get(name) ?? 0) - (before.get(name) ?? 0)]).toEqual([name, 1]);
  for (const name of names) await expectLiveAsDist(name);
}

// ---------------------------------------------------------------------------

const allApps = () => fs.readdirSync(path.join(repo, 'dist')).filter((f) => f.endsWith('.k8s.yaml')).map((f) => f.replace(/\.k8s\.yaml$/, ''));

test('1. applying argocd/root.yaml syncs every app: Synced, Healthy, as in dist/, waves in order', async () => {
  const sha = await commit('canarykit apps', 'dist');
  mustSucceed(await cluster.kubectl(['apply', '-n', ARGOCD_NAMESPACE, '-f', path.join(repo, 'argocd', 'root.yaml')]), 'applying root.yaml');
  const apps = await waitAllSynced(sha, allApps());
  expect(apps.map((a) => a.metadata.name).sort()).toEqual([...allApps(), ROOT_APP].sort());

  for (const app of allApps()) {
    await expectLiveAsDist(app);
    const objects = distObjects(app);
    const rollout = objects.find((o) => o.kind === 'Rollout');
    if (!rollout) {
      // An AnalysisLibrary: templates only, its Application in the root's wave -1, before the apps using them.
      expect(objects.every((o) => o.kind.endsWith('AnalysisTemplate'))).toBe(true);
      expect(apps.find((a) => a.metadata.name === app)!.metadata.annotations?.[SYNC_WAVE]).toBe('-1');
      continue;
    }
    // Waves: every object of wave -1 existed before the Rollout (wave 0, with the HPA and the PDB).
    expect(new Set(objects.map((o) => o.metadata.annotations?.[SYNC_WAVE]))).toEqual(new Set(['-1', '0']));
    const rolloutCreated = Date.parse((await cluster.getJson(apiPath(rollout))).metadata.creationTimestamp);
    for (const o of objects.filter((x) => x.metadata.annotations?.[SYNC_WAVE] === '-1')) {
      expect(Date.parse((await cluster.getJson(apiPath(o))).metadata.creationTimestamp)).toBeLessThanOrEqual(rolloutCreated);
    }
  }
  // The PDB is synced with the Rollout (v3.6.1 assesses no health for a PDB: the app's health is the Rollout's).
  const legacy = apps.find((a) => a.metadata.name === 'legacy-api')!;
  expect(legacy.status?.resources?.filter((r) => r.kind === 'PodDisruptionBudget').map((r) => [r.status, r.health?.status])).toEqual([['Synced', undefined]]);
  // The Deployment the workloadRef Rollout took over is scaled down (scaleDown: progressively), not synced back.
  await waitFor('the migrated Deployment scaled to 0', 60_000, async () =>
    ((await cluster.getJson(`/apis/apps/v1/namespaces/${PREEXISTING.namespace}/deployments/legacy-api`))?.spec.replicas === 0 ? true : undefined),
  async () => JSON.stringify((await cluster.getJson(`/apis/apps/v1/namespaces/${PREEXISTING.namespace}/deployments/legacy-api`))?.status));

  // The Ingresses and HTTPRoutes were held unhealthy for 3 s: Argo CD waited for them before the Rollout.
  const gated = publisher.published.filter((p) => p.app);
  const gatedKinds = allApps().flatMap((app) => distObjects(app).filter((o) => o.kind === 'Ingress' || o.kind === 'HTTPRoute'));
  expect(gated.map((p) => `${p.kind} ${p.name}`).sort()).toEqual(gatedKinds.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`).sort());
  for (const p of gated) expect([p.kind, p.name, p.app, p.rolloutExisted]).toEqual([p.kind, p.name, p.app, false]);
}, 600_000);

test('2. a new image: synced, canaries paused and Suspended without blocking, promoted, never OutOfSync (self-heal on)', async () => {
  await canaryRound('argocd-2', 'dist', allApps());
}, 900_000);

test('3. --source chart: the same apps from their charts, rendered by the repo-server with helm, and a canary', async () => {
  const sha = await commit('charts as the source', 'chart');
  const apps = await waitAllSynced(sha, allApps());
  for (const a of apps.filter((x) => x.metadata.name !== ROOT_APP)) expect(a.spec.source.path).toBe(`charts/${a.metadata.name}`);
  for (const app of allApps()) await expectLiveAsDist(app);
  await canaryRound('argocd-3', 'chart', allApps());
}, 900_000);

test('4. an app removed from the specs is pruned with its objects; the others are untouched', async () => {
  const others = allApps().filter((a) => a !== REMOVED.app);
  const identity = async (apps: string[]) => {
    const out: string[] = [];
    for (const app of apps) {
      for (const o of distObjects(app)) {
        const live = await cluster.getJson(apiPath(o));
        out.push(`${o.kind} ${o.metadata.namespace}/${o.metadata.name} uid=${live?.metadata.uid} generation=${live?.metadata.generation}`);
      }
    }
    return out;
  };
  const before = await identity(others);
  const removed = distObjects(REMOVED.app);
  fs.rmSync(path.join(repo, 'specs', REMOVED.spec));
  const sha = await commit(`remove ${REMOVED.app}`, 'chart');
  expect(fs.existsSync(path.join(repo, 'argocd', 'apps', `${REMOVED.app}.yaml`))).toBe(false);

  await waitAllSynced(sha, others);
  await waitFor(`${REMOVED.app}'s objects deleted`, 120_000, async () => {
    for (const o of removed) if (await cluster.getJson(apiPath(o))) return undefined;
    return true;
  }, async () => summary(await applications()));
  expect(await identity(others)).toEqual(before);
}, 600_000);
