/**
 * Watches one app's canary from the outside, the way a person would with `kubectl get -w`: every
 * 500 ms it reads the Rollout, its AnalysisRuns, ReplicaSets, Ingresses, Jobs and Istio objects straight from the
 * API server and keeps a sample. Scenarios wait on samples (`until`) and assert on the whole
 * timeline afterwards; the timeline is written next to the component logs.
 */
import * as fs from 'fs';
import type { Cluster } from '../cluster/cluster';

export interface RunState {
  readonly name: string;
  readonly phase: string;
  /** Last measured value of each metric (`metric=value`). */
  readonly values: readonly string[];
}

export interface JobState {
  readonly name: string;
  readonly createdAt: string;
  readonly owner?: string;
  readonly command: readonly string[];
  /** Container env: values, or `secretKeyRef:<name>/<key>` for Secret references. */
  readonly env: Readonly<Record<string, string>>;
  readonly succeeded: number;
}

export interface Sample {
  /** Milliseconds since the observer started. */
  readonly t: number;
  readonly phase?: string;
  readonly message?: string;
  /** status.currentStepIndex */
  readonly step?: number;
  readonly abort: boolean;
  readonly paused: boolean;
  readonly stableHash?: string;
  readonly currentHash?: string;
  /** Traffic weight of the canary, from status.canary.weights (traffic-routed canaries only). */
  readonly weight?: number;
  /** Desired replicas per pod-template hash (a basic canary's weight is its share of replicas). */
  readonly replicas: Readonly<Record<string, number>>;
  readonly runs: readonly RunState[];
  /** Annotations of the canary Ingress the controller manages, when there is one. */
  readonly canaryIngress?: { readonly name: string; readonly annotations: Readonly<Record<string, string>>; readonly service?: string };
  readonly jobs: readonly JobState[];
  /** The pod-template hash in each Service's selector, by Service name ('' when it has none yet). */
  readonly services: Readonly<Record<string, string>>;
  /** Istio routing, when the namespace has a VirtualService (and a DestinationRule). */
  readonly istio?: IstioState;
  /** The HTTPRoutes of the namespace (Gateway API routing): each rule's name and backendRef weights, and the plugin's label. */
  readonly routes: readonly RouteState[];
}

export interface IstioState {
  /** Weights of canarykit's http route (`primary`, else the first), by destination: `host`, or `host/subset`. */
  readonly weights: Readonly<Record<string, number>>;
  /** The names of the VirtualService's http routes, in order (the controller puts its managed routes first). */
  readonly routes?: readonly string[];
  /** The managed routes the controller added (setHeaderRoute, setMirrorRoute), by name. */
  readonly managed?: Readonly<Record<string, { readonly headers?: readonly string[]; readonly to?: readonly string[]; readonly mirror?: string; readonly mirrorPercent?: number }>>;
  /** The pod-template hash label of each subset of the DestinationRule, by subset name. */
  readonly subsets?: Readonly<Record<string, string | undefined>>;
}

