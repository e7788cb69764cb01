/**
 * The Argo Rollouts metric providers beyond Prometheus, web and Job, field for field as the controller
 * (v1.9.1, `pkg/apis/rollouts/v1alpha1/analysis_types.go` and `metricproviders/<provider>`) reads them.
 * None of them has a field for a credential: each provider reads its own from a Secret (named in the
 * field descriptions), so a token can never be written into a template. Cross-field rules (Datadog's
 * query/queries/formula, Kayenta's scope times) are in rules/providers.ts.
 */
import { z } from 'zod';
import { EXTERNAL_PROVIDER_KEYS, type ExternalProviderKey } from './constants';
import { field, required } from './fields';
import { DEFAULTS } from './defaults';
import { GO_DURATION } from './patterns';

const str = () => z.string().min(1, { error: 'must not be empty' });
const duration = () => z.string().regex(GO_DURATION, { error: 'is not a duration such as 30s, 5m or 1h30m' });
const posInt = () => z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(1, { error: 'must be >= 1' });
const url = () => z.url({ error: 'is not a URL' });
/** A Secret in the controller's namespace (`argo-rollouts`), named by the provider. */
const secretName = () => z.string().max(253, { error: 'is longer than 253 characters' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: 'is not a Secret name (DNS-1123 subdomain)' });

export const datadogProvider = z.strictObject({
  // Both defaults are the CRD's (the API server would add them), written out so the manifest is what runs.
  apiVersion: field(z.enum(['v1', 'v2']), { description: 'Datadog API: `v1` (/api/v1/query, one `query`) or `v2` (/api/v2/query/scalar, `query` or `queries` + `formula`); Datadog deprecates v1.', default: DEFAULTS.datadog.apiVersion }),
  interval: field(duration(), { description: 'Time window queried (not the measurement interval).', default: DEFAULTS.datadog.interval }),
  query: field(str(), { description: 'Datadog metric query, e.g. `sum:requests.error{service:web,version:{{args.canary-hash}}}.as_count()`. Exactly one of query and queries.' }),
  queries: field(z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'is not a Datadog query name (lower case letter, then letters, digits, _)' }), str()),
    { description: 'v2 only: named queries combined by `formula`, e.g. `{ errors: "...", total: "..." }`. Exactly one of query and queries.' }),
  formula: field(str(), { description: 'v2 only: formula over the names of `queries`, e.g. `errors / total`; required with more than one query.' }),
  aggregator: field(z.enum(['avg', 'min', 'max', 'sum', 'last', 'percentile', 'mean', 'l2norm', 'area']), { description: 'v2 only: how a metric query is reduced to one value. Default: controller default (last).' }),
  secretRef: field(z.strictObject({
    name: required(secretName(), 'Secret with the keys `api-key`, `app-key` and optionally `address`.'),
    namespaced: field(z.boolean(), { description: 'The Secret is in the AnalysisRun\'s namespace instead of the controller\'s.', default: false }),
  }), { description: 'The Secret holding the credentials. Default: the Secret `datadog` in the controller\'s namespace (or the controller\'s DD_API_KEY/DD_APP_KEY environment).' }),
}).meta({ description: 'A Datadog metric query. Credentials only from a Secret (`secretRef`, default `datadog`).' });

export const newRelicProvider = z.strictObject({
  query: required(str(), 'NRQL query, e.g. `FROM Transaction SELECT percentage(count(*), WHERE httpResponseCode >= 500) WHERE appName = \'web\' AND version = \'{{args.canary-hash}}\'`.'),
  profile: field(secretName(), { description: 'Secret in the controller\'s namespace with `personal-api-key`, `account-id` and optionally `region`, `base-url-rest`, `base-url-nerdgraph`. Default: controller default (`newrelic`).' }),
  timeout: field(posInt(), { description: 'NRQL query timeout in seconds. Default: controller default (New Relic\'s 5).' }),
}).meta({ description: 'A New Relic NRQL query.' });

