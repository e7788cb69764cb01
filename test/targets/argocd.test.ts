/**
 * The Argo CD target: Applications valid against the Argo CD CRD, an app-of-apps whose directory holds
 * exactly the child Applications, sources that exist in the synthesized output, and sync waves that
 * never put anything after the Rollout.
 */
import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';
import { argocdFiles, APPS_DIR, ArgoCdOptions, LIBRARY_WAVE, RESOURCES_FINALIZER, ROOT_FILE } from '../../src/targets/argocd';
import { synthLibrary } from '../../src/constructs/synth';
import { writeOutput } from '../../src/targets/output';
import { SYNC_WAVE_ANNOTATION } from '../../src/constructs/metadata';
import { validateAll } from '../support/schema';
import { exampleApps, exampleLibraries, ROOT } from '../support/examples';
import { tmp } from '../support/tmp';

const apps = exampleApps();
const REPO = 'https://github.com/example/canarykit-deploy.git';

function generate(options: Partial<ArgoCdOptions> = {}) {
  const files = argocdFiles(apps, { repoURL: REPO, ...options });
  const parsed = new Map([...files].map(([rel, text]) => [rel, load(text) as any]));
  return { files, parsed, root: parsed.get(ROOT_FILE), children: [...parsed].filter(([rel]) => rel !== ROOT_FILE).map(([, app]) => app) };
}