export interface RouteState {
  readonly name: string;
  readonly inProgress: boolean;
  readonly rules: readonly { readonly name?: string; readonly headers: readonly string[]; readonly weights: Readonly<Record<string, number | undefined>> }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RolloutObserver {
  readonly samples: Sample[] = [];
  private readonly t0 = Date.now();
  private running = false;
  private loop?: Promise<void>;
  private lastError?: string;

  constructor(
    private readonly cluster: Cluster,
    readonly namespace: string,
    readonly name: string,
  ) {}

  start(): this {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          this.samples.push(await this.sample());
          this.lastError = undefined;
        } catch (e) {
          this.lastError = (e as Error).message;
        }
        await sleep(500);
      }
    })();
    return this;
  }

  /** Idempotent. */
  async stop(logFile?: string): Promise<void> {
    this.running = false;
    await this.loop;
    if (logFile) fs.writeFileSync(logFile, this.timeline() + '\n');
  }

  get latest(): Sample | undefined {
    return this.samples[this.samples.length - 1];
  }

  /** Samples taken from index `from` on (e.g. since an update was applied). */
  since(from: number): Sample[] {
    return this.samples.slice(from);
  }

  /** Resolves with the first new sample satisfying `pred`; rejects after `timeoutMs` with the timeline. */
  async until(what: string, pred: (s: Sample) => boolean, timeoutMs: number): Promise<Sample> {
    const deadline = Date.now() + timeoutMs;
    let seen = this.samples.length;
    for (;;) {
      for (; seen < this.samples.length; seen++) if (pred(this.samples[seen])) return this.samples[seen];
      if (!this.running) throw new Error(`${this.namespace}/${this.name}: observer stopped while waiting for ${what}`);
      if (Date.now() > deadline) {
        throw new Error(
          `${this.namespace}/${this.name}: not ${what} within ${timeoutMs / 1000}s` +
            `${this.lastError ? ` (last read error: ${this.lastError})` : ''}; timeline:\n${this.timeline()}`,
        );
      }
      await sleep(200);
    }
  }

  /** One line per change of state. */
  timeline(): string {
    const lines: string[] = [];
    let last = '';
    for (const s of this.samples) {
      const line = describe(s);
      if (line !== last) lines.push(`${(s.t / 1000).toFixed(1).padStart(6)}s ${line}`);
      last = line;
    }
    return lines.join('\n');
  }

  private async sample(): Promise<Sample> {
    const ns = `/namespaces/${this.namespace}`;
    const [ro, runs, rss, ings, jobs, svcs, vss, drs, httpRoutes] = await Promise.all([
      this.cluster.getJson(`/apis/argoproj.io/v1alpha1${ns}/rollouts/${this.name}`),
      this.cluster.getJson(`/apis/argoproj.io/v1alpha1${ns}/analysisruns`),
      this.cluster.getJson(`/apis/apps/v1${ns}/replicasets`),
      this.cluster.getJson(`/apis/networking.k8s.io/v1${ns}/ingresses`),
      this.cluster.getJson(`/apis/batch/v1${ns}/jobs`),
      this.cluster.getJson(`/api/v1${ns}/services`),
      this.cluster.getJson(`/apis/networking.istio.io/v1${ns}/virtualservices`),
      this.cluster.getJson(`/apis/networking.istio.io/v1${ns}/destinationrules`),
      this.cluster.getJson(`/apis/gateway.networking.k8s.io/v1${ns}/httproutes`),
    ]);
    const vs = vss?.items?.[0];
    const dr = drs?.items?.[0];
    const st = ro?.status ?? {};
    const replicas: Record<string, number> = {};
    for (const rs of rss?.items ?? []) {
      const hash = rs.metadata.labels?.['rollouts-pod-template-hash'];
      if (hash) replicas[hash] = rs.spec.replicas ?? 0;
    }
    const canaryIng = (ings?.items ?? []).find(
      (i: any) => i.metadata.annotations?.['nginx.ingress.kubernetes.io/canary'] === 'true',
    );
    const services = Object.fromEntries((svcs?.items ?? []).map((svc: any) => [svc.metadata.name, svc.spec.selector?.['rollouts-pod-template-hash'] ?? '']));
    return {
      t: Date.now() - this.t0,
      services,
      phase: st.phase,
      message: st.message,
      step: st.currentStepIndex,
      abort: !!st.abort,
      paused: (st.pauseConditions ?? []).length > 0,
      stableHash: st.stableRS,
      currentHash: st.currentPodHash,
      weight: st.canary?.weights?.canary?.weight,
      replicas,
      runs: (runs?.items ?? [])
        .sort((a: any, b: any) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp))
        .map((r: any) => ({
          name: r.metadata.name,
          phase: r.status?.phase ?? 'Pending',
          values: (r.status?.metricResults ?? []).map((m: any) => {
            const last = (m.measurements ?? []).slice(-1)[0];
            return `${m.name}=${last?.value ?? last?.phase ?? '-'}`;
          }),
        })),
      canaryIngress: canaryIng && {
        name: canaryIng.metadata.name,
        annotations: canaryIng.metadata.annotations,
        service: canaryIng.spec?.rules?.[0]?.http?.paths?.[0]?.backend?.service?.name,
      },
      istio: vs && {
        ...istioRoutes(vs.spec.http ?? []),
        subsets: dr && Object.fromEntries((dr.spec.subsets ?? []).map((x: any) => [x.name, x.labels?.['rollouts-pod-template-hash']])),
      },
      routes: (httpRoutes?.items ?? []).map((r: any): RouteState => ({
        name: r.metadata.name,
        inProgress: r.metadata.labels?.['rollouts.argoproj.io/gatewayapi-canary'] === 'in-progress',
        rules: (r.spec.rules ?? []).map((rule: any) => ({
          name: rule.name,
          headers: (rule.matches ?? []).flatMap((m: any) => (m.headers ?? []).map((h: any) => `${h.name}=${h.value}`)),
          weights: Object.fromEntries((rule.backendRefs ?? []).map((b: any) => [b.name, b.weight])),
        })),
      })),
      jobs: (jobs?.items ?? []).map((j: any) => {
        const c = j.spec.template.spec.containers[0];
        const ref = (r: any) => (r ? `secretKeyRef:${r.name}/${r.key}` : undefined);
        return {
          name: j.metadata.name,
          createdAt: j.metadata.creationTimestamp,
          owner: (j.metadata.ownerReferences ?? []).map((o: any) => `${o.kind}/${o.name}`)[0],
          command: [...(c.command ?? []), ...(c.args ?? [])],
          env: Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value ?? ref(e.valueFrom?.secretKeyRef) ?? '?'])),
          succeeded: j.status?.succeeded ?? 0,
        };
      }),
    };
  }
}