const cloudWatchQuery = z.strictObject({
  id: required(z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, { error: 'is not a CloudWatch query id (lower case letter, then letters, digits, _)' }), 'Id of the query; expressions refer to it.'),
  expression: field(str(), { description: 'Metric math or Metrics Insights expression over other queries\' ids, e.g. `errors / requests * 100`. Exactly one of expression and metricStat.' }),
  label: field(z.string(), { description: 'Label of the returned series. Default: none.' }),
  metricStat: field(z.strictObject({
    metric: required(z.strictObject({
      namespace: field(str(), { description: 'CloudWatch namespace, e.g. `AWS/ApplicationELB`.' }),
      metricName: required(str(), 'Metric name, e.g. `HTTPCode_Target_5XX_Count`.'),
      dimensions: field(z.array(z.strictObject({ name: required(str(), 'Dimension name.'), value: required(str(), 'Dimension value; may contain `{{args.x}}`.') })),
        { description: 'Dimensions selecting the series.', default: [] }),
    }), 'The metric.'),
    period: required(z.union([posInt(), z.string().regex(/^[0-9]+$/, { error: 'is not a number of seconds' })]), 'Period in seconds (60 or a multiple of 60 for standard resolution).'),
    stat: required(str(), 'Statistic, e.g. `Sum`, `Average`, `p99`.'),
    unit: field(str(), { description: 'Unit, e.g. `Count`. Default: none.' }),
  }), { description: 'A metric and statistic. Exactly one of expression and metricStat.' }),
  period: field(posInt(), { description: 'Period in seconds of an expression query. Default: none.' }),
  returnData: field(z.boolean(), { description: 'Return this query\'s values (false for inputs of an expression). Default: AWS default (true).' }),
}).refine((q) => (q.expression === undefined) !== (q.metricStat === undefined), { error: 'must set exactly one of expression and metricStat' });
export const cloudWatchProvider = z.strictObject({
  interval: field(duration(), { description: 'Time window queried. Default: controller default (5m).' }),
  metricDataQueries: required(z.array(cloudWatchQuery).min(1, { error: 'must list at least one query' }), 'GetMetricData queries; the ones returning data are the result.'),
}).meta({ description: 'An AWS CloudWatch GetMetricData query. Credentials: the controller\'s AWS identity (IRSA or its environment); nothing in the template.' });

export const graphiteProvider = z.strictObject({
  address: required(url(), 'Graphite address, e.g. `http://graphite.monitoring:8080`.'),
  query: required(str(), 'Graphite target, e.g. `asPercent(sumSeries(web.{{args.canary-hash}}.errors), sumSeries(web.{{args.canary-hash}}.requests))`.'),
}).meta({ description: 'A Graphite render query (no authentication).' });

export const influxdbProvider = z.strictObject({
  query: required(str(), 'Flux query, e.g. `from(bucket: "app") |> range(start: -5m) |> filter(fn: (r) => r.hash == "{{args.canary-hash}}") |> mean()`.'),
  profile: field(secretName(), { description: 'Secret in the controller\'s namespace with `authToken`, `org` and `address`. Default: controller default (`influxdb`).' }),
}).meta({ description: 'An InfluxDB 2 Flux query.' });

export const wavefrontProvider = z.strictObject({
  address: required(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, { error: 'is not a host name such as example.wavefront.com' }),
    'Wavefront host, e.g. `example.wavefront.com`; the key of its token in the Secret `wavefront-api-tokens` (controller\'s namespace).'),
  query: required(str(), 'Wavefront query, e.g. `sum(rate(ts(http.errors, hash="{{args.canary-hash}}")))`.'),
}).meta({ description: 'A Wavefront (VMware Aria Operations for Applications) query.' });

