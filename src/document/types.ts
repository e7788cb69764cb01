/**
 * The canarykit application spec: one document describes one application's whole canary setup.
 *
 * The same structure is used from TypeScript (`new CanaryApp(chart, 'web', spec)`) and from YAML files
 * (`apiVersion: canarykit.dev/v1alpha1`, `kind: CanaryApp`). The zod schema in `schema.ts` is checked
 * against these interfaces at compile time, so the two cannot drift.
 */

export const API_VERSION = 'canarykit.dev/v1alpha1';
export const KIND = 'CanaryApp';

/** A Go duration as the Argo Rollouts controller parses it, e.g. `30s`, `5m`, `1h30m`. */
export type Duration = string;

/** A file document: `apiVersion`, `kind`, `metadata`, `spec`. */
export interface CanaryAppDocument {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: typeof KIND;
  readonly metadata: AppMetadata;
  readonly spec: CanaryAppSpec;
}

export interface AppMetadata {
  /** Application name: names the Rollout and prefixes every other object. DNS-1123 label, at most 47 characters. */
  readonly name: string;
  /**
   * Namespace of every namespaced object.
   * @default "default"
   */
  readonly namespace?: string;
  /** Extra labels on every object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra annotations on every object. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageSpec {
  /** Registry host, e.g. `ghcr.io`. @default none (the repository is used as is) */
  readonly registry?: string;
  /** Repository, e.g. `jhandguy/canary-deployment/sample-app`. */
  readonly repository: string;
  /** Tag. `latest` is rejected: a canary must compare two identifiable versions. Required unless `digest` is set. */
  readonly tag?: string;
  /** Digest (`sha256:...`); when set it pins the image and wins over the tag. @default none */
  readonly digest?: string;
  /** @default "IfNotPresent" */
  readonly pullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
}

export interface PortsSpec {
  /** Container port serving traffic, exposed as the named port `http`. @default 8080 */
  readonly http?: number;
  /** Container port serving Prometheus metrics, exposed as the named port `metrics`. @default none (no metrics port) */
  readonly metrics?: number;
  /** Port the Services expose for `http`. @default 80 */
  readonly servicePort?: number;
}

export interface ObjectFieldSelector {
  readonly fieldPath: string;
}
export interface KeyRef {
  /** Name of the Secret or ConfigMap. */
  readonly name: string;
  /** Key inside it. */
  readonly key: string;
}
export interface ResourceFieldRef {
  readonly resource: string;
  readonly divisor?: string;
}

/** A container environment variable, as in Kubernetes (downward API and Secret/ConfigMap references included). */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly fieldRef?: ObjectFieldSelector;
    readonly resourceFieldRef?: ResourceFieldRef;
    readonly secretKeyRef?: KeyRef;
    readonly configMapKeyRef?: KeyRef;
  };
}

export interface ResourceList {
  readonly cpu?: string;
  readonly memory?: string;
  readonly 'ephemeral-storage'?: string;
}
export interface ResourcesSpec {
  /** @default { cpu: "100m", memory: "128Mi" } */
  readonly requests?: ResourceList;
  /** @default { cpu: "500m", memory: "256Mi" } */
  readonly limits?: ResourceList;
}

export interface ProbeSpec {
  /** HTTP GET probe; `port` is a port name or number. Exactly one of httpGet, tcpSocket, exec. */
  readonly httpGet?: { readonly path: string; readonly port?: string | number; readonly scheme?: 'HTTP' | 'HTTPS' };
  readonly tcpSocket?: { readonly port?: string | number };
  readonly exec?: { readonly command: readonly string[] };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
  readonly successThreshold?: number;
}

export interface ProbesSpec {
  /** @default tcpSocket on the `http` port. `false` removes the probe. */
  readonly readiness?: ProbeSpec | false;
  /** @default none */
  readonly liveness?: ProbeSpec | false;
  /** @default none */
  readonly startup?: ProbeSpec | false;
}

/** Overrides of the secure container defaults. */
export interface ContainerSecuritySpec {
  /** @default true */
  readonly runAsNonRoot?: boolean;
  /** @default none (the image's user; must not be root) */
  readonly runAsUser?: number;
  /** @default none */
  readonly runAsGroup?: number;
  /** @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /** @default false */
  readonly allowPrivilegeEscalation?: boolean;
  /** Capabilities to add back after dropping ALL. @default [] */
  readonly addCapabilities?: readonly string[];
  /** @default "RuntimeDefault" */
  readonly seccompProfile?: 'RuntimeDefault' | 'Unconfined';
  /** fsGroup of the pod. @default none */
  readonly fsGroup?: number;
}

