/** Built-in metric kinds expanded into what the controller runs: a Prometheus provider and conditions. */
import type * as t from '../document/types';
import { compileErrorRatioVsStable, compileLatencyVsStable } from './compare-stable';
import { compileLatency } from './latency';
import type { CompiledPrometheusMetric } from './prometheus-metric';
import { compileSuccessRate } from './success-rate';

/** The built-in metrics, keyed as in `provider`, each with its compiler. */
const COMPILERS = {
  successRate: (spec: t.SuccessRateSpec, interval: string) => compileSuccessRate(spec, interval),
  latency: (spec: t.LatencySpec, interval: string) => compileLatency(spec, interval),
  errorRatioVsStable: (spec: t.ErrorRatioVsStableSpec, interval: string) => compileErrorRatioVsStable(spec, interval),
  latencyVsStable: (spec: t.LatencyVsStableSpec, interval: string) => compileLatencyVsStable(spec, interval),
} satisfies Record<string, (spec: never, interval: string) => CompiledPrometheusMetric>;

export type BuiltinKind = keyof typeof COMPILERS;
export const BUILTIN_KINDS = Object.keys(COMPILERS) as readonly BuiltinKind[];

type SpecOf<K extends BuiltinKind> = Parameters<(typeof COMPILERS)[K]>[0];

/** A built-in metric's inputs, kept beside the compiled provider for test generation. */
export type ResolvedBuiltin = { [K in BuiltinKind]: { readonly kind: K; readonly spec: SpecOf<K>; readonly window: string; readonly noData: t.NoDataPolicy } }[BuiltinKind];

export interface ExpandedMetric {
  readonly provider: t.ProviderSpec;
  readonly successCondition?: string;
  readonly failureCondition?: string;
  readonly builtin?: ResolvedBuiltin;
}

/** The built-in a provider names, with its written inputs, if it names one. */
export function builtinOf(provider: t.ProviderSpec): { readonly kind: BuiltinKind; readonly spec: SpecOf<BuiltinKind> } | undefined {
  const kind = BUILTIN_KINDS.find((k) => provider[k] !== undefined);
  return kind && { kind, spec: provider[kind]! };
}

/** The metric's provider and conditions; built-ins are compiled, other metrics pass through. */
export function expandMetric(m: t.MetricSpec, defaultScrapeInterval: string): ExpandedMetric {
  const b = builtinOf(m.provider);
  if (!b) return { provider: m.provider, successCondition: m.successCondition, failureCondition: m.failureCondition };
  const compile = COMPILERS[b.kind] as (spec: SpecOf<BuiltinKind>, interval: string) => CompiledPrometheusMetric;
  const compiled = compile(b.spec, defaultScrapeInterval);
  return {
    provider: { prometheus: { address: b.spec.address, query: compiled.query, timeout: b.spec.timeout, headers: b.spec.headers } },
    successCondition: compiled.successCondition,
    failureCondition: compiled.failureCondition,
    builtin: { kind: b.kind, spec: b.spec, window: compiled.window, noData: compiled.noData } as ResolvedBuiltin,
  };
}
