/**
 * A throw-away Kubernetes control plane for tests: real etcd + real
 * kube-apiserver (built by `bash scripts/tools/kube.sh` into .tools/bin),
 * listening on free 127.0.0.1 ports, with certificates generated at start-up.
 *
 *   const cluster = await startCluster({ name: 'apply' });
 *   try {
 *     await cluster.installCrds();                       // .tools/crds/**
 *     const r = await cluster.kubectl(['get', 'ns']);    // {stdout, stderr, code}
 *   } finally {
 *     await cluster.stop();
 *   }
 *
 * Everything started here is stopped by `stop()`, and also - as a safety net -
 * when the Node process exits, on SIGINT/SIGTERM, and (through a tiny watchdog
 * process per component) even when the test process is SIGKILLed.  Every
 * component runs in its own process group, which is what gets killed.
 *
 * Component logs are kept in test-output/cluster/<name>-<timestamp>/ (git-ignored);
 * certificates, the etcd data dir and the kubeconfig live in a temp dir that is
 * removed on stop (set CANARYKIT_KEEP_CLUSTER_DIR=1 to keep it).
 */
import { ChildProcess, execFile, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const TOOLS_BIN = process.env.CANARYKIT_TOOLS_BIN ?? path.join(REPO_ROOT, '.tools', 'bin');
export const CRDS_DIR = process.env.CANARYKIT_CRDS_DIR ?? path.join(REPO_ROOT, '.tools', 'crds');
export const LOG_ROOT = process.env.CANARYKIT_CLUSTER_LOG_DIR ?? path.join(REPO_ROOT, 'test-output', 'cluster');

/** Namespace the Argo Rollouts controller reads its configuration from (POD_NAMESPACE). */
export const ROLLOUTS_NAMESPACE = 'argo-rollouts';
/**
 * The Gateway API traffic-router plugin (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi),
 * built by `scripts/tools.sh gatewayapi`. A Rollout uses it with
 * `spec.strategy.canary.trafficRouting.plugins["argoproj-labs/gatewayAPI"]`.
 */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';
export const GATEWAY_API_PLUGIN_BIN = path.join(TOOLS_BIN, 'gatewayapi-plugin');

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit code; -1 when the command was killed (timeout) or could not start. */
  code: number;
}

export interface ExecOptions {
  /** Written to the command's stdin. */
  input?: string;
  /** Kill the command (its whole process group) after this long. Default 120 s. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface StartOptions {
  /** Used in the log folder name. */
  name?: string;
  /** Bound for etcd + kube-apiserver to become ready. Default 60 s. */
  startupTimeoutMs?: number;
  /** Extra kube-apiserver flags (`--flag=value`), appended last. */
  apiserverArgs?: string[];
  /**
   * Also run what makes workloads happen without a kubelet: kube-controller-manager,
   * kube-scheduler and kwok with one fake node. ReplicaSets and Jobs get pods, the pods are
   * scheduled and become Ready; pods owned by a Job complete successfully (kwok's default stages).
   * @default false
   */
  workloads?: boolean;
  /**
   * With `workloads`: more kube-controller-manager controllers by name (e.g.
   * `horizontal-pod-autoscaler-controller`), for the suites that need them.
   * @default []
   */
  extraControllers?: string[];
  /**
   * Also run the Argo Rollouts controller (`.tools/bin/rollouts-controller`, built by
   * `scripts/tools.sh rollouts`), cluster-wide. Implies `workloads`, and installs the CRDs under
   * CRDS_DIR first (the controller's informers need them).
   * @default false
   */
  rollouts?: boolean;
  /**
   * With `rollouts`: configure the controller (ConfigMap `argo-rollouts-config` in
   * ROLLOUTS_NAMESPACE, key `trafficRouterPlugins`) to load the Gateway API traffic-router plugin
   * GATEWAY_API_PLUGIN from GATEWAY_API_PLUGIN_BIN (`scripts/tools.sh gatewayapi`). The Gateway API
   * and Istio CRDs are installed with the others from CRDS_DIR.
   * @default true
   */
  gatewayApiPlugin?: boolean;
  /**
   * Also run Prometheus (Debian's /usr/bin/prometheus) on loopback, scraping these `host:port`
   * targets every second (`honor_labels`, so the targets' own labels are kept).
   * @default none (no Prometheus)
   */
  prometheusTargets?: string[];
  /** Parent of the per-run log folder. @default test-output/cluster (CANARYKIT_CLUSTER_LOG_DIR) */
  logRoot?: string;
}