export interface ServiceAccountSpec {
  /** Create the ServiceAccount. `false` uses an existing one named `name`. @default true */
  readonly create?: boolean;
  /** @default the app name */
  readonly name?: string;
  /** Mount the API token into pods. @default false */
  readonly automountToken?: boolean;
}

export interface ServiceSpec {
  /** @default stable: `<app>-stable`, canary: `<app>-canary`, root: `<app>` */
  readonly name?: string;
  /** Extra annotations on this Service. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ServicesSpec {
  /** Service the controller points at stable pods. */
  readonly stable?: ServiceSpec;
  /** Service the controller points at canary pods. */
  readonly canary?: ServiceSpec;
  /** All-traffic Service selecting every pod of the app (also the one the ServiceMonitor scrapes). `false` omits it. */
  readonly root?: ServiceSpec | false;
  /** @default "ClusterIP" */
  readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
}

export interface IngressSpec {
  /** Host the Ingress routes. */
  readonly host: string;
  /** @default "nginx" */
  readonly className?: string;
  /** @default "/" */
  readonly path?: string;
  /** @default "Prefix" */
  readonly pathType?: 'Prefix' | 'Exact' | 'ImplementationSpecific';
  /** @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** TLS Secret for the host. @default none */
  readonly tlsSecretName?: string;
  /** @default `<app>` */
  readonly name?: string;
}

export interface NginxRoutingSpec {
  /** @default "nginx.ingress.kubernetes.io" (controller default; emitted only when set) */
  readonly annotationPrefix?: string;
  /** Annotations the controller puts on its canary Ingress, e.g. `canary-by-header: X-Canary`. @default {} */
  readonly additionalIngressAnnotations?: Readonly<Record<string, string>>;
  /** Annotations copied onto the canary Ingress. @default {} */
  readonly canaryIngressAnnotations?: Readonly<Record<string, string>>;
}

export interface TrafficRoutingSpec {
  /** Route by weight with the NGINX Ingress controller; needs `ingress`. */
  readonly nginx?: NginxRoutingSpec;
}

export interface PodMetadataSpec {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Argument passed by a Rollout to an analysis template. */
export interface RolloutAnalysisArg {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    /** Pod template hash of the canary (`Latest`) or stable (`Stable`) ReplicaSet. */
    readonly podTemplateHashValue?: 'Latest' | 'Stable';
    readonly fieldRef?: ObjectFieldSelector;
  };
}

/** A reference to an analysis template by its spec name; `cluster: true` for a ClusterAnalysisTemplate not defined in this spec. */
export type TemplateRef = string | { readonly name: string; readonly cluster?: boolean };

export interface StepAnalysisSpec {
  readonly templates: readonly TemplateRef[];
  /** @default [] */
  readonly args?: readonly RolloutAnalysisArg[];
}

export interface BackgroundAnalysisSpec extends StepAnalysisSpec {
  /** Name of the step at which the analysis starts; canarykit computes the index. @default the first step */
  readonly startingStep?: string;
}

export interface SetCanaryScale {
  readonly weight?: number;
  readonly replicas?: number;
  readonly matchTrafficWeight?: boolean;
}

/** One canary step: exactly one of setWeight, pause, analysis, setCanaryScale. `name` lets other parts refer to it. */
export interface CanaryStep {
  /** Step name, referenced by `analysis.startingStep`. DNS-1123 label. @default none (sugar steps are named `weight-<w>`) */
  readonly name?: string;
  readonly setWeight?: number;
  /** `{}` pauses until promoted; `{ duration }` for a timed pause (Go duration or seconds). */
  readonly pause?: { readonly duration?: Duration | number };
  readonly analysis?: StepAnalysisSpec;
  readonly setCanaryScale?: SetCanaryScale;
}

