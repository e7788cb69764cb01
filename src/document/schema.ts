/**
 * The zod schema of the spec: shapes, types, ranges and formats. Cross-field rules (references between
 * steps, templates and args) live in `validate.ts`, which runs only on input this schema accepted.
 *
 * Every object is strict: an unknown key is an error, because a misspelt field silently ignored is how
 * hand-written charts drift.
 */
import { z } from 'zod';
import type * as t from './types';
import {
  DNS1123_LABEL, DNS1123_SUBDOMAIN, DNS1035_LABEL, ENV_NAME, GO_DURATION, LABEL_VALUE, labelKeyProblems, MAX_APP_NAME,
  MAX_KEY_NAME, QUALIFIED_NAME, QUANTITY,
} from './patterns';

const str = () => z.string().min(1, { error: 'must not be empty' });
const intIn = (min: number, max: number) =>
  z.number({ error: 'must be a number' }).int({ error: 'must be an integer' })
    .min(min, { error: `is not in ${min}..${max}` }).max(max, { error: `is not in ${min}..${max}` });
const nonNegInt = () => z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(0, { error: 'must be >= 0' });
const posInt = () => z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(1, { error: 'must be >= 1' });
const port = () => intIn(1, 65535);

const dnsLabel = (max = 63) => z.string()
  .max(max, { error: `is longer than ${max} characters` })
  .regex(DNS1123_LABEL, { error: 'is not a DNS-1123 label (lower case alphanumerics and "-", starting and ending alphanumeric)' });
const dns1035 = () => z.string()
  .max(63, { error: 'is longer than 63 characters' })
  .regex(DNS1035_LABEL, { error: 'is not a DNS-1035 label (lower case alphanumerics and "-", starting with a letter)' });
const subdomain = () => z.string()
  .max(253, { error: 'is longer than 253 characters' })
  .regex(DNS1123_SUBDOMAIN, { error: 'is not a DNS-1123 subdomain' });
const duration = () => z.string().regex(GO_DURATION, { error: 'is not a duration such as 30s, 5m or 1h30m' });
const quantity = () => z.string().regex(QUANTITY, { error: 'is not a Kubernetes quantity such as 100m or 128Mi' });
const intOrPercent = () => z.union([nonNegInt(), z.string().regex(/^[0-9]+%$/, { error: 'is not an integer or a percentage such as 25%' })]);

/**
 * A label or annotation key: the shape is a pattern (so the JSON Schema carries it), the lengths of name
 * part and prefix are checked once the shape is right. Every label and annotation map is built from it.
 */
export const labelKey = z.string().regex(QUALIFIED_NAME, { error: 'is not a valid label/annotation key' })
  .check(z.superRefine((key, ctx) => {
    for (const message of labelKeyProblems(key)) ctx.addIssue({ code: 'custom', message });
  }, { when: (payload) => payload.issues.length === 0 }));
export const labels = () => z.record(labelKey, z.string().max(63, { error: 'is longer than 63 characters' })
  .regex(LABEL_VALUE, { error: 'is not a valid label value (alphanumerics and "-_." starting and ending alphanumeric)' }));
export const annotations = () => z.record(labelKey, z.string());
/** An annotation name the NGINX router prefixes itself (`canary-by-header`), so it has no prefix of its own. */
export const unprefixedAnnotationName = z.string()
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, { error: 'is not an annotation name (without prefix)' })
  .max(MAX_KEY_NAME, { error: (issue) => `is ${String(issue.input).length} characters, more than ${MAX_KEY_NAME}` });

const keyRef = z.strictObject({ name: subdomain(), key: z.string().regex(/^[-._a-zA-Z0-9]+$/, { error: 'is not a valid Secret/ConfigMap key' }) });
const fieldRef = z.strictObject({ fieldPath: str() });

const envVar: z.ZodType<t.EnvVar> = z.strictObject({
  name: z.string().regex(ENV_NAME, { error: 'is not a valid environment variable name' }),
  value: z.string().optional(),
  valueFrom: z.strictObject({
    fieldRef: fieldRef.optional(),
    resourceFieldRef: z.strictObject({ resource: str(), divisor: quantity().optional() }).optional(),
    secretKeyRef: keyRef.optional(),
    configMapKeyRef: keyRef.optional(),
  }).refine((v) => Object.keys(v).length === 1, { error: 'must set exactly one of fieldRef, resourceFieldRef, secretKeyRef, configMapKeyRef' }).optional(),
}).refine((v) => (v.value === undefined) !== (v.valueFrom === undefined), { error: 'must set exactly one of value and valueFrom' });

