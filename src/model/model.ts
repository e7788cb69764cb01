/**
 * The resolved model: a spec with every default applied and every reference turned into an object name.
 * Constructs build objects from this model only: `resolve` applies the defaults declared with the schema
 * (document/defaults.ts), and targets that parameterise values (Helm) substitute them here, before any
 * object exists.
 */
import type * as t from '../document/types';
import type { ResolvedBuiltin } from '../analysis/metrics';
import type { ResolvedNotifications } from '../analysis/notifications';
import type { ExternalProviderKey } from '../document/constants';

export type { ResolvedBuiltin };

export type Labels = Readonly<Record<string, string>>;

export interface ResolvedContainer {
  readonly image: string;
  readonly imagePullPolicy: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: readonly t.EnvVar[];
  readonly resources: { readonly requests: t.ResourceList; readonly limits: t.ResourceList };
  readonly readinessProbe?: t.ProbeSpec;
  readonly livenessProbe?: t.ProbeSpec;
  readonly startupProbe?: t.ProbeSpec;
  readonly security: Required<Omit<t.ContainerSecuritySpec, 'runAsUser' | 'runAsGroup' | 'fsGroup'>> &
    Pick<t.ContainerSecuritySpec, 'runAsUser' | 'runAsGroup' | 'fsGroup'>;
  /** @default [] */
  readonly envFrom?: readonly ResolvedEnvFrom[];
  /** Lifecycle hooks; `{}` without any. @default {} */
  readonly lifecycle?: ResolvedLifecycle;
}

/** An `envFrom` source as Kubernetes has it (the chart's `envFrom` value takes this shape). */
export interface ResolvedEnvFrom {
  readonly prefix?: string;
  readonly configMapRef?: { readonly name: string; readonly optional?: boolean };
  readonly secretRef?: { readonly name: string; readonly optional?: boolean };
}

/** A lifecycle handler as Kubernetes has it: an httpGet's port filled in. */
export interface ResolvedHandler {
  readonly exec?: { readonly command: readonly string[] };
  readonly httpGet?: { readonly path: string; readonly port: string | number };
  readonly sleep?: { readonly seconds: number };
}

export interface ResolvedLifecycle {
  readonly preStop?: ResolvedHandler;
  readonly postStart?: ResolvedHandler;
}

/** An init container or sidecar: the app container's security, its own image and resources (defaults filled in). */
export interface ResolvedExtraContainer {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: readonly t.EnvVar[];
  readonly envFrom: readonly ResolvedEnvFrom[];
  readonly resources: ResolvedContainer['resources'];
}

/** The rest of a pod template beyond the app container (spec.initContainers, sidecars, volumes, scheduling). */
export interface ResolvedPodExtras {
  readonly initContainers: readonly ResolvedExtraContainer[];
  readonly sidecars: readonly ResolvedExtraContainer[];
  readonly volumes: readonly t.VolumeSpec[];
  readonly imagePullSecrets: readonly { readonly name: string }[];
  readonly terminationGracePeriodSeconds?: number;
  readonly nodeSelector: Labels;
  readonly tolerations: readonly t.TolerationSpec[];
  readonly topologySpreadConstraints: readonly Required<t.SpreadSpec>[];
  readonly priorityClassName?: string;
  /** The pods' affinity, as in Kubernetes; `{}` without any. */
  readonly affinity: t.AffinitySpec;
}

/** A HorizontalPodAutoscaler of the Rollout; it owns the Rollout's replicas. */
export interface ResolvedAutoscaling {
  readonly name: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilization?: number;
  readonly memoryUtilization?: number;
  readonly metrics: readonly t.CustomMetricSpec[];
}

/** The pod source: a Deployment whose template the Rollout uses (migration), instead of its own template. */
export interface ResolvedWorkloadRef {
  readonly name: string;
  readonly scaleDown: 'never' | 'onsuccess' | 'progressively';
}

