/**
 * Issue 6: a real Kubernetes API server (etcd + kube-apiserver v1.34, with the
 * pinned Argo Rollouts / Prometheus Operator / Argo CD CRDs installed) accepts
 * everything canarykit generates:
 *   * every dist/*.k8s.yaml: server-side dry-run apply, real apply, then every
 *     object is read back;
 *   * every chart under charts/: `helm install` into its own namespace, every
 *     rendered object is read back, then `helm uninstall`.
 * Anything the API server rejects fails the test with the server's message.
 *
 * Run with `npm run test:cluster`. Inputs can be redirected for development:
 *   CANARYKIT_DIST_DIR=/tmp/x   (default dist/)
 *   CANARYKIT_CHARTS_DIR=/tmp/y (default charts/)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { Cluster, ExecResult, REPO_ROOT, TOOLS_BIN, mustSucceed, startCluster } from './cluster';

const DIST_DIR = path.resolve(REPO_ROOT, process.env.CANARYKIT_DIST_DIR ?? 'dist');
const CHARTS_DIR = path.resolve(REPO_ROOT, process.env.CANARYKIT_CHARTS_DIR ?? 'charts');
const HELM = path.join(TOOLS_BIN, 'helm');
const FIELD_MANAGER = '--field-manager=canarykit-test';

interface ObjRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

const refString = (o: ObjRef) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} (${o.apiVersion})`;

function manifestFiles(): string[] {
  if (!fs.existsSync(DIST_DIR)) return [];
  return fs
    .readdirSync(DIST_DIR)
    .filter((f) => f.endsWith('.k8s.yaml'))
    .sort()
    .map((f) => path.join(DIST_DIR, f));
}

function chartDirs(): string[] {
  if (!fs.existsSync(CHARTS_DIR)) return [];
  return fs
    .readdirSync(CHARTS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(CHARTS_DIR, e.name, 'Chart.yaml')))
    .map((e) => path.join(CHARTS_DIR, e.name))
    .sort();
}

/** Every object of a multi-document YAML stream (empty documents skipped). */
function objectsOf(text: string, source: string): ObjRef[] {
  const out: ObjRef[] = [];
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`${source}: invalid YAML: ${doc.errors[0].message}`);
    const o = doc.toJS() as Record<string, any> | null;
    if (o == null) continue;
    if (!o.apiVersion || !o.kind || !o.metadata?.name) {
      throw new Error(`${source}: document without apiVersion/kind/metadata.name:\n${doc.toString().slice(0, 300)}`);
    }
    out.push({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace });
  }
  return out;
}

async function ensureNamespace(cluster: Cluster, ns: string): Promise<void> {
  if ((await cluster.kubectl(['get', 'namespace', ns, '-o', 'name'])).code === 0) return;
  mustSucceed(await cluster.kubectl(['create', 'namespace', ns, FIELD_MANAGER]), `creating namespace ${ns}`);
}

/**
 * Reads every object back (`kubectl get -f`, i.e. one GET per object) and
 * checks each expected object is there with a uid.
 */
async function expectObjectsExist(
  cluster: Cluster,
  expected: ObjRef[],
  getArgs: string[],
  input?: string,
): Promise<void> {
  const res: ExecResult = await cluster.kubectl(['get', ...getArgs, '-o', 'json'], { input });
  mustSucceed(res, `kubectl get ${getArgs.join(' ')}`);
  const parsed = JSON.parse(res.stdout) as Record<string, any>;
  const items: Record<string, any>[] = parsed.kind === 'List' ? parsed.items : [parsed];
  const missing = expected.filter(
    (o) =>
      !items.some(
        (i) =>
          i.metadata?.uid &&
          i.kind === o.kind &&
          i.metadata.name === o.name &&
          // objects without a namespace land in the default / target namespace
          (!o.namespace || i.metadata.namespace === o.namespace),
      ),
  );
  if (missing.length) {
    throw new Error(`objects not found in the cluster after apply:\n${missing.map(refString).join('\n')}`);
  }
}

