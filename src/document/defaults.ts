/**
 * Every literal default of the spec, declared once. The schema publishes each one next to its field (JSON
 * Schema `default`, see `field` in schema.ts); resolve, the event and metric compilers and the targets
 * read the same values from here. A default that is computed (the app name, four scrape intervals) or the
 * controller's own (it applies when the field is left out of the manifest) is worded in the field's
 * description instead, and has no entry here.
 */
export const DEFAULTS = {
  namespace: 'default',
  replicas: 1,
  /** autoscaling.minReplicas: two pods, so one eviction or one failing node never takes the app down. */
  minReplicas: 2,
  spreadMaxSkew: 1,
  spreadWhenUnsatisfiable: 'ScheduleAnyway',
  /** workloadRef.scaleDown: the controller's own default, so a migration never removes capacity unasked. */
  workloadScaleDown: 'never',
  pullPolicy: 'IfNotPresent',
  httpPort: 8080,
  servicePort: 80,
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
  runAsNonRoot: true,
  /**
   * A numeric non-root user and group, as cdk8s-plus sets them (above 9999, so no host account): with
   * runAsNonRoot alone, an image whose user is root or a name (`USER app`) never starts ("container has
   * runAsNonRoot and image will run as root"); the kubelet can verify only a number.
   */
  runAsUser: 25000,
  runAsGroup: 26000,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  seccompProfile: 'RuntimeDefault',
  createServiceAccount: true,
  automountServiceAccountToken: false,
  serviceType: 'ClusterIP',
  ingressClassName: 'nginx',
  ingressPath: '/',
  ingressPathType: 'Prefix',
  istio: { create: true, routeName: 'primary', canarySubsetName: 'canary', stableSubsetName: 'stable' },
  /** Pause after each weight of the `weights` schedule: wait for promotion. */
  weightPause: 'manual',
  scrapeInterval: '30s',
  /** A ServiceMonitor's scrape timeout is its interval, capped at this many seconds. */
  maxScrapeTimeoutSeconds: 10,
  metricsPath: '/metrics',
  clusterScopedTemplate: false,
  webMethod: 'GET',
  matcherOp: '=',
  noData: 'inconclusive',
  quantile: 0.99,
  jobBackoffLimit: 0,
  /** The Datadog provider's CRD defaults (kubebuilder), emitted so the manifest is what the API server keeps. */
  datadog: { apiVersion: 'v1', interval: '5m' },
  jobActiveDeadlineSeconds: 300,
  jobTtlSecondsAfterFinished: 3600,
  events: {
    /**
     * A well-known image with sh, curl 8 and jq, pinned by tag (nicolaka/netshoot, Alpine based). Pin a
     * digest in `events.image` where the registry allows resolving one.
     */
    image: 'docker.io/nicolaka/netshoot:v0.13',
    onAbort: true,
    required: true,
  },
  eventSink: { method: 'POST', tokenHeader: 'Authorization', tokenPrefix: 'Bearer ', timeoutSeconds: 10, retries: 3 },
  notifications: { method: 'POST', tokenHeader: 'Authorization', tokenPrefix: 'Bearer ', smtpPort: 587, maxSinkName: 30 },
  /** What the Last9 preset sets instead of the sink's defaults, and its own default. */
  last9: { method: 'PUT', tokenHeader: 'X-LAST9-API-TOKEN', entityType: 'service' },
} as const;

/**
 * Defaults the Argo Rollouts controller applies to fields canarykit leaves out of the manifest
 * (utils/defaults), where a rule must reason about them.
 */
export const CONTROLLER_DEFAULTS = {
  revisionHistoryLimit: 10,
  progressDeadlineSeconds: 600,
  maxSurge: '25%',
} as const;
