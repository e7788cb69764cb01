/**
 * The canarykit application spec: one document describes one application's whole canary setup.
 *
 * The same structure is used from TypeScript (`new CanaryApp(chart, 'web', spec)`) and from YAML files
 * (`apiVersion: canarykit.dev/v1alpha1`, `kind: CanaryApp`). The types are inferred from the zod schema in
 * `schema.ts`, which also holds every field's description and default (published in the JSON Schema), so
 * types, validation and documentation cannot drift. They are deeply readonly, so `as const` literals
 * type-check.
 */
import type { z } from 'zod';
import type * as s from './schema';
import type * as n from './notifications';
import type * as p from './providers';
import type * as l from './library';

export { API_VERSION, KIND } from './constants';

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
/** The parsed, readonly form of a schema. */
type Spec<S extends z.ZodType> = DeepReadonly<z.output<S>>;

/** A Go duration as the Argo Rollouts controller parses it, e.g. `30s`, `5m`, `1h30m`. */
export type Duration = string;
/** Any JSON value. */
export type JsonValue = Spec<ReturnType<typeof z.json>>;

export type CanaryAppDocument = Spec<typeof s.documentSchema>;
export type AppMetadata = Spec<typeof s.metadataSchema>;
export type CanaryAppSpec = Spec<typeof s.specSchema>;

export type ImageSpec = Spec<typeof s.imageSpec>;
export type PortsSpec = Spec<typeof s.ports>;
export type ObjectFieldSelector = Spec<typeof s.fieldRef>;
export type KeyRef = Spec<typeof s.keyRef>;
export type ResourceFieldRef = Spec<typeof s.resourceFieldRef>;
export type EnvVar = Spec<typeof s.envVar>;
export type ResourcesSpec = Spec<typeof s.resources>;
export type ResourceList = NonNullable<ResourcesSpec['requests']>;
export type ProbeSpec = Spec<typeof s.probe>;
export type ProbesSpec = Spec<typeof s.probes>;
export type ContainerSecuritySpec = Spec<typeof s.security>;
export type ServiceAccountSpec = Spec<typeof s.serviceAccount>;
export type ServiceSpec = Spec<typeof s.serviceSpec>;
export type ServicesSpec = Spec<typeof s.services>;
export type IngressSpec = Spec<typeof s.ingress>;
export type NginxRoutingSpec = Spec<typeof s.nginxRouting>;
export type IstioRoutingSpec = Spec<typeof s.istioRouting>;
export type GatewayApiRoutingSpec = Spec<typeof s.gatewayApiRouting>;
export type GatewayRouteSpec = Spec<typeof s.gatewayRoute>;
export type ParentRefSpec = Spec<typeof s.parentRef>;
export type RouteMatchSpec = Spec<typeof s.routeMatch>;
export type ExistingRouteSpec = Spec<typeof s.existingRoute>;
export type TrafficRoutingSpec = Spec<typeof s.trafficRouting>;
export type PodMetadataSpec = Spec<typeof s.podMetadata>;

export type RolloutAnalysisArg = Spec<typeof s.rolloutArg>;
export type TemplateRef = Spec<typeof s.templateRef>;
export type StepAnalysisSpec = Spec<typeof s.stepAnalysis>;
export type BackgroundAnalysisSpec = Spec<typeof s.backgroundAnalysis>;
export type SetCanaryScale = Spec<typeof s.setCanaryScale>;
export type StringMatch = Spec<typeof s.stringMatch>;
export type SetHeaderRoute = Spec<typeof s.setHeaderRoute>;
export type SetMirrorRoute = Spec<typeof s.setMirrorRoute>;
export type CanaryStep = Spec<typeof s.step>;
export type CanarySpec = Spec<typeof s.canary>;
export type BlueGreenSpec = Spec<typeof s.blueGreen>;

export type SecretArgSource = Spec<typeof s.secretArgSource>;
export type TemplateArg = Spec<typeof s.templateArg>;
export type HeaderSpec = Spec<typeof s.header>;
export type PrometheusProviderSpec = Spec<typeof s.prometheusProvider>;
export type WebProviderSpec = Spec<typeof s.webProvider>;
export type JobProviderSpec = Spec<typeof s.jobProvider>;
export type ProviderSpec = Spec<typeof s.provider>;
export type LabelMatcherSpec = Spec<typeof s.labelMatcher>;
export type NoDataPolicy = Spec<typeof s.noData>;
export type PrometheusConnectionSpec = Spec<typeof s.prometheusConnection>;
export type BuiltinPrometheusMetricSpec = Spec<typeof s.builtinPrometheusMetric>;
export type SuccessRateSpec = Spec<typeof s.successRate>;
export type LatencySpec = Spec<typeof s.latency>;
export type ToleranceSpec = Spec<typeof s.tolerance>;
export type ErrorRatioVsStableSpec = Spec<typeof s.errorRatioVsStable>;
export type LatencyVsStableSpec = Spec<typeof s.latencyVsStable>;
export type DatadogProviderSpec = Spec<typeof p.datadogProvider>;
export type CloudWatchProviderSpec = Spec<typeof p.cloudWatchProvider>;
export type KayentaProviderSpec = Spec<typeof p.kayentaProvider>;
export type PromQLTestSeries = Spec<typeof s.promqlTestSeries>;
export type PromQLTestSpec = Spec<typeof s.promqlTest>;
export type MetricSpec = Spec<typeof s.metric>;
export type AnalysisTemplateSpec = Spec<typeof s.analysisTemplate>;

export type ServiceMonitorSpec = Spec<typeof s.serviceMonitor>;
export type PrometheusSpec = Spec<typeof s.prometheus>;
export type Last9PresetSpec = Spec<typeof s.last9Preset>;
export type EventSinkSpec = Spec<typeof s.eventSink>;
export type EventsSpec = Spec<typeof s.events>;

export type EnvFromSpec = Spec<typeof s.production.envFromSource>;
export type ExtraContainerSpec = Spec<typeof s.production.extraContainer>;
export type VolumeSpec = Spec<typeof s.production.volume>;
export type LifecycleSpec = Spec<typeof s.production.lifecycle>;
export type TolerationSpec = Spec<typeof s.production.toleration>;
export type SpreadSpec = Spec<typeof s.production.spread>;
export type AffinitySpec = Spec<typeof s.production.affinity>;
export type SchedulingSpec = Spec<typeof s.production.scheduling>;
export type CustomMetricSpec = Spec<typeof s.production.customMetric>;
export type AutoscalingSpec = Spec<typeof s.production.autoscaling>;
export type PodDisruptionBudgetSpec = Spec<typeof s.production.podDisruptionBudget>;
export type AntiAffinitySpec = Spec<typeof s.production.antiAffinity>;
export type WorkloadRefSpec = Spec<typeof s.production.workloadRef>;
export type NotificationsSpec = Spec<typeof n.notifications>;
export type NotificationSinkSpec = Spec<typeof n.notificationSink>;
export type WebhookSinkSpec = Spec<typeof n.webhookSink>;

export type AnalysisLibraryDocument = Spec<typeof l.libraryDocumentSchema>;
export type LibraryMetadata = Spec<typeof l.libraryMetadata>;
export type AnalysisLibrarySpec = Spec<typeof l.librarySpec>;
export type LibraryTemplateSpec = Spec<typeof l.libraryTemplate>;