const resourceList = z.strictObject({ cpu: quantity().optional(), memory: quantity().optional(), 'ephemeral-storage': quantity().optional() });

const portRef = z.union([port(), z.string().regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, { error: 'is not a port name' }).max(15)]);
const probe: z.ZodType<t.ProbeSpec> = z.strictObject({
  httpGet: z.strictObject({ path: z.string().regex(/^\//, { error: 'must start with /' }), port: portRef.optional(), scheme: z.enum(['HTTP', 'HTTPS']).optional() }).optional(),
  tcpSocket: z.strictObject({ port: portRef.optional() }).optional(),
  exec: z.strictObject({ command: z.array(str()).min(1, { error: 'must not be empty' }) }).optional(),
  initialDelaySeconds: nonNegInt().optional(),
  periodSeconds: posInt().optional(),
  timeoutSeconds: posInt().optional(),
  failureThreshold: posInt().optional(),
  successThreshold: posInt().optional(),
}).refine((p) => [p.httpGet, p.tcpSocket, p.exec].filter((x) => x !== undefined).length === 1, { error: 'must set exactly one of httpGet, tcpSocket, exec' });

const image: z.ZodType<t.ImageSpec | string> = z.union([
  str(),
  z.strictObject({
    registry: z.string().regex(/^[a-zA-Z0-9.-]+(:[0-9]+)?$/, { error: 'is not a registry host' }).optional(),
    repository: z.string().regex(/^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/, { error: 'is not an image repository (lower case path)' }),
    tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'is not an image tag' }).optional(),
    digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, { error: 'is not a sha256 digest' }).optional(),
    pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  }),
]);

const serviceSpec = z.strictObject({ name: dns1035().optional(), annotations: annotations().optional() });

const rolloutArg: z.ZodType<t.RolloutAnalysisArg> = z.strictObject({
  name: str(),
  value: z.string().optional(),
  valueFrom: z.strictObject({
    podTemplateHashValue: z.enum(['Latest', 'Stable']).optional(),
    fieldRef: fieldRef.optional(),
  }).refine((v) => Object.keys(v).length === 1, { error: 'must set exactly one of podTemplateHashValue, fieldRef' }).optional(),
}).refine((a) => (a.value === undefined) !== (a.valueFrom === undefined), { error: 'must set exactly one of value and valueFrom' });

const templateRef: z.ZodType<t.TemplateRef> = z.union([
  str(),
  z.strictObject({ name: str(), cluster: z.boolean().optional() }),
]);
const stepAnalysis = z.strictObject({
  templates: z.array(templateRef).min(1, { error: 'must name at least one template' }),
  args: z.array(rolloutArg).optional(),
});

const pauseDuration = z.union([nonNegInt(), duration()]);
const step: z.ZodType<t.CanaryStep> = z.strictObject({
  name: dnsLabel().optional(),
  setWeight: intIn(0, 100).optional(),
  pause: z.strictObject({ duration: pauseDuration.optional() }).optional(),
  analysis: stepAnalysis.optional(),
  setCanaryScale: z.strictObject({
    weight: intIn(0, 100).optional(),
    replicas: nonNegInt().optional(),
    matchTrafficWeight: z.boolean().optional(),
  }).refine((s) => Object.keys(s).length === 1, { error: 'must set exactly one of weight, replicas, matchTrafficWeight' }).optional(),
});

const podMetadata = z.strictObject({ labels: labels().optional(), annotations: annotations().optional() });

const canary: z.ZodType<t.CanarySpec> = z.strictObject({
  steps: z.array(step).optional(),
  weights: z.array(intIn(1, 100)).min(1, { error: 'must list at least one weight' }).optional(),
  pause: z.union([z.literal('manual'), nonNegInt(), duration()]).optional(),
  analysis: stepAnalysis.extend({ startingStep: dnsLabel().optional() }).optional(),
  canaryMetadata: podMetadata.optional(),
  stableMetadata: podMetadata.optional(),
  maxSurge: intOrPercent().optional(),
  maxUnavailable: intOrPercent().optional(),
  dynamicStableScale: z.boolean().optional(),
  abortScaleDownDelaySeconds: nonNegInt().optional(),
  scaleDownDelaySeconds: nonNegInt().optional(),
});

