/**
 * The canary-vs-stable built-ins, the providers beyond Prometheus, web and Job (argo-rollouts v1.9.1
 * `metricproviders/<provider>`), and metrics that report without deciding (`dryRun`).
 *
 * Only PromQL has a parser here (analysis/promql.ts, Prometheus' own grammar). Datadog, NRQL, Flux,
 * Graphite and Wavefront queries are checked for what any of those languages needs (balanced brackets
 * and quotes, declared args, see rule:arg-placeholders); their syntax is checked by their backends only.
 */
import type * as t from '../document/types';
import { error, show, SpecIssue, warning } from '../document/errors';
import { DEFAULTS } from '../document/defaults';
import { ARG_PLACEHOLDER, PLACEHOLDER } from '../document/patterns';
import { builtinOf } from '../analysis/metrics';
import type { Rule, RuleContext } from './context';
import { unbalanced } from './text';

/** Providers that return a value the metric's conditions judge (a Kayenta score, a Job's exit status, a plugin decide themselves). */
const QUERY_PROVIDERS = ['datadog', 'newRelic', 'cloudWatch', 'graphite', 'influxdb', 'wavefront'] as const;

/** Every written metric with its path. */
function* writtenMetrics(ctx: RuleContext): Generator<{ readonly metric: t.MetricSpec; readonly path: string; readonly template: t.AnalysisTemplateSpec; readonly templatePath: string }> {
  for (const [ti, template] of (ctx.spec.analysisTemplates ?? []).entries()) {
    const templatePath = ctx.path(`analysisTemplates[${ti}]`);
    for (const [mi, metric] of template.metrics.entries()) yield { metric, path: `${templatePath}.metrics[${mi}]`, template, templatePath };
  }
}

/** The args a label selector reads (`{{args.x}}` in its values). */
function argsOf(selector: Readonly<Record<string, string>>): Set<string> {
  const names = new Set<string>();
  for (const value of Object.values(selector)) for (const m of value.matchAll(ARG_PLACEHOLDER)) names.add(m[1]);
  return names;
}