export interface CanarySpec {
  /** Free-form steps. Exactly one of `steps` and `weights`. */
  readonly steps?: readonly CanaryStep[];
  /** Sugar: a weight schedule compiled to `setWeight` + `pause` per weight, steps named `weight-<w>`. */
  readonly weights?: readonly number[];
  /** Pause after each weight of `weights`: a duration, or `manual` to wait for promotion. @default "manual" */
  readonly pause?: Duration | number;
  /** Analysis running in the background from `startingStep` until promotion. @default none */
  readonly analysis?: BackgroundAnalysisSpec;
  /** @default { labels: { "canarykit.dev/track": "canary" } } merged with this */
  readonly canaryMetadata?: PodMetadataSpec;
  /** @default { labels: { "canarykit.dev/track": "stable" } } merged with this */
  readonly stableMetadata?: PodMetadataSpec;
  /** @default controller default ("25%") */
  readonly maxSurge?: string | number;
  /** @default controller default ("25%") */
  readonly maxUnavailable?: string | number;
  /** @default false */
  readonly dynamicStableScale?: boolean;
  /** @default controller default (30) */
  readonly abortScaleDownDelaySeconds?: number;
  /** @default controller default (30) */
  readonly scaleDownDelaySeconds?: number;
}

export interface SecretArgSource {
  readonly secretKeyRef: KeyRef;
}
export interface TemplateArg {
  readonly name: string;
  /** Default value. @default none (the Rollout must supply it) */
  readonly value?: string;
  /** Read the value from a Secret, so it never appears in the manifests. */
  readonly valueFrom?: SecretArgSource;
}

export interface HeaderSpec {
  readonly key: string;
  readonly value: string;
}

export interface PrometheusProviderSpec {
  /** @default `spec.prometheus.address` */
  readonly address?: string;
  /** PromQL; `{{args.x}}` placeholders are substituted by the controller. */
  readonly query: string;
  /** Query timeout in seconds. @default controller default */
  readonly timeout?: number;
  /** HTTP headers sent to Prometheus (values may be `{{args.x}}` Secret-backed args). @default [] */
  readonly headers?: readonly HeaderSpec[];
}

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface WebProviderSpec {
  readonly url: string;
  /** @default "GET" */
  readonly method?: 'GET' | 'POST' | 'PUT';
  /** @default [] */
  readonly headers?: readonly HeaderSpec[];
  /**
   * Request body as text (POST/PUT). For a JSON body that carries `{{args.x}}`, use `jsonBody`: here
   * the controller substitutes arg values unescaped, so a quote or backslash in one breaks the JSON.
   * @default none
   */
  readonly body?: string;
  /**
   * JSON request body (POST/PUT), written as YAML data. The controller escapes arg values substituted
   * into its strings, so `note: "{{args.note}}"` stays valid JSON whatever the value. @default none
   */
  readonly jsonBody?: { readonly [key: string]: JsonValue };
  /** JSONPath into the response, e.g. `{$.error_rate}`. @default the whole body */
  readonly jsonPath?: string;
  /** @default controller default (10) */
  readonly timeoutSeconds?: number;
}

export interface JobProviderSpec {
  /** Image with the tools the command needs; pin it. */
  readonly image: string;
  readonly command: readonly string[];
  /** @default [] */
  readonly args?: readonly string[];
  /** @default [] */
  readonly env?: readonly EnvVar[];
  /** @default 0 (the metric fails on the first failed attempt) */
  readonly backoffLimit?: number;
  /** @default 300 */
  readonly activeDeadlineSeconds?: number;
  /** @default 3600 */
  readonly ttlSecondsAfterFinished?: number;
}

export interface ProviderSpec {
  readonly prometheus?: PrometheusProviderSpec;
  readonly web?: WebProviderSpec;
  readonly job?: JobProviderSpec;
  /** Built-in success-rate metric (Prometheus); canarykit writes the query and both conditions. */
  readonly successRate?: SuccessRateSpec;
  /** Built-in latency metric (Prometheus histogram); canarykit writes the query and both conditions. */
  readonly latency?: LatencySpec;
}

/** A PromQL label matcher, e.g. `{ label: code, op: "!~", value: "5.." }`. */
export interface LabelMatcherSpec {
  readonly label: string;
  /** @default "=" */
  readonly op?: '=' | '!=' | '=~' | '!~';
  /** Value or RE2 regex; may contain `{{args.x}}`. */
  readonly value: string;
}

/** What a metric concludes from a measurement without data (no canary traffic, or no series at all). */
export type NoDataPolicy = 'fail' | 'inconclusive' | 'pass';