/** Argo CD's directory include is a glob on file names; these patterns use only `*`. */
const globMatches = (pattern: string, name: string) =>
  new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`).test(name);

describe.each([['dist'], ['chart']] as const)('source %s', (source) => {
  const { files, parsed, root, children } = generate({ source, automated: true, prune: true, selfHeal: true });

  test('every Application validates against the Argo CD CRD schema', () => {
    expect([...parsed.values()].every((o) => o.kind === 'Application')).toBe(true);
    expect(validateAll([...parsed.values()])).toEqual([]);
    // The schema is really there: an unknown field is reported.
    expect(validateAll([{ ...root, spec: { ...root.spec, sourcee: {} } }]).join('\n')).toContain('sourcee');
  });

  test("the root's directory contains exactly the child Applications", () => {
    const out = tmp();
    writeOutput(out, files);
    expect(root.spec.source.path).toBe(`argocd/${APPS_DIR}`);
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    const dir = path.join(out, APPS_DIR);
    const synced = fs.readdirSync(dir).filter((f) => globMatches(root.spec.source.directory.include, f)).sort();
    expect(synced.map((f) => (load(fs.readFileSync(path.join(dir, f), 'utf8')) as any).metadata.name).sort())
      .toEqual(apps.map((a) => a.name).sort());
    expect(fs.readdirSync(dir).sort()).toEqual(synced);
    expect(children.map((c) => c.metadata.name).sort()).toEqual(apps.map((a) => a.name).sort());
  });

  test('each child deploys its app to its namespace, with finalizer, automated sync and CreateNamespace', () => {
    for (const app of apps) {
      const child = children.find((c) => c.metadata.name === app.name);
      expect(child.metadata).toEqual({ name: app.name, namespace: 'argocd', finalizers: [RESOURCES_FINALIZER] });
      expect(child.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: app.namespace });
      expect(child.spec.source).toMatchObject({ repoURL: REPO, targetRevision: 'HEAD' });
      expect(child.spec.syncPolicy).toEqual({
        automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true', 'RespectIgnoreDifferences=true'],
      });
    }
  });

  test('ignoreDifferences covers only what the controller writes: the routed Services\' selector hash, the Istio weights and subsets, the Gateway API route rules and label', () => {
    // What the controller writes into Istio objects canarykit creates: the http route weights, the subsets' labels.
    const istio: Record<string, string> = { VirtualService: '/spec/http', DestinationRule: '/spec/subsets' };
    for (const app of apps) {
      const child = children.find((c) => c.metadata.name === app.name);
      const services = app.objects.filter((o) => o.kind === 'Service' && o.metadata.labels['canarykit.dev/service'] !== 'root');
      const routed = app.objects.filter((o) => istio[o.kind] !== undefined);
      const routes = app.objects.filter((o) => o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute');
      expect(child.spec.ignoreDifferences).toEqual([
        ...services.map((s) => ({
          group: '', kind: 'Service', name: s.metadata.name, namespace: app.namespace, jsonPointers: ['/spec/selector/rollouts-pod-template-hash'],
        })),
        ...routed.map((o) => ({ group: 'networking.istio.io', kind: o.kind, name: o.metadata.name, namespace: app.namespace, jsonPointers: [istio[o.kind]] })),
        ...routes.map((r) => ({
          group: 'gateway.networking.k8s.io', kind: r.kind, name: r.metadata.name, namespace: app.namespace,
          jsonPointers: ['/spec/rules', '/metadata/labels/rollouts.argoproj.io~1gatewayapi-canary'],
        })),
        // An HPA writes the Rollout's replicas; a workloadRef scale-down the Deployment's (#4935).
        ...(app.model.autoscaling ? [{ group: 'argoproj.io', kind: 'Rollout', name: app.name, namespace: app.namespace, jsonPointers: ['/spec/replicas'] }] : []),
        ...(app.model.workloadRef && app.model.workloadRef.scaleDown !== 'never' ? [{ group: 'apps', kind: 'Deployment', name: app.model.workloadRef.name, namespace: app.namespace, jsonPointers: ['/spec/replicas'] }] : []),
      ]);
    }
    expect(apps.some((a) => a.objects.some((o) => o.kind === 'HTTPRoute'))).toBe(true);
    expect(apps.some((a) => a.model.autoscaling) && apps.some((a) => a.model.workloadRef)).toBe(true);
  });
});

test('dist sources point at the committed <app>.k8s.yaml holding exactly that app', () => {
  for (const child of generate({ source: 'dist' }).children) {
    const file = path.join(ROOT, child.spec.source.path, child.spec.source.directory.include);
    expect(fs.existsSync(file)).toBe(true);
    const names = fs.readdirSync(path.dirname(file)).filter((f) => globMatches(child.spec.source.directory.include, f));
    expect(names).toEqual([path.basename(file)]);
  }
});

test('chart sources point at generated charts with their values file', () => {
  for (const child of generate({ source: 'chart' }).children) {
    const dir = path.join(ROOT, child.spec.source.path);
    expect(fs.existsSync(path.join(dir, 'Chart.yaml'))).toBe(true);
    for (const values of child.spec.source.helm.valueFiles) expect(fs.existsSync(path.join(dir, values))).toBe(true);
  }
});

test('manual sync without finalizers when asked; prune alone implies automated sync', () => {
  const manual = generate({ finalizers: false });
  expect(manual.root.metadata.finalizers).toBeUndefined();
  expect(manual.children.every((c) => c.spec.syncPolicy.automated === undefined && c.metadata.finalizers === undefined)).toBe(true);
  expect(generate({ prune: true }).root.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: false });
});

test('sync waves: everything the Rollout refers to comes before it, the HPA and PDB (healthy only with its pods) with it, nothing after it', () => {
  const withRollout = new Set(['HorizontalPodAutoscaler', 'PodDisruptionBudget']);
  const kinds = new Set<string>();
  for (const app of apps) {
    const wave = (o: any) => Number(o.metadata.annotations[SYNC_WAVE_ANNOTATION]);
    const rollout = app.objects.find((o) => o.kind === 'Rollout')!;
    for (const o of app.objects.filter((x) => x !== rollout)) {
      kinds.add(o.kind);
      const where = wave(o) < wave(rollout) ? 'before' : wave(o) === wave(rollout) ? 'with' : 'after';
      expect({ kind: o.kind, where }).toEqual({ kind: o.kind, where: withRollout.has(o.kind) ? 'with' : 'before' });
    }
  }
  // The examples have both kinds, so the rule above was exercised.
  for (const k of withRollout) expect(kinds).toContain(k);
});

describe.each([['dist'], ['chart']] as const)('an AnalysisLibrary, source %s', (source) => {
  const libraries = exampleLibraries().map((l) => ({ name: l.model.name, namespace: l.model.namespace, objects: synthLibrary(l.model), library: l.model }));
  const files = argocdFiles(apps, { repoURL: REPO, source }, libraries);
  const child = load(files.get(`${APPS_DIR}/platform-analysis.yaml`)!) as any;

  test('has its own Application in the app of apps, in a wave before the apps that use it, valid against the CRD', () => {
    expect(validateAll([child])).toEqual([]);
    expect(Number(child.metadata.annotations[SYNC_WAVE_ANNOTATION])).toBe(LIBRARY_WAVE);
    // The apps have no wave of their own: Argo CD's default, 0, after the library's.
    const users = ['cart', 'orders'].map((name) => load(files.get(`${APPS_DIR}/${name}.yaml`)!) as any);
    for (const app of users) expect(app.metadata.annotations?.[SYNC_WAVE_ANNOTATION] ?? '0').toBe('0');
    expect(LIBRARY_WAVE).toBeLessThan(0);
    expect(child.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argo-rollouts' });
    expect(child.spec.ignoreDifferences).toBeUndefined();
  });

  test('its source is the committed file or chart of the library', () => {
    if (source === 'dist') {
      expect(child.spec.source).toMatchObject({ path: 'dist', directory: { include: 'platform-analysis.k8s.yaml' } });
      expect(fs.readFileSync(path.join(ROOT, 'dist', 'platform-analysis.k8s.yaml'), 'utf8')).toContain('kind: ClusterAnalysisTemplate');
    } else {
      expect(child.spec.source).toMatchObject({ path: 'charts/platform-analysis', helm: { releaseName: 'platform-analysis', valueFiles: ['values.yaml'] } });
      expect(fs.existsSync(path.join(ROOT, 'charts', 'platform-analysis', 'Chart.yaml'))).toBe(true);
    }
  });

  test('an app named like a library is refused: both name an Application', () => {
    expect(() => argocdFiles(apps, { repoURL: REPO, source }, [{ ...libraries[0], name: apps[0].name }])).toThrow(/names two Applications/);
  });
});