/** The weights of canarykit's route and the routes the controller manages in a VirtualService's http list. */
function istioRoutes(http: any[]): Pick<IstioState, 'weights' | 'routes' | 'managed'> {
  const dest = (d: any) => (d.subset ? `${d.host}/${d.subset}` : d.host);
  const primary = http.find((r) => r.name === 'primary') ?? http[0];
  const weights = Object.fromEntries((primary?.route ?? []).map((r: any) => [dest(r.destination), r.weight ?? 0]));
  const others = http.filter((r) => r !== primary);
  if (others.length === 0) return { weights };
  return {
    weights,
    routes: http.map((r) => r.name),
    managed: Object.fromEntries(others.map((r) => [r.name, {
      headers: (r.match ?? []).flatMap((m: any) => Object.entries(m.headers ?? {}).map(([k, v]: [string, any]) => `${k}=${v.exact ?? v.prefix ?? v.regex}`)),
      to: (r.route ?? []).map((x: any) => `${dest(x.destination)}:${x.weight ?? 100}`),
      ...(r.mirror ? { mirror: dest(r.mirror), mirrorPercent: r.mirrorPercentage?.value } : {}),
    }])),
  };
}

function describe(s: Sample): string {
  const parts = [
    `phase=${s.phase ?? '-'}`,
    `step=${s.step ?? '-'}`,
    `weight=${s.weight ?? '-'}`,
    `replicas=${Object.entries(s.replicas).map(([h, n]) => `${h}:${n}`).join(',') || '-'}`,
    `stable=${s.stableHash ?? '-'}`,
    `current=${s.currentHash ?? '-'}`,
  ];
  const routed = Object.entries(s.services).filter(([, hash]) => hash);
  if (routed.length) parts.push(`services=${routed.map(([name, hash]) => `${name}:${hash}`).join(',')}`);
  if (s.abort) parts.push('ABORTED');
  if (s.paused) parts.push('paused');
  if (s.canaryIngress) {
    const a = s.canaryIngress.annotations;
    parts.push(`ingress-canary-weight=${a['nginx.ingress.kubernetes.io/canary-weight'] ?? '-'}`);
  }
  if (s.istio) {
    parts.push(`vs=${Object.entries(s.istio.weights).map(([d, w]) => `${d}:${w}`).join(',')}`);
    if (s.istio.subsets) parts.push(`subsets=${Object.entries(s.istio.subsets).map(([n, h]) => `${n}:${h ?? '-'}`).join(',')}`);
  }
  for (const r of s.routes) {
    parts.push(`route ${r.name}${r.inProgress ? '(in-progress)' : ''}=[${r.rules.map((x) => `${x.name ?? ''}${x.headers.length ? `{${x.headers.join(',')}}` : ''}:${Object.values(x.weights).map((w) => w ?? '-').join('/')}`).join(' ')}]`);
  }
  if (s.runs.length) parts.push(`runs=[${s.runs.map((r) => `${r.name}:${r.phase}(${r.values.join(' ')})`).join(', ')}]`);
  if (s.jobs.length) parts.push(`jobs=${s.jobs.length}(${s.jobs.filter((j) => j.succeeded).length} succeeded)`);
  if (s.message) parts.push(`message=${JSON.stringify(s.message)}`);
  return parts.join(' ');
}