export interface ProcessOptions {
  /** Added to the cluster's environment. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Bound for `ready`. Default 120 s. */
  timeoutMs?: number;
}

export interface Cluster {
  /** Path of an admin kubeconfig (client cert with O=system:masters). */
  readonly kubeconfig: string;
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** Temp dir holding certs, etcd data and the kubeconfig. */
  readonly dir: string;
  /** Folder with etcd.log, kube-apiserver.log (kept after stop). */
  readonly logDir: string;
  /** Runs .tools/bin/kubectl against this cluster. Never rejects for a non-zero exit. */
  kubectl(args: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Runs any command with KUBECONFIG pointing at this cluster (e.g. helm). */
  exec(cmd: string, args: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Server-side applies every CustomResourceDefinition found under `dirs` and waits until Established. */
  installCrds(dirs?: string[]): Promise<string[]>;
  /** GET of an API path (`/apis/argoproj.io/v1alpha1/...`) as JSON; undefined for 404. Cheaper than kubectl for polling. */
  getJson<T = any>(apiPath: string): Promise<T | undefined>;
  /** http://127.0.0.1:<port> of Prometheus, when `prometheusTargets` was given. */
  readonly prometheusUrl?: string;
  /**
   * Starts a long-running process beside the cluster (KUBECONFIG and HOME as for `exec`), logging to
   * `<logDir>/<name>.log`, and resolves once `ready` answers true; `stop()` stops it first.
   */
  startProcess(name: string, bin: string, args: string[], ready: () => Promise<boolean>, opts?: ProcessOptions): Promise<void>;
  /** Stops everything this cluster started. Idempotent; never rejects. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------
// process bookkeeping: everything we spawn is tracked until it has exited

interface Tracked {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
  watchdog?: ChildProcess;
}

const live = new Set<Tracked>();
/** Temp dirs of clusters not stopped yet (removed by the exit handlers too). */
const liveDirs = new Set<string>();
let handlersInstalled = false;

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

function killAllNow(): void {
  for (const t of live) {
    killGroup(t.child.pid, 'SIGKILL');
    killGroup(t.watchdog?.pid, 'SIGKILL');
  }
  live.clear();
  for (const d of liveDirs) {
    if (!process.env.CANARYKIT_KEEP_CLUSTER_DIR) fs.rmSync(d, { recursive: true, force: true });
  }
  liveDirs.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAllNow();
      process.exit(128 + (os.constants.signals[sig] ?? 1));
    });
  }
}

/**
 * A watchdog (own process group, a few hundred KB of shell) that kills the
 * process group `pgid` - and removes `cleanupDir`, if given - once our Node
 * process is gone, so even a SIGKILLed jest worker leaves nothing behind.  It
 * exits by itself when the component exits first.
 */
function spawnWatchdog(pgid: number, cleanupDir?: string): ChildProcess {
  // POSIX sh (dash): no `--` for kill; a negative pid is a process group.
  const script = [
    'p=$1; g=$2; d=$3',
    'while kill -0 "$p" 2>/dev/null; do kill -0 -"$g" 2>/dev/null || exit 0; sleep 1; done',
    'kill -TERM -"$g" 2>/dev/null; sleep 3; kill -KILL -"$g" 2>/dev/null',
    '[ -n "$d" ] && rm -rf "$d"',
    'exit 0',
  ].join('\n');
  const keep = !!process.env.CANARYKIT_KEEP_CLUSTER_DIR;
  const w = spawn(
    '/bin/sh',
    ['-c', script, 'canarykit-cluster-watchdog', String(process.pid), String(pgid), (!keep && cleanupDir) || ''],
    { detached: true, stdio: 'ignore' },
  );
  w.unref();
  return w;
}