const kayentaScopeDetail = z.strictObject({
  scope: required(str(), 'Scope (e.g. the canary or baseline ReplicaSet\'s label value, `{{args.canary-hash}}`).'),
  region: required(str(), 'Region of the scope.'),
  step: required(posInt(), 'Step in seconds between data points.'),
  start: field(str(), { description: 'Start time (RFC 3339). Default: the AnalysisRun\'s start (with `lookback`) or the measurement\'s.' }),
  end: field(str(), { description: 'End time (RFC 3339). Default: the measurement\'s time.' }),
});
export const kayentaProvider = z.strictObject({
  address: required(url(), 'Kayenta address, e.g. `http://kayenta.kayenta:8090`.'),
  application: required(str(), 'Application name in Kayenta.'),
  canaryConfigName: required(str(), 'Name of the canary config Kayenta judges with.'),
  metricsAccountName: required(str(), 'Kayenta metrics account.'),
  configurationAccountName: required(str(), 'Kayenta configuration account.'),
  storageAccountName: required(str(), 'Kayenta storage account.'),
  threshold: required(z.strictObject({
    pass: required(z.number().int().min(0).max(100), 'Lowest score (0..100) that passes.'),
    marginal: required(z.number().int().min(0).max(100), 'Lowest score (0..100) that is inconclusive rather than failed.'),
  }).refine((t) => t.marginal <= t.pass, { error: 'marginal must not be above pass', params: { whole: true } }), 'Score thresholds.'),
  scopes: required(z.array(z.strictObject({
    name: required(str(), 'Scope name in the canary config (e.g. `default`).'),
    controlScope: required(kayentaScopeDetail, 'The baseline (control) pods.'),
    experimentScope: required(kayentaScopeDetail, 'The canary (experiment) pods.'),
  })).min(1, { error: 'must list at least one scope' }), 'Control and experiment scopes.'),
  lookback: field(z.boolean(), { description: 'Judge from the AnalysisRun\'s start instead of over the last interval.', default: false }),
}).meta({ description: 'A Kayenta canary judgement (Mann-Whitney over the canary config\'s metrics); the score decides, not conditions.' });

/** `<namespace>/<name>`, as `metricProviderPlugins[].name` in the controller's argo-rollouts-config. */
export const PLUGIN_NAME = /^[a-zA-Z0-9_.-]+\/[a-zA-Z0-9_.-]+$/;
export const pluginProvider = z.record(z.string().regex(PLUGIN_NAME, { error: 'is not a plugin name `<namespace>/<name>` as in metricProviderPlugins' }), z.record(z.string(), z.json()))
  .refine((p) => Object.keys(p).length === 1, { error: 'must name exactly one plugin', params: { whole: true } })
  .meta({ description: 'A metric plugin, `{ "<namespace>/<name>": { ...its config } }`; the plugin must be listed in the controller\'s argo-rollouts-config `metricProviderPlugins`.' });

/** The providers of this file, keyed as in the AnalysisTemplate (and in the spec). */
export const externalProviders = {
  datadog: field(datadogProvider, { description: 'A Datadog query (v1 or v2 API).' }),
  newRelic: field(newRelicProvider, { description: 'A New Relic NRQL query.' }),
  cloudWatch: field(cloudWatchProvider, { description: 'An AWS CloudWatch query.' }),
  graphite: field(graphiteProvider, { description: 'A Graphite query.' }),
  influxdb: field(influxdbProvider, { description: 'An InfluxDB Flux query.' }),
  wavefront: field(wavefrontProvider, { description: 'A Wavefront query.' }),
  kayenta: field(kayentaProvider, { description: 'A Kayenta judgement.' }),
  plugin: field(pluginProvider, { description: 'A metric provider plugin.' }),
} satisfies Record<ExternalProviderKey, z.ZodType>;
// Every provider here is in the key list of constants.ts (and by the `satisfies` above, every key has a
// provider); a test keeps their order the same.
const SAME_KEYS: [keyof typeof externalProviders] extends [ExternalProviderKey] ? true : never = true;
void SAME_KEYS;
export { EXTERNAL_PROVIDER_KEYS, type ExternalProviderKey };
