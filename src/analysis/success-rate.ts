/**
 * The RED success-rate metric: the share of the canary's requests that succeeded, over rate() of a
 * request counter, with no-traffic and no-data handled by policy instead of by accident.
 */
import type * as t from '../document/types';
import { compileThreshold, CompiledPrometheusMetric, selector, trafficGuard, windowOf } from './prometheus-metric';

/** Success matchers as a list (the spec accepts one or several). */
export function successMatchers(spec: Pick<t.SuccessRateSpec, 'success'>): readonly t.LabelMatcherSpec[] {
  return 'label' in spec.success ? [spec.success] : spec.success;
}

/**
 * ```
 * sum(rate(<metric>{<canary>, <success>}[w])) / sum(rate(<metric>{<canary>}[w]))
 *   unless sum(increase(<metric>{<canary>}[w])) == 0        (or < minRequests)
 * ```
 */
export function compileSuccessRate(spec: t.SuccessRateSpec, defaultScrapeInterval: string): CompiledPrometheusMetric {
  const window = windowOf(spec, defaultScrapeInterval);
  const all = selector(spec.metric, spec.canary);
  const ok = selector(spec.metric, spec.canary, successMatchers(spec));
  const query = [
    `sum(rate(${ok}[${window}]))`,
    '/',
    `sum(rate(${all}[${window}]))`,
    trafficGuard(all, window, spec.minRequests),
  ].join('\n');
  return compileThreshold(query, window, '>=', spec.threshold, spec.noData);
}
