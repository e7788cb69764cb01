/**
 * Real Argo CD beside a test cluster (test/cluster/cluster.ts): redis (Debian's redis-server),
 * argocd-repo-server (with git and the project's helm on PATH) and argocd-application-controller, both
 * the one multi-call binary `.tools/bin/argocd` (`scripts/tools.sh argocd`) told which it is by
 * ARGOCD_BINARY_NAME, as Argo CD's own Procfile runs them. The controller talks to the cluster through
 * its admin kubeconfig as the in-cluster destination (ARGOCD_FAKE_IN_CLUSTER, as in Argo CD's e2e).
 * No argocd-server: the tests create and read Applications with kubectl, the way `kubectl apply -f
 * argocd/root.yaml` bootstraps an app of apps; so the `default` AppProject, which argocd-server would
 * create, is created here, with the settings (`argocd-cm`, `argocd-secret`).
 *
 * Everything runs as processes of the cluster, so `cluster.stop()` stops it (Argo CD first); logs are
 * `<cluster.logDir>/{redis-server,argocd-repo-server,argocd-application-controller}.log`.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { Cluster, freePort, mustSucceed, REPO_ROOT, tcpOpen, TOOLS_BIN } from '../cluster/cluster';

export const ARGOCD_BIN = path.join(TOOLS_BIN, 'argocd');
/** The CRDs of the Argo CD release that runs (`scripts/tools.sh argocd`), applied over the pinned ones. */
export const ARGOCD_CRDS_DIR = path.join(REPO_ROOT, '.tools', 'argocd', 'crds');
export const ARGOCD_NAMESPACE = 'argocd';
/** The scripts Argo CD's image installs beside the binary (git-verify-wrapper.sh, which the repo-server runs). */
const ARGOCD_SCRIPTS = path.join(REPO_ROOT, '.tools', 'argocd', 'bin');

/**
 * The health check that makes an app of apps work: since Argo CD 1.8 an Application has no health of its
 * own, so the root app would be Healthy as soon as the child Applications exist. With this one (Argo CD's
 * documented `resource.customizations.health.argoproj.io_Application`) the root reports its children's
 * health, e.g. Suspended while a child's canary is paused.
 */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/** How often the controller re-reads Git by itself; the tests also ask for a refresh after each commit, as a webhook would. */
const RECONCILIATION_SECONDS = 10;

function settings(): string {
  const partOf = { 'app.kubernetes.io/part-of': 'argocd' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ARGOCD_NAMESPACE } },
    {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ARGOCD_NAMESPACE, labels: partOf },
      data: {
        'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
        'timeout.reconciliation': `${RECONCILIATION_SECONDS}s`,
        'timeout.reconciliation.jitter': '0s',
      },
    },
    {
      // The server's signing key; the controller reads the secret as part of the settings.
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'argocd-secret', namespace: ARGOCD_NAMESPACE, labels: partOf },
      type: 'Opaque', stringData: { 'server.secretkey': crypto.randomBytes(32).toString('base64') },
    },
    {
      // What argocd-server creates at start-up when the project is missing.
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'default', namespace: ARGOCD_NAMESPACE },
      spec: {
        sourceRepos: ['*'],
        destinations: [{ server: '*', namespace: '*' }],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    },
  ].map((o) => `---\n${YAML.stringify(o)}`).join('');
}

/** Starts redis, the repo-server and the application controller; resolves once all three listen. */
export async function startArgoCd(cluster: Cluster): Promise<void> {
  if (!fs.existsSync(ARGOCD_BIN) || !fs.existsSync(ARGOCD_CRDS_DIR)) {
    throw new Error(`${ARGOCD_BIN} or ${ARGOCD_CRDS_DIR} missing: run \`bash scripts/tools.sh argocd\``);
  }
  await cluster.installCrds([ARGOCD_CRDS_DIR]);
  mustSucceed(await cluster.kubectl(['apply', '-f', '-'], { input: settings() }), 'creating the Argo CD settings and project');

  const home = path.join(cluster.dir, 'argocd');
  const dirs = ['tmp', 'tls', 'ssh', 'gpg', 'cmp', 'redis'].map((d) => path.join(home, d));
  for (const d of dirs) fs.mkdirSync(d, { recursive: true });
  const [tmp, tls, ssh, gpg, cmp, redisDir] = dirs;
  const common = {
    ARGOCD_FAKE_IN_CLUSTER: 'true',
    ARGOCD_TLS_DATA_PATH: tls,
    ARGOCD_SSH_DATA_PATH: ssh,
    // Repositories are cloned under the temp dir: keep them in the cluster's.
    TMPDIR: tmp,
  };

  const redisPort = await freePort();
  await cluster.startProcess('redis-server', '/usr/bin/redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir],
    () => tcpOpen(redisPort));
  const redis = `127.0.0.1:${redisPort}`;

  const [repoPort, repoMetrics] = [await freePort(), await freePort()];
  await cluster.startProcess('argocd-repo-server', ARGOCD_BIN, [
    '--address', '127.0.0.1', '--port', String(repoPort),
    '--metrics-address', '127.0.0.1', '--metrics-port', String(repoMetrics),
    '--redis', redis, '--loglevel', 'info',
  ], () => tcpOpen(repoPort), {
    env: {
      ...common,
      ARGOCD_BINARY_NAME: 'argocd-repo-server',
      ARGOCD_GPG_ENABLED: 'false',
      ARGOCD_GNUPGHOME: gpg,
      ARGOCD_PLUGINSOCKFILEPATH: cmp,
      // The project's helm renders charts; git is Debian's.
      PATH: [ARGOCD_SCRIPTS, TOOLS_BIN, process.env.PATH ?? ''].join(path.delimiter),
    },
  });

  const controllerMetrics = await freePort();
  await cluster.startProcess('argocd-application-controller', ARGOCD_BIN, [
    '--namespace', ARGOCD_NAMESPACE,
    '--repo-server', `127.0.0.1:${repoPort}`,
    '--redis', redis,
    '--metrics-port', String(controllerMetrics),
    '--app-resync', String(RECONCILIATION_SECONDS), '--app-resync-jitter', '0',
    // Self-heal retries quickly here (the default backs off from 2 s).
    '--self-heal-backoff-timeout-seconds', '1',
    '--status-processors', '4', '--operation-processors', '2',
    '--loglevel', 'info',
  ], () => tcpOpen(controllerMetrics), { env: { ...common, ARGOCD_BINARY_NAME: 'argocd-application-controller' } });
}