function sameSelector(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

/** The queries of an external provider, with their paths, as the backend receives them. */
function queries(p: t.ProviderSpec, at: string): [string, string][] {
  if (p.datadog) {
    return p.datadog.query !== undefined ? [[`${at}.datadog.query`, p.datadog.query]]
      : Object.entries(p.datadog.queries ?? {}).map(([k, q]) => [`${at}.datadog.queries.${k}`, q]);
  }
  if (p.cloudWatch) {
    return p.cloudWatch.metricDataQueries.flatMap((q, i): [string, string][] => (q.expression === undefined ? [] : [[`${at}.cloudWatch.metricDataQueries[${i}].expression`, q.expression]]));
  }
  for (const kind of ['newRelic', 'graphite', 'influxdb', 'wavefront'] as const) {
    const provider = p[kind];
    if (provider) return [[`${at}.${kind}.query`, provider.query]];
  }
  return [];
}

function* datadog(dd: t.DatadogProviderSpec, at: string): Generator<SpecIssue> {
  // metricproviders/datadog: validateIncomingProps, with the CRD's default apiVersion v1.
  const v1 = (dd.apiVersion ?? DEFAULTS.datadog.apiVersion) === 'v1';
  const named = Object.keys(dd.queries ?? {});
  if (dd.query === undefined && named.length === 0) yield error(at, 'must set query or queries (the controller fails every measurement without one)');
  if (dd.query !== undefined && named.length > 0) yield error(at, 'sets both query and queries; set one');
  if (v1 && dd.query === undefined && named.length > 0) yield error(`${at}.queries`, 'needs apiVersion v2; API v1 only takes `query`');
  if (dd.formula !== undefined && named.length === 0) yield error(`${at}.formula`, 'is only used with queries');
  if (dd.formula === undefined && named.length > 1) yield error(`${at}.formula`, `is required with ${named.length} queries: Datadog returns one column per query in no set order`);
  if (v1 && dd.aggregator !== undefined) yield error(`${at}.aggregator`, 'needs apiVersion v2; API v1 has no aggregator');
  if (dd.formula !== undefined) {
    const unused = named.filter((name) => !new RegExp(`\\b${name}\\b`).test(dd.formula!));
    for (const name of unused) yield warning(`${at}.queries.${name}`, `is not used by the formula ${show(dd.formula)}`);
  }
}

function* kayenta(k: t.KayentaProviderSpec, at: string): Generator<SpecIssue> {
  // metricproviders/kayenta: getScopes refuses a start or end on one scope only.
  for (const [i, scope] of k.scopes.entries()) {
    for (const field of ['start', 'end'] as const) {
      if ((scope.controlScope[field] === undefined) !== (scope.experimentScope[field] === undefined)) {
        yield error(`${at}.scopes[${i}]`, `controlScope.${field} and experimentScope.${field} must both be set or both be left out (the controller fails the measurement)`);
      }
    }
  }
}

export const providerRules: readonly Rule[] = [
  {
    name: 'canary-vs-stable',
    *check(ctx) {
      for (const { metric, path } of writtenMetrics(ctx)) {
        const b = builtinOf(metric.provider);
        if (!b || (b.kind !== 'errorRatioVsStable' && b.kind !== 'latencyVsStable')) continue;
        const spec = b.spec as t.ErrorRatioVsStableSpec | t.LatencyVsStableSpec;
        const at = `${path}.provider.${b.kind}`;
        if (sameSelector(spec.canary, spec.stable)) yield error(`${at}.stable`, 'selects the same series as canary; the canary would be compared with itself and always pass');
        if (b.kind === 'errorRatioVsStable' && (spec.tolerance.absolute ?? 0) >= 1) {
          yield error(`${at}.tolerance.absolute`, `${spec.tolerance.absolute} allows any error ratio: the metric could never fail`);
        }
      }
      // Through the references: the arg of each side must be given that side's pod-template hash.
      for (const use of ctx.analyses) {
        for (const ref of use.templates) {
          for (const metric of ref.template?.metrics ?? []) {
            const b = builtinOf(metric.provider);
            if (!b || (b.kind !== 'errorRatioVsStable' && b.kind !== 'latencyVsStable')) continue;
            const spec = b.spec as t.ErrorRatioVsStableSpec;
            if (sameSelector(spec.canary, spec.stable)) continue; // reported above
            for (const [side, selector, wrong] of [['stable', spec.stable, 'Latest'], ['canary', spec.canary, 'Stable']] as const) {
              const names = argsOf(selector);
              for (const [i, arg] of (use.analysis.args ?? []).entries()) {
                if (names.has(arg.name) && arg.valueFrom?.podTemplateHashValue === wrong) {
                  yield error(`${use.path}.args[${i}].valueFrom.podTemplateHashValue`,
                    `${show(wrong)} gives ${show(arg.name)} the ${wrong === 'Latest' ? 'canary' : 'stable'} pods' hash, but metric ${show(metric.name)} selects the ${side} pods with it; use ${show(wrong === 'Latest' ? 'Stable' : 'Latest')}`);
                }
              }
            }
          }
        }
      }
    },
  },
  {
    name: 'metric-providers',
    *check(ctx) {
      for (const { metric, path } of writtenMetrics(ctx)) {
        const p = metric.provider;
        const at = `${path}.provider`;
        if (p.datadog) yield* datadog(p.datadog, `${at}.datadog`);
        if (p.kayenta && (metric.successCondition !== undefined || metric.failureCondition !== undefined)) {
          yield error(path, 'sets conditions on a Kayenta metric; the controller judges it by the score against threshold.pass and threshold.marginal and ignores them');
        }
        if (p.kayenta) yield* kayenta(p.kayenta, `${at}.kayenta`);
        if (QUERY_PROVIDERS.some((k) => p[k] !== undefined) && metric.successCondition === undefined && metric.failureCondition === undefined) {
          yield error(path, 'sets neither successCondition nor failureCondition; the controller would count every measurement as successful');
        }
        for (const [queryPath, query] of queries(p, at)) {
          const problem = unbalanced(query.replace(PLACEHOLDER, 'x'), { quotes: true });
          if (problem) yield error(queryPath, `${show(query)} ${problem}; the backend would refuse the query`);
        }
      }
    },
  },
  {
    name: 'dry-run-metrics',
    *check(ctx) {
      for (const use of ctx.analyses) {
        const metrics = use.templates.flatMap((ref) => ref.template?.metrics ?? []);
        if (metrics.length > 0 && metrics.every((m) => m.dryRun === true)) {
          yield warning(use.path, 'runs only dry-run metrics: this analysis reports but can never stop the rollout');
        }
      }
    },
  },
];