/**
 * What a Service is for: the two the strategy's controller points at one ReplicaSet each (stable and
 * canary, or active and preview), and root, which selects every pod of the app.
 */
export type ServiceRole = 'stable' | 'canary' | 'active' | 'preview' | 'root';

export interface ResolvedService {
  readonly role: ServiceRole;
  readonly name: string;
  readonly annotations: Labels;
  /** Whether the metrics port is exposed: only on the Service the ServiceMonitor scrapes. */
  readonly exposeMetrics: boolean;
}

/** A template reference as the Rollout writes it. */
export interface ResolvedTemplateRef {
  readonly templateName: string;
  readonly clusterScope?: boolean;
}

export interface ResolvedAnalysis {
  readonly templates: readonly ResolvedTemplateRef[];
  readonly args: readonly t.RolloutAnalysisArg[];
}

/** A canary step in the controller's shape. */
export interface ResolvedStep {
  readonly setWeight?: number;
  readonly pause?: { readonly duration?: string | number };
  readonly analysis?: ResolvedAnalysis;
  readonly setCanaryScale?: t.SetCanaryScale;
  readonly setHeaderRoute?: t.SetHeaderRoute;
  readonly setMirrorRoute?: t.SetMirrorRoute;
}

export interface ResolvedMetric extends Omit<t.MetricSpec, 'provider'> {
  /** Set when the metric was compiled from a built-in (`successRate`, `latency`). */
  readonly builtin?: ResolvedBuiltin;
  readonly provider: {
    /** `address` unset: the controller's ARGO_ROLLOUTS_PROMETHEUS_ADDRESS environment variable applies. */
    readonly prometheus?: t.PrometheusProviderSpec;
    readonly web?: t.WebProviderSpec;
    readonly job?: Required<Pick<t.JobProviderSpec, 'backoffLimit' | 'activeDeadlineSeconds' | 'ttlSecondsAfterFinished'>> &
      t.JobProviderSpec;
  } & Pick<t.ProviderSpec, Exclude<ExternalProviderKey, 'datadog'>> & {
    readonly datadog?: t.DatadogProviderSpec & Required<Pick<t.DatadogProviderSpec, 'apiVersion' | 'interval'>>;
  };
}

export interface ResolvedTemplate {
  /** Object name. */
  readonly name: string;
  /** Spec name, for error paths and lookups. */
  readonly specName: string;
  readonly clusterScoped: boolean;
  readonly args: readonly t.TemplateArg[];
  readonly metrics: readonly ResolvedMetric[];
  /** Metrics whose failure does not fail the analysis (AnalysisTemplate `dryRun`). @default [] */
  readonly dryRun?: readonly string[];
  /** Measurements kept per metric (AnalysisTemplate `measurementRetention`). @default [] */
  readonly measurementRetention?: readonly { readonly metricName: string; readonly limit: number }[];
}

/** An AnalysisLibrary: shared templates, named as written, with the library's metadata on each. */
export interface ResolvedLibrary {
  readonly name: string;
  /** Namespace of the namespaced templates. */
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly analysisTemplates: readonly ResolvedTemplate[];
  /** Scrape interval the built-in metrics' windows and promtool cases assume. */
  readonly scrapeInterval: string;
}

export interface ResolvedServiceMonitor {
  readonly name: string;
  readonly interval: string;
  readonly scrapeTimeout: string;
  readonly path: string;
  readonly selectorLabels: Labels;
}

