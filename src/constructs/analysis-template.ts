import { Construct } from 'constructs';
import type { ResolvedMetric, ResolvedTemplate } from '../model/model';
import {
  AnalysisTemplate, AnalysisTemplateSpecMetrics, AnalysisTemplateSpecMetricsConsecutiveErrorLimit,
  AnalysisTemplateSpecMetricsCount, AnalysisTemplateSpecMetricsFailureLimit, AnalysisTemplateSpecMetricsInconclusiveLimit,
  AnalysisTemplateSpecMetricsProvider, ClusterAnalysisTemplate, ClusterAnalysisTemplateSpec,
  toJson_AnalysisTemplateProps, toJson_ClusterAnalysisTemplateProps,
} from '../../imports/argoproj.io';
import { compact, objectMeta, ObjectOwner } from './metadata';
import { podSpec } from './pod';
import { plainObject, sortedPlain } from './render';
import { EXTERNAL_PROVIDER_KEYS } from '../document/constants';

export interface CanaryAnalysisTemplateProps {
  /** The app (or AnalysisLibrary) the template belongs to (labels, namespace). */
  readonly app: ObjectOwner;
  /** The resolved template. */
  readonly template: ResolvedTemplate;
}

/** Resources of analysis Job pods: they run curl or a test binary for seconds. */
const JOB_RESOURCES = { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } };
const JOB_SECURITY = {
  runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false, addCapabilities: [], seccompProfile: 'RuntimeDefault' as const,
};

/** An AnalysisTemplate (or ClusterAnalysisTemplate) with the spec's args and metrics. */
export class CanaryAnalysisTemplate extends Construct {
  /** The template object; the construct's default child, so `ApiObject.of()` finds it. */
  public readonly apiObject: AnalysisTemplate | ClusterAnalysisTemplate;

  constructor(scope: Construct, id: string, props: CanaryAnalysisTemplateProps) {
    super(scope, id);
    const { app, template } = props;
    const meta = objectMeta(app, template.name);
    const spec = {
      args: template.args.length > 0 ? template.args.map((a) => compact({ name: a.name, value: a.value, valueFrom: a.valueFrom })) : undefined,
      metrics: template.metrics.map(metric),
      dryRun: template.dryRun?.map((name) => ({ metricName: exactly(name) })),
      measurementRetention: template.measurementRetention?.map((r) => ({ metricName: exactly(r.metricName), limit: r.limit })),
    };
    const jobs = template.metrics.map((m) => (m.provider.job ? jobSpec(app, m) : undefined));
    // Job pod specs and JSON bodies are plain JSON: set as they are, since rendering props drops nulls.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the rendered manifest is untyped JSON (see plainObject)
    const setRaw = (manifest: Record<string, any>) => {
      template.metrics.forEach((m, i) => {
        const provider = manifest.spec.metrics[i].provider;
        if (jobs[i]) provider.job.spec = jobs[i];
        if (m.provider.web?.jsonBody) provider.web.jsonBody = m.provider.web.jsonBody;
        // The other providers are the spec's own fields (CloudWatch's int-or-string periods, a plugin's
        // free-form config), which the generated converters would not keep as written.
        const external = EXTERNAL_PROVIDER_KEYS.find((k) => m.provider[k] !== undefined);
        if (external) manifest.spec.metrics[i].provider = { [external]: sortedPlain(m.provider[external]) };
      });
    };
    this.apiObject = template.clusterScoped
      // Both kinds share one schema, but cdk8s import generates distinct enum types for each. A cluster-scoped
      // object has no namespace, though the chart's namespace is added to every object's metadata.
      ? plainObject(ClusterAnalysisTemplate, toJson_ClusterAnalysisTemplateProps, this, 'Resource',
        { metadata: { ...meta, namespace: undefined }, spec: spec as unknown as ClusterAnalysisTemplateSpec },
        (manifest) => { setRaw(manifest); delete manifest.metadata.namespace; })
      : plainObject(AnalysisTemplate, toJson_AnalysisTemplateProps, this, 'Resource', { metadata: meta, spec }, setRaw);
  }
}

/**
 * A metric name as the controller's `dryRun`/`measurementRetention` regular expression that matches it
 * alone: the controller matches unanchored (regexp.MatchString) over every metric of the AnalysisRun, so a
 * plain `error` would also select `error-ratio` of a template run beside it. Names are DNS labels: no
 * character needs escaping.
 */
function exactly(name: string): string {
  return `^${name}$`;
}

function metric(m: ResolvedMetric): AnalysisTemplateSpecMetrics {
  const { prometheus, web } = m.provider;
  const provider: AnalysisTemplateSpecMetricsProvider = {
    prometheus: prometheus && {
      address: prometheus.address,
      query: prometheus.query,
      timeout: prometheus.timeout,
      headers: prometheus.headers?.map((h) => ({ key: h.key, value: h.value })),
    },
    web: web && {
      url: web.url,
      method: web.method,
      headers: web.headers?.map((h) => ({ key: h.key, value: h.value })),
      body: web.body,
      jsonPath: web.jsonPath,
      timeoutSeconds: web.timeoutSeconds,
    },
    job: m.provider.job && { spec: { template: {} } },
  };
  return {
    name: m.name,
    interval: m.interval,
    initialDelay: m.initialDelay,
    count: m.count === undefined ? undefined : AnalysisTemplateSpecMetricsCount.fromNumber(m.count),
    failureLimit: m.failureLimit === undefined ? undefined : AnalysisTemplateSpecMetricsFailureLimit.fromNumber(m.failureLimit),
    consecutiveErrorLimit: m.consecutiveErrorLimit === undefined ? undefined : AnalysisTemplateSpecMetricsConsecutiveErrorLimit.fromNumber(m.consecutiveErrorLimit),
    inconclusiveLimit: m.inconclusiveLimit === undefined ? undefined : AnalysisTemplateSpecMetricsInconclusiveLimit.fromNumber(m.inconclusiveLimit),
    successCondition: m.successCondition,
    failureCondition: m.failureCondition,
    provider,
  };
}

function jobSpec(app: ObjectOwner, m: ResolvedMetric): Record<string, unknown> {
  const job = m.provider.job!;
  return {
    backoffLimit: job.backoffLimit,
    activeDeadlineSeconds: job.activeDeadlineSeconds,
    ttlSecondsAfterFinished: job.ttlSecondsAfterFinished,
    template: {
      // Not the app's selector labels: the app's Services must never select analysis pods.
      metadata: { labels: { 'app.kubernetes.io/part-of': app.name, 'app.kubernetes.io/component': 'analysis', 'canarykit.dev/metric': m.name } },
      spec: podSpec({
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        security: JOB_SECURITY,
        containers: [{
          name: m.name,
          image: job.image,
          imagePullPolicy: 'IfNotPresent',
          command: job.command,
          args: job.args,
          env: job.env,
          resources: JOB_RESOURCES,
          security: JOB_SECURITY,
        }],
      }),
    },
  };
}