/**
 * A control plane with the CRDs installed for the tests of the calling describe block, started before
 * them when `wanted` and stopped after them; the getter gives undefined when it was not started.
 */
function clusterFor(name: string, wanted: boolean): () => Cluster | undefined {
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    if (!wanted) return;
    cluster = await startCluster({ name });
    await cluster.installCrds();
  }, 240_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);
  return () => cluster;
}

// ---------------------------------------------------------------------------

describe('dist/*.k8s.yaml is accepted by kube-apiserver', () => {
  const files = manifestFiles();
  const cluster = clusterFor('apply-dist', files.length > 0);

  test(`${path.relative(REPO_ROOT, DIST_DIR) || DIST_DIR} contains synthesized *.k8s.yaml files`, () => {
    if (files.length === 0) {
      throw new Error(`no *.k8s.yaml files in ${DIST_DIR}: run \`npm run synth\` first`);
    }
  });

  if (files.length > 0) {
    test.each(files.map((f) => [path.basename(f), f]))('%s', async (_name, file) => {
      const c = cluster()!;
      const objs = objectsOf(fs.readFileSync(file, 'utf8'), file);
      expect(objs.length).toBeGreaterThan(0);

      const namespaces = [...new Set(objs.map((o) => o.namespace).filter((n): n is string => !!n))];
      for (const ns of namespaces) await ensureNamespace(c, ns);

      mustSucceed(
        await c.kubectl(['apply', '--server-side', '--dry-run=server', FIELD_MANAGER, '-f', file]),
        `server-side dry-run apply of ${path.basename(file)}`,
      );
      mustSucceed(
        await c.kubectl(['apply', '--server-side', FIELD_MANAGER, '-f', file]),
        `server-side apply of ${path.basename(file)}`,
      );
      await expectObjectsExist(c, objs, ['-f', file]);
    });
  }
});

describe('charts/* install with helm', () => {
  const charts = chartDirs();
  const cluster = clusterFor('helm-install', charts.length > 0 && fs.existsSync(HELM));

  test('helm is installed and charts/ contains charts', () => {
    if (!fs.existsSync(HELM)) throw new Error(`${HELM} is missing: run \`bash scripts/tools.sh helm\``);
    if (charts.length === 0) throw new Error(`no charts (*/Chart.yaml) in ${CHARTS_DIR}`);
  });

  if (charts.length > 0) {
    test.each(charts.map((d) => [path.basename(d), d]))('helm install %s', async (name, dir) => {
      const c = cluster();
      if (!c) throw new Error(`${HELM} is missing: run \`bash scripts/tools.sh helm\``);
      const release = name.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 53).replace(/^-+|-+$/g, '');
      const ns = `ck-${release}`.slice(0, 63).replace(/-+$/, '');
      const helm = (args: string[]) => c.exec(HELM, [...args, '--kubeconfig', c.kubeconfig], { timeoutMs: 180_000 });

      mustSucceed(
        await helm(['install', release, dir, '--namespace', ns, '--create-namespace', '--timeout', '2m']),
        `helm install ${release} ${path.relative(REPO_ROOT, dir)}`,
      );
      const manifest = mustSucceed(await helm(['get', 'manifest', release, '--namespace', ns]), 'helm get manifest')
        .stdout;
      const objs = objectsOf(manifest, `helm get manifest ${release}`);
      expect(objs.length).toBeGreaterThan(0);
      await expectObjectsExist(c, objs, ['-f', '-', '--namespace', ns], manifest);
      // Uninstall, so that cluster-scoped objects shared between charts don't
      // collide on helm ownership in the next install.
      mustSucceed(await helm(['uninstall', release, '--namespace', ns, '--wait']), `helm uninstall ${release}`);
    });
  }
});