export interface ResolvedApp {
  readonly name: string;
  readonly namespace: string;
  /** Labels on every object. */
  readonly labels: Labels;
  /** Annotations on every object. */
  readonly annotations: Labels;
  /** The immutable pod selector. */
  readonly selectorLabels: Labels;
  /** The Rollout's replicas; with an HPA, its minReplicas (what rules reason with), and the Rollout leaves replicas out. */
  readonly replicas: number;
  readonly revisionHistoryLimit?: number;
  readonly minReadySeconds?: number;
  readonly progressDeadlineSeconds?: number;
  readonly progressDeadlineAbort?: boolean;
  readonly ports: { readonly http: number; readonly metrics?: number; readonly servicePort: number };
  /** The app container; none when the pods come from a `workloadRef`. */
  readonly container?: ResolvedContainer;
  /** The rest of the pod template (none with a `workloadRef`). */
  readonly podExtras?: ResolvedPodExtras;
  /** Set when the Rollout takes its pod template from a Deployment. */
  readonly workloadRef?: ResolvedWorkloadRef;
  readonly autoscaling?: ResolvedAutoscaling;
  readonly podDisruptionBudget?: { readonly name: string } & t.PodDisruptionBudgetSpec;
  readonly pod: {
    /** Labels of the pods beside the selector labels (which the pod template adds). */
    readonly labels: Labels;
    readonly annotations: Labels;
    readonly serviceAccountName: string;
    readonly automountServiceAccountToken: boolean;
  };
  /** The ServiceAccount to create, if any. */
  readonly serviceAccount?: { readonly name: string; readonly annotations: Labels };
  readonly services: {
    readonly type: string;
    /** Every Service, in output order: the strategy's two, then root. */
    readonly all: readonly ResolvedService[];
  };
  readonly ingress?: Required<Omit<t.IngressSpec, 'tlsSecretName' | 'previewHost' | 'host'>> & Pick<t.IngressSpec, 'host'> & {
    /** The Ingress's TLS entries as Kubernetes has them (one for the spec's tlsSecretName, else none). */
    readonly tls: readonly { readonly hosts?: readonly string[]; readonly secretName: string }[];
    readonly serviceName: string;
    /** Blue-green: a second host routed to the preview Service. */
    readonly preview?: { readonly host: string; readonly serviceName: string };
  };
  /** How the controller moves traffic between the stable and canary pods. */
  readonly routing: ResolvedRouting;
  /** The Rollout's deployment strategy. */
  readonly strategy: ResolvedStrategy;
  readonly analysisTemplates: readonly ResolvedTemplate[];
  readonly serviceMonitor?: ResolvedServiceMonitor;
  /** How often Prometheus scrapes the app: the ServiceMonitor's interval, else the default. Built-in windows and test series follow it. */
  readonly scrapeInterval: string;
  /** Notifications the app subscribes to (spec.notifications, events.onAbort); none if it subscribes to nothing. */
  readonly notifications?: ResolvedNotifications;
  /** Annotations of the Rollout only (notification subscriptions). @default {} */
  readonly rolloutAnnotations?: Labels;
}

/**
 * Strategies, one per kind of `spec.strategy` in the Rollout. A new strategy adds its member here, its
 * resolver in model/strategies/, and an entry in every `Record<ResolvedStrategy['kind'], ...>` table,
 * which the compiler then asks for (constructs, rules, Helm parameters).
 */
export type ResolvedStrategy = ResolvedCanaryStrategy | ResolvedBlueGreenStrategy;

export interface ResolvedCanaryStrategy {
  readonly kind: 'canary';
  readonly stableService: string;
  readonly canaryService: string;
  readonly steps: readonly ResolvedStep[];
  readonly analysis?: ResolvedAnalysis & { readonly startingStep?: number };
  readonly canaryMetadata: t.PodMetadataSpec;
  readonly stableMetadata: t.PodMetadataSpec;
  readonly maxSurge?: string | number;
  readonly maxUnavailable?: string | number;
  readonly dynamicStableScale?: boolean;
  readonly abortScaleDownDelaySeconds?: number;
  readonly scaleDownDelaySeconds?: number;
  readonly antiAffinity?: t.AntiAffinitySpec;
  /** Names of the routes the steps set and remove (`trafficRouting.managedRoutes`). @default [] */
  readonly managedRoutes: readonly string[];
}

