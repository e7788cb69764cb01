/** The latency metric: a quantile of the canary's request durations from a Prometheus histogram. */
import type * as t from '../document/types';
import { DEFAULTS } from '../document/defaults';
import { compileThreshold, CompiledPrometheusMetric, selector, trafficGuard, windowOf } from './prometheus-metric';

/**
 * ```
 * histogram_quantile(q, sum by (le) (rate(<metric>_bucket{<canary>}[w])))
 *   unless sum(increase(<metric>_count{<canary>}[w])) == 0   (or < minRequests)
 * ```
 */
export function compileLatency(spec: t.LatencySpec, defaultScrapeInterval: string): CompiledPrometheusMetric {
  const window = windowOf(spec, defaultScrapeInterval);
  const quantile = spec.quantile ?? DEFAULTS.quantile;
  const query = [
    `histogram_quantile(${quantile}, sum by (le) (rate(${selector(`${spec.metric}_bucket`, spec.canary)}[${window}])))`,
    trafficGuard(selector(`${spec.metric}_count`, spec.canary), window, spec.minRequests),
  ].join('\n');
  return compileThreshold(query, window, '<=', spec.thresholdSeconds, spec.noData);
}