/** Where built-in Prometheus metrics send their query. */
export interface PrometheusConnectionSpec {
  /** @default `spec.prometheus.address` */
  readonly address?: string;
  /** Headers, e.g. `Authorization: Bearer {{args.prom-token}}` with a Secret-backed template arg. @default [] */
  readonly headers?: readonly HeaderSpec[];
  /** Query timeout in seconds. @default controller default */
  readonly timeout?: number;
}

/** Shared inputs of the built-in Prometheus metrics. */
export interface BuiltinPrometheusMetricSpec extends PrometheusConnectionSpec {
  /** Label matchers (equality) that select the canary's series only, e.g. `{ rollouts_pod_template_hash: "{{args.canary-hash}}" }`. */
  readonly canary: Readonly<Record<string, string>>;
  /** Range of rate(). At least 4 scrape intervals, so every window holds enough samples. @default 4 × scrapeInterval */
  readonly window?: Duration;
  /** Scrape interval of the series. @default `spec.serviceMonitor.interval`, else "30s" */
  readonly scrapeInterval?: Duration;
  /** Verdict without data: no series, or no canary requests in the window. @default "inconclusive" */
  readonly noData?: NoDataPolicy;
  /** Fewer canary requests than this in the window count as no data. @default none (only zero traffic does) */
  readonly minRequests?: number;
}

/** RED success rate of the canary: successful / all requests, over rate() of a request counter. */
export interface SuccessRateSpec extends BuiltinPrometheusMetricSpec {
  /** Request counter, e.g. `http_requests_total`. */
  readonly metric: string;
  /** Matchers that select successful requests, e.g. `{ label: code, op: "!~", value: "5.." }`. */
  readonly success: LabelMatcherSpec | readonly LabelMatcherSpec[];
  /** Lowest acceptable success share, in 0..1 (e.g. 0.99). */
  readonly threshold: number;
}

/** Latency quantile of the canary from a Prometheus histogram. */
export interface LatencySpec extends BuiltinPrometheusMetricSpec {
  /** Histogram base name (without `_bucket`), e.g. `http_request_duration_seconds`. */
  readonly metric: string;
  /** Quantile in 0..1. @default 0.99 */
  readonly quantile?: number;
  /** Highest acceptable latency at that quantile, in seconds. */
  readonly thresholdSeconds: number;
}

/** A series of a promtool test case, in promtool's notation. */
export interface PromQLTestSeries {
  /** e.g. `http_requests_total{code="200", rollouts_pod_template_hash="abc"}` */
  readonly series: string;
  /** promtool expanding notation, e.g. `0+60x20`. */
  readonly values: string;
}

/** A user test case for a Prometheus metric, run by `canarykit test-analysis` (never emitted). */
export interface PromQLTestSpec {
  readonly name: string;
  readonly series: readonly PromQLTestSeries[];
  /** Values of `{{args.x}}` in the query. @default each arg's default, else "test-<arg>" */
  readonly args?: Readonly<Record<string, string>>;
  /** Evaluation time after the first sample. @default the series' length */
  readonly evalTime?: Duration;
  /** Expected phase of the measurement. */
  readonly expect: 'Successful' | 'Failed' | 'Inconclusive';
}

export interface MetricSpec {
  readonly name: string;
  /** @default none (the metric is measured once) */
  readonly interval?: Duration;
  /** @default none (unbounded with interval; 1 without) */
  readonly count?: number;
  /** @default none */
  readonly initialDelay?: Duration;
  /** @default controller default (0) */
  readonly failureLimit?: number;
  /** @default controller default (4) */
  readonly consecutiveErrorLimit?: number;
  /** @default controller default (0) */
  readonly inconclusiveLimit?: number;
  /** expr expression over `result`. @default none */
  readonly successCondition?: string;
  /** @default none */
  readonly failureCondition?: string;
  /** Exactly one provider. */
  readonly provider: ProviderSpec;
  /** Extra promtool cases for `canarykit test-analysis` (Prometheus metrics only). @default [] */
  readonly tests?: readonly PromQLTestSpec[];
}

export interface AnalysisTemplateSpec {
  /** Spec name; the object is named `<app>-<name>` so apps sharing a namespace never collide. */
  readonly name: string;
  /** Emit a ClusterAnalysisTemplate instead (named `<namespace>-<app>-<name>`). @default false */
  readonly clusterScoped?: boolean;
  /** @default [] */
  readonly args?: readonly TemplateArg[];
  readonly metrics: readonly MetricSpec[];
}