const header = z.strictObject({ key: z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: 'is not an HTTP header name' }), value: z.string() });

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { error: 'is not a Prometheus label name' });
const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: 'is not a Prometheus metric name' });
const fraction = () => z.number({ error: 'must be a number' }).min(0, { error: 'is not in 0..1' }).max(1, { error: 'is not in 0..1' });
const labelMatcher = z.strictObject({ label: labelName, op: z.enum(['=', '!=', '=~', '!~']).optional(), value: z.string() });
const builtinPrometheus = {
  address: z.url({ error: 'is not a URL' }).optional(),
  headers: z.array(header).optional(),
  timeout: posInt().optional(),
  canary: z.record(labelName, z.string()).refine((c) => Object.keys(c).length > 0, { error: 'must select the canary with at least one label matcher' }),
  window: duration().optional(),
  scrapeInterval: duration().optional(),
  noData: z.enum(['fail', 'inconclusive', 'pass']).optional(),
  minRequests: posInt().optional(),
};
const promqlTest: z.ZodType<t.PromQLTestSpec> = z.strictObject({
  name: str(),
  series: z.array(z.strictObject({ series: str(), values: str() })).min(1, { error: 'must list at least one series' }),
  args: z.record(z.string(), z.string()).optional(),
  evalTime: duration().optional(),
  expect: z.enum(['Successful', 'Failed', 'Inconclusive']),
});

const metric: z.ZodType<t.MetricSpec> = z.strictObject({
  name: dnsLabel(),
  interval: duration().optional(),
  count: posInt().optional(),
  initialDelay: duration().optional(),
  failureLimit: nonNegInt().optional(),
  consecutiveErrorLimit: nonNegInt().optional(),
  inconclusiveLimit: nonNegInt().optional(),
  successCondition: str().optional(),
  failureCondition: str().optional(),
  provider: z.strictObject({
    prometheus: z.strictObject({
      address: z.url({ error: 'is not a URL' }).optional(),
      query: str(),
      timeout: posInt().optional(),
      headers: z.array(header).optional(),
    }).optional(),
    web: z.strictObject({
      url: str(),
      method: z.enum(['GET', 'POST', 'PUT']).optional(),
      headers: z.array(header).optional(),
      body: z.string().optional(),
      jsonBody: z.record(z.string(), z.json()).optional(),
      jsonPath: str().optional(),
      timeoutSeconds: posInt().optional(),
    }).optional(),
    job: z.strictObject({
      image: str(),
      command: z.array(str()).min(1, { error: 'must not be empty' }),
      args: z.array(z.string()).optional(),
      env: z.array(envVar).optional(),
      backoffLimit: nonNegInt().optional(),
      activeDeadlineSeconds: posInt().optional(),
      ttlSecondsAfterFinished: nonNegInt().optional(),
    }).optional(),
    successRate: z.strictObject({
      ...builtinPrometheus,
      metric: metricName,
      success: z.union([labelMatcher, z.array(labelMatcher).min(1, { error: 'must list at least one matcher' })]),
      threshold: fraction(),
    }).optional(),
    latency: z.strictObject({
      ...builtinPrometheus,
      metric: metricName,
      quantile: fraction().optional(),
      thresholdSeconds: z.number({ error: 'must be a number' }).positive({ error: 'must be > 0' }),
    }).optional(),
  }).refine((p) => Object.keys(p).length === 1, { error: 'must set exactly one of prometheus, web, job, successRate, latency' }),
  tests: z.array(promqlTest).optional(),
});

const analysisTemplate: z.ZodType<t.AnalysisTemplateSpec> = z.strictObject({
  name: dnsLabel(),
  clusterScoped: z.boolean().optional(),
  args: z.array(z.strictObject({
    name: str(),
    value: z.string().optional(),
    valueFrom: z.strictObject({ secretKeyRef: keyRef }).optional(),
  }).refine((a) => !(a.value !== undefined && a.valueFrom !== undefined), { error: 'must not set both value and valueFrom' })).optional(),
  metrics: z.array(metric).min(1, { error: 'must define at least one metric' }),
});