function startComponent(
  name: string,
  bin: string,
  args: string[],
  logFile: string,
  cleanupDir?: string,
  env?: NodeJS.ProcessEnv,
  cwd?: string,
): Tracked {
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `# ${new Date().toISOString()} ${bin} ${args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd], env: env ?? { ...process.env }, cwd });
  } finally {
    fs.closeSync(fd);
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const t: Tracked = { name, child, exited };
  live.add(t);
  if (child.pid) t.watchdog = spawnWatchdog(child.pid, cleanupDir);
  void exited.then(() => {
    // The component is gone: its watchdog is no longer needed.
    killGroup(t.watchdog?.pid, 'SIGKILL');
    live.delete(t);
  });
  return t;
}

async function stopComponent(t: Tracked, graceMs = 10_000): Promise<void> {
  const pid = t.child.pid;
  if (pid && t.child.exitCode === null && t.child.signalCode === null) {
    killGroup(pid, 'SIGTERM');
    const timer = sleep(graceMs).then(() => 'timeout' as const);
    if ((await Promise.race([t.exited.then(() => 'exited' as const), timer])) === 'timeout') {
      killGroup(pid, 'SIGKILL');
      await Promise.race([t.exited, sleep(5_000)]);
    }
  }
  // Kill whatever else may still be in the group (the component's children).
  killGroup(pid, 'SIGKILL');
  killGroup(t.watchdog?.pid, 'SIGKILL');
  live.delete(t);
}

// ---------------------------------------------------------------------------
// helpers

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

/** Runs a command in its own process group, bounded in time. Never rejects. */
export function run(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const child = spawn(cmd, args, {
      detached: true,
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const t: Tracked = { name: cmd, child, exited: Promise.resolve() };
    live.add(t);
    const finish = (code: number, extra = '') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL'); // leftovers of the group, if any
      live.delete(t);
      resolve({ stdout, stderr: stderr + extra, code });
    };
    const timer = setTimeout(() => {
      killGroup(child.pid, 'SIGKILL');
      finish(-1, `\n[cluster] ${path.basename(cmd)} ${args.join(' ')}: killed after ${timeoutMs} ms`);
    }, timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => finish(-1, `\n[cluster] cannot run ${cmd}: ${e.message}`));
    child.on('close', (code, signal) => finish(code ?? (signal ? -1 : 0)));
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

function execFileP(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { timeout: 30_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves a tool: .tools/bin/<name> first, then PATH. */
export function toolPath(name: string): string {
  const p = path.join(TOOLS_BIN, name);
  if (fs.existsSync(p)) return p;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const q = path.join(dir, name);
    if (dir && fs.existsSync(q)) return q;
  }
  throw new Error(`${name} not found in ${TOOLS_BIN} or PATH: run \`bash scripts/tools/kube.sh\` (or scripts/tools.sh kube)`);
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------------------
// certificates (openssl CLI; Node has no X.509 issuing API)

interface Pki {
  caCrt: string;
  serverCrt: string;
  serverKey: string;
  clientCrt: string;
  clientKey: string;
  saPub: string;
  saKey: string;
}