export interface ServiceMonitorSpec {
  /** @default true when `ports.metrics` is set */
  readonly enabled?: boolean;
  /** @default "30s" */
  readonly interval?: Duration;
  /** @default interval's value capped at 10s */
  readonly scrapeTimeout?: Duration;
  /** @default "/metrics" */
  readonly path?: string;
  /** Labels the Prometheus `serviceMonitorSelector` selects, e.g. `{ release: prometheus }`. @default {} */
  readonly selectorLabels?: Readonly<Record<string, string>>;
}

export interface PrometheusSpec {
  /** Address analysis queries go to. */
  readonly address: string;
}

/** Preset for Last9 (Levitate) domain events: fills url, method, token header and payload fields. */
export interface Last9PresetSpec {
  /** Organization slug; the URL becomes `https://app.last9.io/api/v4/organizations/<org>/domain_events`. Required unless `sink.url` is set. */
  readonly organization?: string;
  /** @default the app name */
  readonly workspace?: string;
  /** @default the app namespace */
  readonly namespace?: string;
  /** @default "service" */
  readonly entityType?: string;
  /** Levitate data source the events belong to. */
  readonly dataSourceName: string;
}

/** Where domain events go: an HTTP endpoint receiving one JSON object per event. */
export interface EventSinkSpec {
  /** @default from the preset */
  readonly url?: string;
  /** @default "POST" ("PUT" with last9) */
  readonly method?: 'POST' | 'PUT';
  /** Non-secret headers. `Content-Type: application/json` is always sent. @default [] */
  readonly headers?: readonly HeaderSpec[];
  /** Secret holding the API token; it reaches the Job only as a secretKeyRef env var. @default none */
  readonly tokenSecretRef?: KeyRef;
  /** Header carrying the token. @default "Authorization" ("X-LAST9-API-TOKEN" with last9) */
  readonly tokenHeader?: string;
  /** Text before the token in that header. @default "Bearer " */
  readonly tokenPrefix?: string;
  /** Extra static payload fields. @default {} (with last9: workspace, namespace, entity_type, data_source_name) */
  readonly fields?: Readonly<Record<string, string>>;
  /** curl --max-time per attempt. @default 10 */
  readonly timeoutSeconds?: number;
  /** curl --retry (transient errors and HTTP 408/429/5xx). @default 3 */
  readonly retries?: number;
  readonly last9?: Last9PresetSpec;
}

/** Domain events around each weight stage, sent by one parameterised Job-metric template. */
export interface EventsSpec {
  readonly sink: EventSinkSpec;
  /** Image with sh, curl (>= 7.76) and jq. @default "docker.io/nicolaka/netshoot:v0.13" */
  readonly image?: string;
  /** Event name of a stage. `{weight}` is replaced. @default "<app>-{weight}" */
  readonly name?: string;
  /** Subscribe the Rollout to the `on-rollout-aborted` notification trigger (see docs/analysis.md). @default true */
  readonly onAbort?: boolean;
  /** A failed event Job aborts the rollout. `false` runs the event metric as dry-run. @default true */
  readonly required?: boolean;
}

export interface CanaryAppSpec {
  readonly image: ImageSpec | string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default { http: 8080, servicePort: 80 } */
  readonly ports?: PortsSpec;
  /** @default [] */
  readonly env?: readonly EnvVar[];
  /** @default none (the image's entrypoint) */
  readonly command?: readonly string[];
  /** @default none */
  readonly args?: readonly string[];
  readonly resources?: ResourcesSpec;
  readonly probes?: ProbesSpec;
  readonly security?: ContainerSecuritySpec;
  /** @default {} */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** @default {} */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  readonly serviceAccount?: ServiceAccountSpec;
  /** @default controller default (10) */
  readonly revisionHistoryLimit?: number;
  readonly services?: ServicesSpec;
  /** @default none (required with NGINX traffic routing) */
  readonly ingress?: IngressSpec;
  /** @default none: replica-weighted canary */
  readonly trafficRouting?: TrafficRoutingSpec;
  readonly canary: CanarySpec;
  /** @default [] */
  readonly analysisTemplates?: readonly AnalysisTemplateSpec[];
  /** @default enabled when a metrics port is set */
  readonly serviceMonitor?: ServiceMonitorSpec;
  /** Default Prometheus for analysis. @default none */
  readonly prometheus?: PrometheusSpec;
  /** Domain events (start/stop per weight stage, stop on abort). @default none */
  readonly events?: EventsSpec;
}
