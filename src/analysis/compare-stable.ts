/**
 * Canary-vs-stable judgement: the canary's error ratio or latency quantile compared with the stable
 * pods' over the same window, instead of with a fixed threshold. A fixed threshold blames the canary for
 * what every pod suffers (a slow dependency, a noisy client); comparing with stable, measured by the
 * same Prometheus at the same moment, blames it only for what it does worse.
 *
 * The query returns how far the canary is above what it is allowed, `canary - (stable + allowance)`
 * with `allowance = max(absolute, relative × stable)`, so the verdict is one comparison with 0 and the
 * measured value says by how much the canary passed (negative) or failed (positive). Both sides are
 * guarded: too little traffic on either gives the empty result the no-data policy decides.
 */
import type * as t from '../document/types';
import { DEFAULTS } from '../document/defaults';
import { formatNumber } from './conditions';
import { compileThreshold, CompiledPrometheusMetric, selector, trafficGuard, windowOf } from './prometheus-metric';
import { successMatchers } from './success-rate';

/** The value the canary may not exceed, as PromQL over stable's value `s` (an expression without labels). */
export function allowed(s: string, tolerance: t.ToleranceSpec): string {
  const { absolute, relative } = tolerance;
  if (relative === undefined) return `(${s} + ${formatNumber(absolute!)})`;
  if (absolute === undefined) return `(${s} * ${formatNumber(1 + relative)})`;
  return `(${s} + clamp_min(${formatNumber(relative)} * ${s}, ${formatNumber(absolute)}))`;
}

/**
 * ```
 * error(sel) = 1 - (sum(rate(<metric>{sel, <success>}[w])) or vector(0)) / sum(rate(<metric>{sel}[w]))
 * error(canary) - allowed(error(stable))
 *   unless sum(increase(<metric>{canary}[w])) == 0 unless sum(increase(<metric>{stable}[w])) == 0
 * ```
 * `or vector(0)`: a side whose requests all failed may have no success series at all; its error ratio
 * is 1, not "no data".
 */
export function compileErrorRatioVsStable(spec: t.ErrorRatioVsStableSpec, defaultScrapeInterval: string): CompiledPrometheusMetric {
  const window = windowOf(spec, defaultScrapeInterval);
  const error = (sel: Readonly<Record<string, string>>) =>
    `(1 - (sum(rate(${selector(spec.metric, sel, successMatchers(spec))}[${window}])) or vector(0)) / sum(rate(${selector(spec.metric, sel)}[${window}])))`;
  const query = [
    `${error(spec.canary)}`,
    `- ${allowed(error(spec.stable), spec.tolerance)}`,
    trafficGuard(selector(spec.metric, spec.canary), window, spec.minRequests),
    trafficGuard(selector(spec.metric, spec.stable), window, spec.minRequests),
  ].join('\n');
  return compileThreshold(query, window, '<=', 0, spec.noData);
}

/**
 * ```
 * q(sel) = histogram_quantile(q, sum by (le) (rate(<metric>_bucket{sel}[w])))
 * q(canary) - allowed(q(stable))
 *   unless sum(increase(<metric>_count{canary}[w])) == 0 unless sum(increase(<metric>_count{stable}[w])) == 0
 * ```
 */
export function compileLatencyVsStable(spec: t.LatencyVsStableSpec, defaultScrapeInterval: string): CompiledPrometheusMetric {
  const window = windowOf(spec, defaultScrapeInterval);
  const quantile = spec.quantile ?? DEFAULTS.quantile;
  const q = (sel: Readonly<Record<string, string>>) => `histogram_quantile(${quantile}, sum by (le) (rate(${selector(`${spec.metric}_bucket`, sel)}[${window}])))`;
  const query = [
    q(spec.canary),
    `- ${allowed(q(spec.stable), spec.tolerance)}`,
    trafficGuard(selector(`${spec.metric}_count`, spec.canary), window, spec.minRequests),
    trafficGuard(selector(`${spec.metric}_count`, spec.stable), window, spec.minRequests),
  ].join('\n');
  return compileThreshold(query, window, '<=', 0, spec.noData);
}
