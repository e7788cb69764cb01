/**
 * The parameter table: which fields of the resolved model become chart values, under which key, with
 * which schema. Defaults are read from the model itself, so a chart rendered with its default values
 * is the YAML target's output by construction. Add a row here to expose a new field; nothing else in
 * the Helm target knows about individual fields.
 */
import type * as t from '../../document/types';
import type { ResolvedApp, ResolvedBuiltin } from '../../model/model';
import { thresholdConditions } from '../../analysis/conditions';
import { DNS1123_SUBDOMAIN, INGRESS_HOST, LABEL_VALUE, QUANTITY } from '../../document/patterns';
import { EVENT_TEMPLATE } from '../../analysis/events';
import { routedIngress } from '../../model/routers';
import { JsonSchema, valuesExpr } from './values';
import { ChartParameters, DURATION, get, ModelPath, pattern, STRING_MAP, Table } from './table';
import { routerParameters } from './routers';
import { strategyParameters } from './strategies';
import { closed, NAME, productionParameters } from './production';

const INGRESS_TLS: JsonSchema = { type: 'array', items: closed({ secretName: pattern(DNS1123_SUBDOMAIN), hosts: { type: 'array', items: NAME } }, ['secretName']) };
const QUANTITIES: JsonSchema = { type: 'object', additionalProperties: { anyOf: [pattern(QUANTITY), { type: 'number', minimum: 0 }] } };

/** Image reference parts as values; a string image is split so each part can be overridden. */
export function imageParts(image: t.ImageSpec | string): { registry: string; repository: string; tag: string; digest: string } {
  if (typeof image !== 'string') {
    // A digest wins over the tag (resolve.imageRef), so the tag is left out rather than rendered beside it.
    return { registry: image.registry ?? '', repository: image.repository, tag: image.digest ? '' : image.tag ?? '', digest: image.digest ?? '' };
  }
  const [name, digest = ''] = image.split('@');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const [repoPath, tag] = colon > slash ? [name.slice(0, colon), name.slice(colon + 1)] : [name, ''];
  const first = repoPath.split('/')[0];
  const hasRegistry = repoPath.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasRegistry
    ? { registry: first, repository: repoPath.slice(first.length + 1), tag, digest }
    : { registry: '', repository: repoPath, tag, digest };
}

export function chartParameters(meta: t.AppMetadata, spec: t.CanaryAppSpec, model: ResolvedApp, imageExpr: string): ChartParameters {
  const table = new Table(model);
  table.value(['fullnameOverride'], 'Prefix of every object name; empty means the release name.', pattern(/^([a-z]([-a-z0-9]*[a-z0-9])?)?$/), '');

  if (spec.image !== undefined) {
    const image = imageParts(spec.image);
    table.value(['image', 'registry'], 'Registry host; empty to use the repository as is.', { type: 'string' }, image.registry);
    table.value(['image', 'repository'], 'Image repository.', { type: 'string', minLength: 1 }, image.repository);
    table.value(['image', 'tag'], 'Image tag; ignored when a digest is set.', { type: ['string', 'integer'], not: { const: 'latest' } }, image.tag);
    table.value(['image', 'digest'], 'Image digest (sha256:...); pins the image and wins over the tag.', pattern(/^(sha256:[a-f0-9]{64})?$/), image.digest);
    table.bindings.push({ model: ['container', 'image'], expr: imageExpr, form: 'scalar' });
  }
  // With an HPA the Rollout has no replicas to set: the HPA's bounds are the values.
  if (!model.autoscaling) table.field(['replicas'], ['replicas'], 'Pods at full promotion.', { type: 'integer', minimum: 0 });
  if (model.container) {
    table.field(['container', 'resources'], ['resources'], 'Container resource requests and limits.', {
      type: 'object', additionalProperties: false, required: ['requests', 'limits'], properties: { requests: QUANTITIES, limits: QUANTITIES },
    });
  }
  productionParameters(table);

  if (model.ingress) {
    // An Ingress a router reads (NGINX clones it) cannot be switched off.
    if (routedIngress(model.routing) === undefined) table.toggle('Ingress', ['ingress', 'enabled'], 'Create the Ingress.');
    if (model.ingress.host !== undefined) table.field(['ingress', 'host'], ['ingress', 'host'], 'Host the Ingress routes.', pattern(INGRESS_HOST));
    if (model.ingress.preview) table.field(['ingress', 'preview', 'host'], ['ingress', 'previewHost'], 'Host routed to the preview Service before promotion.', pattern(INGRESS_HOST));
    table.field(['ingress', 'className'], ['ingress', 'className'], 'IngressClass of the Ingress.', pattern(DNS1123_SUBDOMAIN));
    table.field(['ingress', 'annotations'], ['ingress', 'annotations'], 'Annotations of the Ingress.', STRING_MAP, 'entries');
    table.field(['ingress', 'tls'], ['ingress', 'tls'], 'TLS of the Ingress, as in Kubernetes (and `helm create`): `[{secretName, hosts: [...]}]`.', INGRESS_TLS, 'list');
  }

  routerParameters(table, spec);
  strategyParameters(table, meta, spec);

  const address = spec.prometheus?.address;
  if (address) table.value(['prometheus', 'address'], 'Prometheus the analysis queries.', pattern(/^https?:\/\/\S+$/), address);
  model.analysisTemplates.forEach((tpl, i) => {
    if (tpl.specName === EVENT_TEMPLATE) {
      eventSink(table, ['analysisTemplates', i, 'metrics', 0, 'provider', 'job', 'env']);
      return;
    }
    tpl.metrics.forEach((m, j) => {
      const at = (field: string): ModelPath => ['analysisTemplates', i, 'metrics', j, field];
      const key = (field: string) => ['analysis', tpl.specName, m.name, field];
      if (m.provider.prometheus?.address === address && address) {
        table.bindings.push({ model: ['analysisTemplates', i, 'metrics', j, 'provider', 'prometheus', 'address'], expr: valuesExpr(['prometheus', 'address']), form: 'scalar' });
      }
      if (m.interval !== undefined) table.field(at('interval'), key('interval'), 'Time between measurements.', DURATION);
      if (m.failureLimit !== undefined) table.field(at('failureLimit'), key('failureLimit'), 'Failed measurements tolerated before the analysis fails.', { type: 'integer', minimum: 0 });
      if (m.builtin) {
        // A canary-vs-stable metric's tolerance is inside its query; only fixed thresholds are values.
        if (m.builtin.kind === 'successRate' || m.builtin.kind === 'latency') threshold(table, ['analysisTemplates', i, 'metrics', j], ['analysis', tpl.specName, m.name], m.builtin);
        return;
      }
      if (m.successCondition !== undefined) table.field(at('successCondition'), key('successCondition'), 'Condition on `result` a measurement must meet (the threshold).', { type: 'string', minLength: 1 });
      if (m.failureCondition !== undefined) table.field(at('failureCondition'), key('failureCondition'), 'Condition on `result` that fails a measurement.', { type: 'string', minLength: 1 });
    });
  });

  if (model.serviceMonitor) {
    table.toggle('ServiceMonitor', ['serviceMonitor', 'enabled'], 'Create the ServiceMonitor (needs the Prometheus Operator).');
    table.field(['serviceMonitor', 'interval'], ['serviceMonitor', 'interval'], 'Scrape interval.', DURATION);
    table.field(['serviceMonitor', 'scrapeTimeout'], ['serviceMonitor', 'scrapeTimeout'], 'Scrape timeout; at most the interval.', DURATION);
    table.field(['serviceMonitor', 'selectorLabels'], ['serviceMonitor', 'selectorLabels'],
      'Labels the Prometheus serviceMonitorSelector matches.', { ...STRING_MAP, additionalProperties: pattern(LABEL_VALUE) }, 'entries');
  }
  return table;
}

