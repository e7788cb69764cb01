/** Built-in metric kinds expanded into what the controller runs: a Prometheus provider and conditions. */
import type * as t from '../document/types';
import { compileLatency } from './latency';
import { compileSuccessRate } from './success-rate';

/** A built-in metric's inputs, kept beside the compiled provider for test generation. */
export type ResolvedBuiltin =
  | { readonly kind: 'successRate'; readonly spec: t.SuccessRateSpec; readonly window: string; readonly noData: t.NoDataPolicy }
  | { readonly kind: 'latency'; readonly spec: t.LatencySpec; readonly window: string; readonly noData: t.NoDataPolicy };

export interface ExpandedMetric {
  readonly provider: t.ProviderSpec;
  readonly successCondition?: string;
  readonly failureCondition?: string;
  readonly builtin?: ResolvedBuiltin;
}

/** The metric's provider and conditions; built-ins are compiled, other metrics pass through. */
export function expandMetric(m: t.MetricSpec, defaultScrapeInterval: string): ExpandedMetric {
  const { successRate, latency } = m.provider;
  const b = successRate ?? latency;
  if (!b) return { provider: m.provider, successCondition: m.successCondition, failureCondition: m.failureCondition };
  const compiled = successRate ? compileSuccessRate(successRate, defaultScrapeInterval) : compileLatency(latency!, defaultScrapeInterval);
  const builtin: ResolvedBuiltin = successRate
    ? { kind: 'successRate', spec: successRate, window: compiled.window, noData: compiled.noData }
    : { kind: 'latency', spec: latency!, window: compiled.window, noData: compiled.noData };
  return {
    provider: { prometheus: { address: b.address, query: compiled.query, timeout: b.timeout, headers: b.headers } },
    successCondition: compiled.successCondition,
    failureCondition: compiled.failureCondition,
    builtin,
  };
}
