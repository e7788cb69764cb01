/**
 * What the built-in Prometheus metrics share: the canary selector, the rate() window derived from the
 * scrape interval, the traffic guard that turns "no canary requests" into an empty result, and the
 * threshold conditions that give that empty result its declared verdict.
 */
import type * as t from '../document/types';
import { durationSeconds } from '../document/patterns';
import { DEFAULTS } from '../document/defaults';
import { formatNumber, thresholdConditions } from './conditions';
import { promqlString } from './promql';

/** rate() needs at least two samples per window; four scrape intervals tolerate a missed scrape or two. */
export const MIN_SCRAPES_PER_WINDOW = 4;

/** A built-in metric compiled to what the Prometheus provider and the controller evaluate. */
export interface CompiledPrometheusMetric {
  readonly query: string;
  readonly successCondition: string;
  readonly failureCondition?: string;
  /** The rate() range actually used. */
  readonly window: string;
  readonly noData: t.NoDataPolicy;
}

/** The scrape interval a built-in metric assumes. */
export function scrapeIntervalOf(spec: t.BuiltinPrometheusMetricSpec, defaultInterval: string): string {
  return spec.scrapeInterval ?? defaultInterval;
}

/** The rate() window: the spec's, else four scrape intervals. */
export function windowOf(spec: t.BuiltinPrometheusMetricSpec, defaultInterval: string): string {
  return spec.window ?? formatDuration(MIN_SCRAPES_PER_WINDOW * durationSeconds(scrapeIntervalOf(spec, defaultInterval)));
}

/** Seconds as the shortest Go duration (`90s`, `2m`, `1h`). */
export function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${formatNumber(seconds)}s`;
}

/** The canary's equality matchers followed by extra ones, as a PromQL vector selector. */
export function selector(metric: string, canary: Readonly<Record<string, string>>, extra: readonly t.LabelMatcherSpec[] = []): string {
  const matchers = [
    ...Object.keys(canary).sort().map((label) => `${label}=${promqlString(canary[label])}`),
    ...extra.map((m) => `${m.label}${m.op ?? DEFAULTS.matcherOp}${promqlString(m.value)}`),
  ];
  return `${metric}{${matchers.join(', ')}}`;
}

/**
 * `unless` clause that empties the result when the canary served no requests (or fewer than
 * minRequests) in the window, so 0/0 never reaches a condition as NaN and "no traffic" is the same
 * empty result as "no series".
 */
export function trafficGuard(counter: string, window: string, minRequests: number | undefined): string {
  const increase = `sum(increase(${counter}[${window}]))`;
  return minRequests === undefined ? `unless ${increase} == 0` : `unless ${increase} < ${minRequests}`;
}

export function compileThreshold(query: string, window: string, op: '>=' | '<=', threshold: number, noData: t.NoDataPolicy | undefined): CompiledPrometheusMetric {
  const policy = noData ?? DEFAULTS.noData;
  return { query, window, noData: policy, ...thresholdConditions(op, threshold, policy) };
}

/** Most samples one series of a user's promtool test may expand to (`0+1x100000000` would need gigabytes). */
export const MAX_TEST_SAMPLES = 100_000;

/** Samples of a promtool series in expanding notation (`0+10x8` is 9, `1 _x3 stale` is 6). */
export function sampleCount(values: string): number {
  return values.trim().split(/\s+/).reduce((n, term) => {
    const m = /x(\d+)$/.exec(term);
    return n + (m ? Number(m[1]) + 1 : 1);
  }, 0);
}