const events: z.ZodType<t.EventsSpec> = z.strictObject({
  sink: z.strictObject({
    url: z.url({ error: 'is not a URL' }).optional(),
    method: z.enum(['POST', 'PUT']).optional(),
    headers: z.array(header).optional(),
    tokenSecretRef: keyRef.optional(),
    tokenHeader: header.shape.key.optional(),
    tokenPrefix: z.string().optional(),
    fields: z.record(z.string(), z.string()).optional(),
    timeoutSeconds: posInt().optional(),
    retries: nonNegInt().optional(),
    last9: z.strictObject({
      organization: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'is not an organization slug' }).optional(),
      workspace: str().optional(),
      namespace: str().optional(),
      entityType: str().optional(),
      dataSourceName: str(),
    }).optional(),
  }),
  image: str().optional(),
  name: str().optional(),
  onAbort: z.boolean().optional(),
  required: z.boolean().optional(),
});

export const specSchema: z.ZodType<t.CanaryAppSpec> = z.strictObject({
  image,
  replicas: nonNegInt().optional(),
  ports: z.strictObject({ http: port().optional(), metrics: port().optional(), servicePort: port().optional() }).optional(),
  env: z.array(envVar).optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  resources: z.strictObject({ requests: resourceList.optional(), limits: resourceList.optional() }).optional(),
  probes: z.strictObject({
    readiness: z.union([z.literal(false), probe]).optional(),
    liveness: z.union([z.literal(false), probe]).optional(),
    startup: z.union([z.literal(false), probe]).optional(),
  }).optional(),
  security: z.strictObject({
    runAsNonRoot: z.boolean().optional(),
    runAsUser: nonNegInt().optional(),
    runAsGroup: nonNegInt().optional(),
    readOnlyRootFilesystem: z.boolean().optional(),
    allowPrivilegeEscalation: z.boolean().optional(),
    addCapabilities: z.array(z.string().regex(/^[A-Z_]+$/, { error: 'is not a capability name such as NET_BIND_SERVICE' })).optional(),
    seccompProfile: z.enum(['RuntimeDefault', 'Unconfined']).optional(),
    fsGroup: nonNegInt().optional(),
  }).optional(),
  podLabels: labels().optional(),
  podAnnotations: annotations().optional(),
  serviceAccount: z.strictObject({ create: z.boolean().optional(), name: subdomain().optional(), automountToken: z.boolean().optional() }).optional(),
  revisionHistoryLimit: nonNegInt().optional(),
  services: z.strictObject({
    stable: serviceSpec.optional(),
    canary: serviceSpec.optional(),
    root: z.union([z.literal(false), serviceSpec]).optional(),
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).optional(),
  }).optional(),
  ingress: z.strictObject({
    host: subdomain(),
    className: dnsLabel().optional(),
    path: z.string().regex(/^\//, { error: 'must start with /' }).optional(),
    pathType: z.enum(['Prefix', 'Exact', 'ImplementationSpecific']).optional(),
    annotations: annotations().optional(),
    tlsSecretName: subdomain().optional(),
    name: subdomain().optional(),
  }).optional(),
  trafficRouting: z.strictObject({
    nginx: z.strictObject({
      annotationPrefix: subdomain().optional(),
      additionalIngressAnnotations: z.record(unprefixedAnnotationName, z.string()).optional(),
      canaryIngressAnnotations: annotations().optional(),
    }).optional(),
  }).optional(),
  canary,
  analysisTemplates: z.array(analysisTemplate).optional(),
  serviceMonitor: z.strictObject({
    enabled: z.boolean().optional(),
    interval: duration().optional(),
    scrapeTimeout: duration().optional(),
    path: z.string().regex(/^\//, { error: 'must start with /' }).optional(),
    selectorLabels: labels().optional(),
  }).optional(),
  prometheus: z.strictObject({ address: z.url({ error: 'is not a URL' }) }).optional(),
  events: events.optional(),
});

export const metadataSchema: z.ZodType<t.AppMetadata> = z.strictObject({
  // The app name prefixes Service names, so it must be a DNS-1035 label (starting with a letter).
  name: z.string().max(MAX_APP_NAME, { error: `is longer than ${MAX_APP_NAME} characters` })
    .regex(DNS1035_LABEL, { error: 'is not a DNS-1035 label (lower case alphanumerics and "-", starting with a letter)' }),
  namespace: dnsLabel().optional(),
  labels: labels().optional(),
  annotations: annotations().optional(),
});

export const documentSchema: z.ZodType<t.CanaryAppDocument> = z.strictObject({
  apiVersion: z.literal('canarykit.dev/v1alpha1'),
  kind: z.literal('CanaryApp'),
  metadata: metadataSchema,
  spec: specSchema,
});