export interface ResolvedBlueGreenStrategy {
  readonly kind: 'blueGreen';
  readonly activeService: string;
  readonly previewService: string;
  readonly autoPromotionEnabled?: boolean;
  readonly autoPromotionSeconds?: number;
  readonly previewReplicaCount?: number;
  readonly scaleDownDelaySeconds?: number;
  readonly abortScaleDownDelaySeconds?: number;
  readonly scaleDownDelayRevisionLimit?: number;
  readonly prePromotionAnalysis?: ResolvedAnalysis;
  readonly postPromotionAnalysis?: ResolvedAnalysis;
  readonly previewMetadata: t.PodMetadataSpec;
  readonly activeMetadata: t.PodMetadataSpec;
  readonly antiAffinity?: t.AntiAffinitySpec;
}

/**
 * Traffic routers, one per key of `spec.trafficRouting`. `none` is the basic canary: the weight is the
 * share of replicas. A new router adds its member here, its resolver in model/routers/, and an entry in
 * every `Record<ResolvedRouting['kind'], ...>` table.
 */
export type ResolvedRouting = NoRouting | ResolvedNginxRouting | ResolvedIstioRouting | ResolvedGatewayApiRouting;

export interface NoRouting {
  readonly kind: 'none';
}

export interface ResolvedNginxRouting extends t.NginxRoutingSpec {
  readonly kind: 'nginx';
  /** The Ingress the controller clones into the canary Ingress. */
  readonly stableIngress: string;
}

/** A destination of an Istio http route: a Service (host-level routing) or a subset of one. */
export interface IstioRouteDestination {
  readonly destination: { readonly host: string; readonly subset?: string; readonly port: { readonly number: number } };
  readonly weight: number;
}

/** An http route of a VirtualService canarykit creates. */
export interface IstioHttpRoute {
  readonly name: string;
  readonly route: readonly IstioRouteDestination[];
}

export interface ResolvedIstioRouting {
  readonly kind: 'istio';
  readonly virtualService: {
    readonly name: string;
    /** The routes the Rollout names (`virtualService.routes`); empty: the controller weights the only (or first unnamed) route. */
    readonly routes: readonly string[];
    /** Set when canarykit creates the VirtualService: its spec. */
    readonly created?: {
      readonly hosts: readonly string[];
      readonly gateways?: readonly string[];
      readonly http: readonly IstioHttpRoute[];
    };
  };
  /** Subset-level routing. */
  readonly destinationRule?: {
    readonly name: string;
    readonly canarySubsetName: string;
    readonly stableSubsetName: string;
    /** Set when canarykit creates the DestinationRule: the host its subsets divide. */
    readonly created?: { readonly host: string };
  };
}

/** A Gateway API `parentRefs[]` entry with its defaults spelled out (a GAMMA Service parent named). */
export interface ResolvedParentRef {
  readonly group: string;
  readonly kind: 'Gateway' | 'Service';
  readonly name: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly sectionName?: string;
}

/** An HTTPRoute match as the route writes it. */
export interface ResolvedRouteMatch {
  readonly path?: { readonly type: 'PathPrefix' | 'Exact'; readonly value: string };
  readonly headers?: readonly { readonly type: 'Exact'; readonly name: string; readonly value: string }[];
}

/**
 * Gateway API, through the Argo Rollouts plugin `argoproj-labs/gatewayAPI`: the plugin weights the
 * stable and canary backendRefs of a route, which canarykit creates (`route`) or which exists already.
 */
export interface ResolvedGatewayApiRouting {
  readonly kind: 'gatewayAPI';
  readonly routeKind: 'HTTPRoute' | 'GRPCRoute';
  readonly routeName: string;
  /** Set only for an existing route in another namespace than the app's. */
  readonly routeNamespace?: string;
  /** The route canarykit creates; none for an existing route. */
  readonly route?: {
    readonly parentRefs: readonly ResolvedParentRef[];
    readonly hostnames: readonly string[];
    readonly matches: readonly ResolvedRouteMatch[];
  };
  /** Whether the plugin may add header routes to the route (`useHeaderRoutes`): the steps use `setHeaderRoute`. */
  readonly useHeaderRoutes: boolean;
}