/** The event Job's sink URL and token Secret (the events on/off value is the chart's variant, see chart.ts). */
function eventSink(table: Table, envPath: ModelPath): void {
  const env = get(table.model, envPath) as readonly t.EnvVar[];
  const at = (name: string) => [...envPath, env.findIndex((e) => e.name === name)];
  table.value(['events', 'enabled'], 'Send domain events around each weight stage (adds event steps and their AnalysisTemplate).', { type: 'boolean' }, true);
  table.field([...at('EVENT_URL'), 'value'], ['events', 'sink', 'url'], 'URL receiving one JSON object per event.', pattern(/^https?:\/\/\S+$/));
  if (env.some((e) => e.name === 'EVENT_TOKEN')) {
    table.field([...at('EVENT_TOKEN'), 'valueFrom', 'secretKeyRef', 'name'], ['events', 'sink', 'tokenSecretName'], 'Secret holding the sink token.', pattern(DNS1123_SUBDOMAIN));
    table.field([...at('EVENT_TOKEN'), 'valueFrom', 'secretKeyRef', 'key'], ['events', 'sink', 'tokenSecretKey'], 'Key of the token in that Secret.', pattern(/^[-._a-zA-Z0-9]+$/));
  }
}

/**
 * A built-in metric's threshold: its conditions are compiled again around a placeholder number, which
 * becomes the value's token, so the threshold is one value although both conditions hold it.
 */
function threshold(table: Table, metric: ModelPath, key: readonly string[], builtin: Extract<ResolvedBuiltin, { kind: 'successRate' | 'latency' }>): void {
  const [op, field, value, schema] = builtin.kind === 'successRate'
    ? ['>=', 'threshold', builtin.spec.threshold, { type: 'number', minimum: 0, maximum: 1 }] as const
    : ['<=', 'thresholdSeconds', builtin.spec.thresholdSeconds, { type: 'number', exclusiveMinimum: 0 }] as const;
  const description = builtin.kind === 'successRate'
    ? 'Lowest share of successful canary requests (0..1) that passes.'
    : 'Highest request latency (seconds) at the quantile that passes.';
  table.value([...key, field], description, schema, value);
  const conditions = thresholdConditions(op, PLACEHOLDER, builtin.noData);
  for (const [name, text] of Object.entries(conditions)) {
    if (text === undefined) continue;
    table.bindings.push({ model: [...metric, name], expr: valuesExpr([...key, field]), form: 'inline', text: (tok) => text.split(String(PLACEHOLDER)).join(tok) });
  }
}

/** A number no compiled condition contains otherwise. */
const PLACEHOLDER = 987654321;