async function makePki(dir: string): Promise<Pki> {
  const openssl = toolPath('openssl');
  const f = (n: string) => path.join(dir, n);
  const ecKey = async (out: string) =>
    execFileP(openssl, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', out]);
  // CA
  await ecKey(f('ca.key'));
  await execFileP(openssl, [
    'req', '-x509', '-new', '-key', f('ca.key'), '-sha256', '-days', '2', '-subj', '/CN=canarykit-test-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-out', f('ca.crt'),
  ]);
  const issue = async (name: string, subj: string, ext: string) => {
    await ecKey(f(`${name}.key`));
    await execFileP(openssl, ['req', '-new', '-key', f(`${name}.key`), '-subj', subj, '-out', f(`${name}.csr`)]);
    fs.writeFileSync(f(`${name}.ext`), ext);
    await execFileP(openssl, [
      'x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial',
      '-sha256', '-days', '2', '-extfile', f(`${name}.ext`), '-out', f(`${name}.crt`),
    ]);
  };
  await issue(
    'apiserver',
    '/CN=kube-apiserver',
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' +
      'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,' +
      'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n',
  );
  await issue(
    'admin',
    '/O=system:masters/CN=canarykit-admin',
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
  // Service-account token signing key pair.
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  fs.writeFileSync(f('sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  fs.writeFileSync(f('sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return {
    caCrt: f('ca.crt'),
    serverCrt: f('apiserver.crt'),
    serverKey: f('apiserver.key'),
    clientCrt: f('admin.crt'),
    clientKey: f('admin.key'),
    saPub: f('sa.pub'),
    saKey: f('sa.key'),
  };
}

function writeKubeconfig(file: string, server: string, pki: Pki): void {
  const b64 = (p: string) => fs.readFileSync(p).toString('base64');
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: canarykit-test',
      '  cluster:',
      `    server: ${server}`,
      `    certificate-authority-data: ${b64(pki.caCrt)}`,
      'users:',
      '- name: canarykit-admin',
      '  user:',
      `    client-certificate-data: ${b64(pki.clientCrt)}`,
      `    client-key-data: ${b64(pki.clientKey)}`,
      'contexts:',
      '- name: canarykit-test',
      '  context:',
      '    cluster: canarykit-test',
      '    user: canarykit-admin',
      'current-context: canarykit-test',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
}

// ---------------------------------------------------------------------------
// readiness

async function waitUntil(
  what: string,
  deadline: number,
  probe: () => Promise<boolean>,
  failFast: () => string | undefined,
): Promise<void> {
  for (;;) {
    const dead = failFast();
    if (dead) throw new Error(`${what}: ${dead}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready before the start-up deadline`);
    await sleep(250);
  }
}

export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.setTimeout(1000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

/** GET with a 3 s timeout; with `pki`, over TLS as the admin client (the API server's endpoints). */
function httpGet(url: string, pki?: Pki): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    };
    const req = pki
      ? https.get(url, { ca: fs.readFileSync(pki.caCrt), cert: fs.readFileSync(pki.clientCrt), key: fs.readFileSync(pki.clientKey), timeout: 3000 }, onResponse)
      : http.get(url, { timeout: 3000 }, onResponse);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function exitedMessage(t: Tracked, log: string): string | undefined {
  const c = t.child;
  if (c.exitCode === null && c.signalCode === null) return undefined;
  return `${t.name} exited early (${c.exitCode ?? c.signalCode}); last log lines (${log}):\n${tail(log)}`;
}

// ---------------------------------------------------------------------------

export async function startCluster(opts: StartOptions = {}): Promise<Cluster> {
  installExitHandlers();
  const name = (opts.name ?? 'cluster').replace(/[^A-Za-z0-9_.-]/g, '_');
  const workloads = !!(opts.workloads || opts.rollouts);
  // Each extra component adds a few seconds of start-up on a busy 2-core machine.
  const startupTimeoutMs = opts.startupTimeoutMs ?? (workloads ? 180_000 : 60_000);
  const deadline = Date.now() + startupTimeoutMs;

  const etcdBin = toolPath('etcd');
  const apiserverBin = toolPath('kube-apiserver');
  const kubectlBin = toolPath('kubectl');

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logDir = path.join(opts.logRoot ?? LOG_ROOT, `${name}-${stamp}-${process.pid}`);
  fs.mkdirSync(logDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canarykit-cluster-'));
  liveDirs.add(dir);
  const started: Tracked[] = [];
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // apiserver first (it talks to etcd), then etcd.
    for (const t of [...started].reverse()) await stopComponent(t).catch(() => undefined);
    if (!process.env.CANARYKIT_KEEP_CLUSTER_DIR) fs.rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  };

  try {
    const pki = await makePki(dir);

    // --- etcd ---------------------------------------------------------------
    const etcdLog = path.join(logDir, 'etcd.log');
    const [etcdClient, etcdPeer] = [await freePort(), await freePort()];
    const etcd = startComponent('etcd', etcdBin, [
      '--name=canarykit',
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=canarykit=http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster-state=new',
      '--logger=zap',
      '--log-outputs=stderr',
      '--unsafe-no-fsync', // throw-away data
      '--quota-backend-bytes=1073741824',
    ], etcdLog, dir);
    started.push(etcd);
    await waitUntil('etcd', deadline, () => tcpOpen(etcdClient), () => exitedMessage(etcd, etcdLog));

    // --- kube-apiserver -----------------------------------------------------
    const apiLog = path.join(logDir, 'kube-apiserver.log');
    const securePort = await freePort();
    const server = `https://127.0.0.1:${securePort}`;
    const api = startComponent('kube-apiserver', apiserverBin, [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      `--tls-cert-file=${pki.serverCrt}`,
      `--tls-private-key-file=${pki.serverKey}`,
      `--client-ca-file=${pki.caCrt}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.saPub}`,
      `--service-account-signing-key-file=${pki.saKey}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=RBAC',
      '--allow-privileged=true',
      // The default admission chain, as in a real cluster (none of its
      // plugins needs nodes or a cloud provider). APF and profiling are off to
      // save CPU on small machines.
      '--enable-priority-and-fairness=false',
      '--profiling=false',
      // Debian's etcd (3.4) cannot serve RequestWatchProgress, so with the
      // WatchList feature on, every watch from resourceVersion 0 (kwok's) fails
      // and is retried with back-off: kwok would miss pod updates for seconds.
      '--feature-gates=WatchList=false',
      '--v=1',
      ...(opts.apiserverArgs ?? []),
    ], apiLog);
    started.push(api);
    await waitUntil(
      'kube-apiserver /readyz',
      deadline,
      async () => (await httpGet(`${server}/readyz`, pki)).status === 200,
      () => exitedMessage(api, apiLog) ?? exitedMessage(etcd, etcdLog),
    ).catch(async (e: Error) => {
      if (/exited early/.test(e.message)) throw e; // already carries the log tail
      const detail = await httpGet(`${server}/readyz?verbose`, pki).then((r) => r.body, () => '(unreachable)');
      throw new Error(`${e.message}\n/readyz?verbose:\n${detail}\nlast log lines (${apiLog}):\n${tail(apiLog)}`);
    });

    const kubeconfig = path.join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, server, pki);
    const cacheDir = path.join(dir, 'kube-cache');
    const clusterEnv = (extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
      ...process.env,
      KUBECONFIG: kubeconfig,
      // Keep helm/kubectl away from the user's own config and caches.
      HOME: path.join(dir, 'home'),
      HELM_CACHE_HOME: path.join(dir, 'helm', 'cache'),
      HELM_CONFIG_HOME: path.join(dir, 'helm', 'config'),
      HELM_DATA_HOME: path.join(dir, 'helm', 'data'),
      ...extra,
    });
    fs.mkdirSync(path.join(dir, 'home'), { recursive: true });

    const prometheusPort = opts.prometheusTargets ? await freePort() : undefined;
    const cluster: Cluster = {
      kubeconfig,
      server,
      dir,
      logDir,
      prometheusUrl: prometheusPort ? `http://127.0.0.1:${prometheusPort}` : undefined,
      kubectl: (args, o = {}) =>
        run(kubectlBin, [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDir}`, ...args], {
          ...o,
          env: clusterEnv(o.env),
        }),
      exec: (cmd, args, o = {}) => run(cmd, args, { ...o, env: clusterEnv(o.env) }),
      installCrds: (dirs) => installCrds(cluster, dirs ?? [CRDS_DIR]),
      getJson: async (apiPath) => {
        const r = await httpGet(`${server}${apiPath}`, pki);
        if (r.status === 404) return undefined;
        if (r.status !== 200) throw new Error(`GET ${apiPath}: HTTP ${r.status}: ${r.body.slice(0, 300)}`);
        return JSON.parse(r.body);
      },
      startProcess: (procName, bin, args, ready, o = {}) =>
        startReady({ ...extra, deadline: Date.now() + (o.timeoutMs ?? 120_000) }, procName, args, ready, clusterEnv(o.env), o.cwd, bin),
      stop,
    };
    const extra = { cluster, pki, dir, logDir, deadline, started, env: clusterEnv() };
    if (workloads) await startWorkloads(extra, opts.extraControllers ?? []);
    if (opts.rollouts) await startRolloutsController(extra, opts.gatewayApiPlugin ?? true);
    if (prometheusPort) await startPrometheus(extra, prometheusPort, opts.prometheusTargets!);
    return cluster;
  } catch (e) {
    await stop();
    throw new Error(`startCluster(${name}) failed (logs: ${logDir}): ${(e as Error).message}`, { cause: e });
  }
}

// ---------------------------------------------------------------------------
// optional components: workloads (kube-controller-manager, kube-scheduler,
// kwok), the Argo Rollouts controller, Prometheus

interface ExtraContext {
  cluster: Cluster;
  pki: Pki;
  dir: string;
  logDir: string;
  deadline: number;
  started: Tracked[];
  env: NodeJS.ProcessEnv;
}

/** Name of the fake node kwok manages. */
export const FAKE_NODE = 'kwok-node-0';

/** Starts a component (`bin`, default the tool `name`) logging to `<logDir>/<name>.log` and waits for `ready`. */
async function startReady(
  ctx: ExtraContext,
  name: string,
  args: string[],
  ready: () => Promise<boolean>,
  env: NodeJS.ProcessEnv = ctx.env,
  cwd?: string,
  bin = toolPath(name),
): Promise<void> {
  const log = path.join(ctx.logDir, `${name}.log`);
  const t = startComponent(name, bin, args, log, undefined, env, cwd);
  ctx.started.push(t);
  await waitUntil(name, ctx.deadline, ready, () => exitedMessage(t, log)).catch((e: Error) => {
    if (/exited early/.test(e.message)) throw e;
    throw new Error(`${e.message}\nlast log lines (${log}):\n${tail(log)}`);
  });
}

const fakeNode = (name: string) => `
apiVersion: v1
kind: Node
metadata:
  name: ${name}
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: ${name}
    kubernetes.io/os: linux
    type: kwok
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "250"}
  capacity: {cpu: "32", memory: 256Gi, pods: "250"}
`;

async function startWorkloads(ctx: ExtraContext, extraControllers: readonly string[]): Promise<void> {
  const { cluster, pki } = ctx;
  const kubeconfigs = ['kubeconfig', 'authentication-kubeconfig', 'authorization-kubeconfig'].map(
    (f) => `--${f}=${cluster.kubeconfig}`,
  );
  const kcmPort = await freePort();
  await startReady(
    ctx,
    'kube-controller-manager',
    [
      ...kubeconfigs,
      '--bind-address=127.0.0.1',
      `--secure-port=${kcmPort}`,
      '--leader-elect=false',
      `--service-account-private-key-file=${pki.saKey}`,
      `--root-ca-file=${pki.caCrt}`,
      // Only what ReplicaSets/Jobs/Services/namespaces need; the rest would cost
      // CPU for nothing. The node-lifecycle controller lifts the not-ready taint
      // the API server puts on a new node once kwok reports it Ready; its grace
      // period is generous so a late heartbeat on a busy machine changes nothing
      // (and without the taint-eviction controller nothing is ever evicted).
      '--controllers=replicaset-controller,deployment-controller,job-controller,garbage-collector-controller,' +
        'namespace-controller,serviceaccount-controller,serviceaccount-token-controller,endpoints-controller,' +
        'endpointslice-controller,ttl-after-finished-controller,pod-garbage-collector-controller,' +
        'node-lifecycle-controller' + extraControllers.map((c) => `,${c}`).join(''),
      '--node-monitor-grace-period=5m',
      '--concurrent-replicaset-syncs=5',
      '--v=1',
    ],
    () => tcpOpen(kcmPort),
  );
  const schedPort = await freePort();
  await startReady(
    ctx,
    'kube-scheduler',
    [...kubeconfigs, '--bind-address=127.0.0.1', `--secure-port=${schedPort}`, '--leader-elect=false', '--v=1'],
    () => tcpOpen(schedPort),
  );
  // kwok reads ~/.kwok/kwok.yaml when present: a HOME of our own keeps the
  // user's configuration out. Without Stage objects it uses its default
  // stages: nodes become Ready, pods Running+Ready, Job pods Succeeded.
  await startReady(
    ctx,
    'kwok',
    [
      `--kubeconfig=${cluster.kubeconfig}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--cidr=10.244.0.1/24',
      '--node-ip=127.0.0.1',
    ],
    () => Promise.resolve(true),
  );
  mustSucceed(await cluster.kubectl(['apply', '-f', '-'], { input: fakeNode(FAKE_NODE) }), `creating node ${FAKE_NODE}`);
  const ready = async (): Promise<boolean> => {
    const node = await cluster.getJson(`/api/v1/nodes/${FAKE_NODE}`);
    const sa = await cluster.getJson('/api/v1/namespaces/default/serviceaccounts/default');
    return !!sa && (node?.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
  };
  await waitUntil('fake node Ready and default ServiceAccount created', ctx.deadline, ready, () =>
    ctx.started.map((t) => exitedMessage(t, path.join(ctx.logDir, `${t.name}.log`))).find((m) => m),
  );
}

/**
 * The controller's ConfigMap: traffic-router plugins it loads at start-up. It copies each
 * `file://` plugin to ./plugin-bin/<name> (relative to its working directory: the cluster's temp
 * dir) and runs it on first use, through hashicorp/go-plugin, with its own environment: KUBECONFIG
 * is the admin kubeconfig (O=system:masters), which the plugin's client also reads, so no RBAC is
 * needed here. In a real cluster the plugin acts as the controller's ServiceAccount, which then
 * needs get + update on httproutes/grpcroutes (tcproutes/tlsroutes if used) in
 * gateway.networking.k8s.io, list on them for the *RouteSelector fields, and get on services
 * (experiment steps).
 */
function rolloutsConfigMap(plugins: { name: string; location: string }[]): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argo-rollouts-config', namespace: ROLLOUTS_NAMESPACE },
    data: { trafficRouterPlugins: YAML.stringify(plugins) },
  });
}

async function startRolloutsController(ctx: ExtraContext, gatewayApiPlugin: boolean): Promise<void> {
  await ctx.cluster.installCrds();
  if (gatewayApiPlugin) {
    if (!fs.existsSync(GATEWAY_API_PLUGIN_BIN)) {
      throw new Error(`${GATEWAY_API_PLUGIN_BIN} not found: run \`bash scripts/tools.sh gatewayapi\` (or gatewayApiPlugin: false)`);
    }
    const input = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ROLLOUTS_NAMESPACE}\n---\n${rolloutsConfigMap([
      { name: GATEWAY_API_PLUGIN, location: `file://${GATEWAY_API_PLUGIN_BIN}` },
    ])}`;
    mustSucceed(await ctx.cluster.kubectl(['apply', '-f', '-'], { input }), 'creating the argo-rollouts-config ConfigMap');
  }
  const [metricsPort, healthzPort] = [await freePort(), await freePort()];
  // The controller binds its metrics and healthz servers to 0.0.0.0 (not
  // configurable upstream); only the loopback probe below talks to them.
  await startReady(
    ctx,
    'rollouts-controller',
    [
      `--kubeconfig=${ctx.cluster.kubeconfig}`,
      '--leader-elect=false',
      `--metricsPort=${metricsPort}`,
      `--healthzPort=${healthzPort}`,
      '--loglevel=info',
      '--logformat=text',
    ],
    async () => (await httpGet(`http://127.0.0.1:${healthzPort}/healthz`)).status === 200,
    // Notification config is looked up in POD_NAMESPACE (none here: no notifications);
    // argo-rollouts-config too.
    { ...ctx.env, POD_NAMESPACE: ROLLOUTS_NAMESPACE },
    // Plugins are copied to ./plugin-bin: keep that out of the repository.
    ctx.dir,
  );
}

async function startPrometheus(ctx: ExtraContext, port: number, targets: string[]): Promise<void> {
  const config = path.join(ctx.dir, 'prometheus.yml');
  fs.writeFileSync(
    config,
    YAML.stringify({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      scrape_configs: [{ job_name: 'canarykit-e2e', honor_labels: true, static_configs: [{ targets }] }],
    }),
  );
  await startReady(
    ctx,
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(ctx.dir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      // Fresh series should be visible to queries at once.
      '--query.lookback-delta=30s',
      '--log.level=info',
    ],
    async () => (await httpGet(`http://127.0.0.1:${port}/-/ready`)).status === 200,
  );
}

// ---------------------------------------------------------------------------
// CRDs

function listYaml(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listYaml(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Throws with the command's output unless it exited 0. */
export function mustSucceed(res: ExecResult, what: string): ExecResult {
  if (res.code !== 0) {
    throw new Error(`${what} failed (exit ${res.code}):\n${res.stderr.trim() || res.stdout.trim()}`);
  }
  return res;
}

async function installCrds(cluster: Cluster, dirs: string[]): Promise<string[]> {
  // Collect CustomResourceDefinitions, one per name (the same CRD may appear in
  // several files, e.g. per-project files and a bundle).
  const crds = new Map<string, string>();
  for (const file of dirs.flatMap(listYaml)) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const obj = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
      const name = obj?.metadata?.name;
      if (obj?.kind === 'CustomResourceDefinition' && name && !crds.has(name)) crds.set(name, doc.toString());
    }
  }
  if (crds.size === 0) {
    throw new Error(
      `no CustomResourceDefinition YAML under ${dirs.join(', ')}: run \`bash scripts/tools.sh crds\` ` +
        '(or set CANARYKIT_CRDS_DIR)',
    );
  }
  // Server-side: some upstream CRDs (prometheus-operator) are too big for the
  // client-side last-applied annotation.
  const input = [...crds.values()].map((d) => `---\n${d}`).join('\n');
  mustSucceed(
    await cluster.kubectl(
      ['apply', '--server-side', '--force-conflicts', '--field-manager=canarykit-test', '-f', '-'],
      { input, timeoutMs: 120_000 },
    ),
    `kubectl apply of ${crds.size} CRDs from ${dirs.join(', ')}`,
  );
  const names = [...crds.keys()].map((n) => `customresourcedefinitions/${n}`);
  mustSucceed(
    await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...names], { timeoutMs: 90_000 }),
    'waiting for CRDs to be Established',
  );
  return [...crds.keys()];
}
