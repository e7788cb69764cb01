/**
 * Proves Prometheus metrics before they ship: for each metric, promtool unit-test cases (a healthy
 * canary, a failing one, one without traffic, and the user's own), each evaluated by the real promtool
 * (`promtool test rules`), with the metric's conditions applied to the result the way the controller
 * applies them.
 *
 * promtool has no "print the result" mode: each case is run with an empty expectation, and the
 * sample it reports as `got:` is the measured result (a passing run means an empty result).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as t from '../document/types';
import type { ResolvedApp, ResolvedBuiltin, ResolvedMetric, ResolvedTemplate } from '../model/model';
import { ARG_PLACEHOLDER, durationSeconds } from '../document/patterns';
import { DEFAULTS } from '../document/defaults';
import { toYaml } from '../util/yaml-emitter';
import { measurementPhase, MetricResult, Phase } from '../analysis/conditions';
import { formatDuration, sampleCount, scrapeIntervalOf, selector } from '../analysis/prometheus-metric';
import { successMatchers } from '../analysis/success-rate';

/** One promtool case of one metric. */
export interface AnalysisCase {
  /** `<template>/<metric>: <case>` */
  readonly title: string;
  readonly query: string;
  readonly conditions: { readonly successCondition?: string; readonly failureCondition?: string };
  readonly interval: string;
  readonly series: readonly t.PromQLTestSeries[];
  readonly evalTime: string;
  readonly expect: Exclude<Phase, 'Error'>;
}

export interface CaseOutcome {
  readonly case: AnalysisCase;
  /** The query's result as the controller would see it, or undefined when promtool failed. */
  readonly result?: MetricResult;
  readonly phase: Phase;
  readonly ok: boolean;
  /** promtool's own error, when it could not evaluate. */
  readonly error?: string;
}

/** Samples per generated series: two windows, so rate() has full data at evaluation time. */
const WINDOWS_OF_DATA = 2;
const NO_DATA_PHASE: Readonly<Record<t.NoDataPolicy, AnalysisCase['expect']>> = { fail: 'Failed', inconclusive: 'Inconclusive', pass: 'Successful' };

/** Every case of every Prometheus metric of an app (built-in cases and the user's). */
/** The cases of an app's templates, or of an AnalysisLibrary's (the same fields). */
export function analysisCases(app: Pick<ResolvedApp, 'analysisTemplates' | 'scrapeInterval'>): AnalysisCase[] {
  return app.analysisTemplates.flatMap((tpl) => tpl.metrics.flatMap((m) => metricCases(tpl, m, app.scrapeInterval)));
}

export function metricCases(tpl: ResolvedTemplate, m: ResolvedMetric, defaultScrapeInterval: string): AnalysisCase[] {
  const prom = m.provider.prometheus;
  if (!prom) return [];
  const title = (name: string) => `${tpl.specName}/${m.name}: ${name}`;
  const conditions = { successCondition: m.successCondition, failureCondition: m.failureCondition };
  const argValues = (overrides: Readonly<Record<string, string>> = {}) => {
    const values = new Map(tpl.args.map((a) => [a.name, overrides[a.name] ?? a.value ?? `test-${a.name}`]));
    return (text: string) => text.replace(ARG_PLACEHOLDER, (_, name: string) => values.get(name) ?? overrides[name] ?? `test-${name}`);
  };
  const generated = m.builtin ? builtinCases(m.builtin, argValues(), defaultScrapeInterval).map((c) => ({
    ...c, title: title(c.title), query: argValues()(prom.query), conditions,
  })) : [];
  const own = (m.tests ?? []).map((test): AnalysisCase => {
    const sub = argValues(test.args);
    // Samples are as far apart as scrapes are: `increase(x[30s])` needs the 15s of a 15s scrape interval.
    const interval = test.interval ?? (m.builtin ? scrapeIntervalOf(m.builtin.spec, defaultScrapeInterval) : defaultScrapeInterval);
    return {
      title: title(test.name),
      query: sub(prom.query),
      conditions,
      interval,
      series: test.series.map((s) => ({ series: sub(s.series), values: s.values })),
      evalTime: test.evalTime ?? formatDuration(durationSeconds(interval) * Math.max(0, ...test.series.map((s) => sampleCount(s.values) - 1))),
      expect: test.expect,
    };
  });
  return [...generated, ...own];
}

type Generated = Omit<AnalysisCase, 'query' | 'conditions'>;

function builtinCases(b: ResolvedBuiltin, sub: (text: string) => string, defaultScrapeInterval: string): Generated[] {
  const interval = scrapeIntervalOf(b.spec, defaultScrapeInterval);
  const steps = Math.ceil((WINDOWS_OF_DATA * durationSeconds(b.window)) / durationSeconds(interval));
  const evalTime = formatDuration(steps * durationSeconds(interval));
  const canary = Object.fromEntries(Object.entries(b.spec.canary).map(([k, v]) => [k, sub(v)]));
  const stable = Object.fromEntries(Object.entries(canary).map(([k, v]) => [k, `${v}-stable`]));
  const rising = (perScrape: number) => `0+${perScrape}x${steps}`;
  const flat = `100+0x${steps}`;
  const noData = NO_DATA_PHASE[b.noData];
  const make = (title: string, expect: Generated['expect'], series: t.PromQLTestSeries[]): Generated => ({ title, interval, evalTime, expect, series });

  /** Canary and stable series of a request counter: `ok` and `bad` requests per scrape. */
  const counter = (metric: string, success: readonly t.LabelMatcherSpec[]) => {
    const labels = successLabels(success.map((m) => ({ ...m, value: sub(m.value) })));
    return (sel: Record<string, string>, ok: string, bad: string) => [
      { series: selector(metric, { ...sel, ...labels.ok }), values: ok },
      { series: selector(metric, { ...sel, ...labels.bad }), values: bad },
    ];
  };
  /** A histogram whose observations per scrape all fall at or below `upTo` (and above the previous bound). */
  const histogram = (metric: string, bounds: readonly number[]) => (sel: Record<string, string>, perScrape: number, upTo: number | undefined): t.PromQLTestSeries[] => [
    ...[...bounds.map(String), '+Inf'].map((le, i) => ({
      series: selector(`${metric}_bucket`, { ...sel, le }),
      values: upTo === undefined ? flat : rising(i < bounds.length && bounds[i] < upTo ? 0 : perScrape),
    })),
    { series: selector(`${metric}_count`, sel), values: upTo === undefined ? flat : rising(perScrape) },
  ];

  switch (b.kind) {
    case 'successRate': {
      const spec = b.spec;
      const series = counter(spec.metric, successMatchers(spec));
      const T = spec.threshold;
      const healthyErrors = Math.floor((1000 * (1 - T)) / T / 2);
      const cases = [
        // The stable pods failing must not fail a healthy canary: only canary series may count.
        make('healthy canary', 'Successful', [...series(canary, rising(1000), rising(healthyErrors)), ...series(stable, rising(0), rising(1000))]),
        make('no canary traffic', noData, [...series(canary, flat, flat), ...series(stable, rising(0), rising(1000))]),
      ];
      if (T > 0) {
        cases.splice(1, 0, make('failing canary', 'Failed', [...series(canary, rising(1000), rising(Math.ceil(1000 * (2 / T - 1)))), ...series(stable, rising(1000), rising(0))]));
      }
      if (spec.minRequests !== undefined) {
        // Fewer requests than minRequests in the window, all failing: still no verdict but the no-data one.
        const perScrape = Math.max(0, Math.floor((spec.minRequests - 1) / (2 * steps)));
        cases.push(make('below minRequests', noData, [...series(canary, rising(0), rising(perScrape)), ...series(stable, rising(1000), rising(0))]));
      }
      return cases;
    }
    case 'latency': {
      const spec = b.spec;
      const T = spec.thresholdSeconds;
      const h = histogram(spec.metric, [T / 4, T / 2, T, 2 * T, 4 * T]);
      return [
        make('healthy canary', 'Successful', [...h(canary, 100, T / 4), ...h(stable, 100, 4 * T)]),
        make('failing canary', 'Failed', [...h(canary, 100, 4 * T), ...h(stable, 100, T / 4)]),
        make('no canary traffic', noData, [...h(canary, 0, undefined), ...h(stable, 100, 4 * T)]),
      ];
    }
    case 'errorRatioVsStable': {
      // Stable fails 30% of its requests: far above any fixed threshold a canary would be held to.
      const spec = b.spec;
      const base = Object.fromEntries(Object.entries(spec.stable).map(([k, v]) => [k, sub(v)]));
      const other = Object.fromEntries(Object.entries(canary).map(([k, v]) => [k, `${v}-other`]));
      const series = counter(spec.metric, successMatchers(spec));
      const perScrape = 1000;
      const stableErrors = 300;
      const allowance = tolerated(spec.tolerance, stableErrors / perScrape);
      // Pods of neither side (an older ReplicaSet) failing everything must count for neither.
      const decoy = series(other, rising(0), rising(perScrape));
      const cases = [
        make('canary as bad as stable', 'Successful', [...series(canary, rising(perScrape - stableErrors), rising(stableErrors)), ...series(base, rising(perScrape - stableErrors), rising(stableErrors)), ...decoy]),
        make('canary better than stable', 'Successful', [...series(canary, rising(perScrape), rising(0)), ...series(base, rising(perScrape / 2), rising(perScrape / 2)), ...decoy]),
        make('no canary traffic', noData, [...series(canary, flat, flat), ...series(base, rising(perScrape - stableErrors), rising(stableErrors)), ...decoy]),
        make('stable without traffic', noData, [...series(canary, rising(0), rising(perScrape)), ...series(base, flat, flat), ...decoy]),
      ];
      const worst = stableErrors / perScrape + allowance;
      if (worst < 1) {
        // Halfway between what is tolerated and every request failing.
        const canaryErrors = Math.ceil(perScrape * (worst + (1 - worst) / 2));
        cases.splice(2, 0,
          make('canary worse than stable beyond tolerance', 'Failed', [...series(canary, rising(perScrape - canaryErrors), rising(canaryErrors)), ...series(base, rising(perScrape - stableErrors), rising(stableErrors)), ...decoy]),
          // No success series at all: every request failed, which is an error ratio of 1, not "no data".
          make('canary failing every request', 'Failed', [...series(canary, rising(0), rising(perScrape)).slice(1), ...series(base, rising(perScrape - stableErrors), rising(stableErrors)), ...decoy]));
      }
      if (spec.minRequests !== undefined) {
        const few = Math.max(0, Math.floor((spec.minRequests - 1) / (2 * steps)));
        cases.push(make('canary below minRequests', noData, [...series(canary, rising(0), rising(few)), ...series(base, rising(perScrape - stableErrors), rising(stableErrors)), ...decoy]));
        cases.push(make('stable below minRequests', noData, [...series(canary, rising(0), rising(perScrape)), ...series(base, rising(0), rising(few)), ...decoy]));
      }
      return cases;
    }
    case 'latencyVsStable': {
      // Stable's requests take 50-100 ms; a canary is worse beyond tolerance at twice what is allowed.
      const spec = b.spec;
      const base = Object.fromEntries(Object.entries(spec.stable).map(([k, v]) => [k, sub(v)]));
      const s = 0.1;
      const limit = s + tolerated(spec.tolerance, s) + s / 10;
      const h = histogram(spec.metric, [s / 2, s, 2 * limit, 4 * limit]);
      return [
        make('canary as slow as stable', 'Successful', [...h(canary, 100, s), ...h(base, 100, s)]),
        make('canary faster than stable', 'Successful', [...h(canary, 100, s / 2), ...h(base, 100, 4 * limit)]),
        make('canary slower than stable beyond tolerance', 'Failed', [...h(canary, 100, 4 * limit), ...h(base, 100, s)]),
        make('no canary traffic', noData, [...h(canary, 0, undefined), ...h(base, 100, s)]),
        make('stable without traffic', noData, [...h(canary, 100, 4 * limit), ...h(base, 0, undefined)]),
      ];
    }
  }
}

/** What the tolerance allows above a stable value `s`: max(absolute, relative × s). */
function tolerated(tolerance: t.ToleranceSpec, s: number): number {
  return Math.max(tolerance.absolute ?? 0, (tolerance.relative ?? 0) * s);
}

/** Label values that satisfy all success matchers (`ok`) and that violate them (`bad`). */
function successLabels(matchers: readonly t.LabelMatcherSpec[]): { ok: Record<string, string>; bad: Record<string, string> } {
  const ok: Record<string, string> = {};
  const bad: Record<string, string> = {};
  const byLabel = new Map<string, t.LabelMatcherSpec[]>();
  for (const m of matchers) byLabel.set(m.label, [...(byLabel.get(m.label) ?? []), m]);
  let violated = false;
  for (const [label, ms] of byLabel) {
    const candidates = [...ms.map((m) => m.value), 'true', 'false', '200', '201', '204', '302', '404', '500', '503', '2xx', '5xx', 'ok', 'OK', 'error', 'success', 'failure', '0', '1', ''];
    const good = candidates.find((c) => ms.every((m) => matches(m, c)));
    if (good === undefined) throw new Error(`no sample value satisfies the success matchers on ${label}; add tests with your own series`);
    ok[label] = good;
    const failing = candidates.find((c) => !ms.every((m) => matches(m, c)));
    bad[label] = failing ?? good;
    if (failing !== undefined) violated = true;
  }
  if (!violated) throw new Error('no sample value violates the success matchers; add tests with your own series');
  return { ok, bad };
}

/** Prometheus matchers are fully anchored RE2; the RE2 subset used in label matchers is JS-compatible. */
function matches(m: t.LabelMatcherSpec, value: string): boolean {
  switch (m.op ?? DEFAULTS.matcherOp) {
    case '=': return value === m.value;
    case '!=': return value !== m.value;
    case '=~': return new RegExp(`^(?:${m.value})$`).test(value);
    case '!~': return !new RegExp(`^(?:${m.value})$`).test(value);
  }
}

/** The promtool unit-test file of one case. */
export function promtoolTestFile(c: AnalysisCase): string {
  return toYaml({
    rule_files: [],
    evaluation_interval: c.interval,
    tests: [{
      interval: c.interval,
      input_series: c.series.map((s) => ({ series: s.series, values: s.values })),
      promql_expr_test: [{ expr: c.query, eval_time: c.evalTime, exp_samples: [] }],
    }],
  });
}

/**
 * Limits of one promtool run: wall time (then SIGKILL), and Go's soft memory limit. The hard bound on
 * memory is the sample count `rule:promtool-tests` allows per series (`MAX_TEST_SAMPLES`); generated
 * cases stay far below it.
 */
export const PROMTOOL_LIMITS = { seconds: 60, memory: '512MiB' } as const;

/** Runs each case with promtool and applies its conditions. */
export function runCases(cases: readonly AnalysisCase[], promtool = process.env.PROMTOOL ?? 'promtool', limits: { readonly seconds: number; readonly memory: string } = PROMTOOL_LIMITS): CaseOutcome[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canarykit-promtool-'));
  try {
    return cases.map((c, i) => {
      const file = path.join(dir, `case-${i}.yaml`);
      fs.writeFileSync(file, promtoolTestFile(c));
      // Bounded: a query or series that makes promtool run away is a failed case, not a hung run.
      const run = spawnSync(promtool, ['test', 'rules', file], {
        encoding: 'utf8', timeout: limits.seconds * 1000, killSignal: 'SIGKILL', maxBuffer: 16 << 20,
        env: { ...process.env, GOMEMLIMIT: limits.memory },
      });
      if ((run.error && 'code' in run.error && run.error.code === 'ETIMEDOUT') || run.signal === 'SIGKILL') {
        return { case: c, phase: 'Error', ok: false, error: `promtool did not finish within ${limits.seconds}s (killed)` };
      }
      if (run.error) throw new Error(`cannot run ${promtool}: ${run.error.message} (install Debian's prometheus package: scripts/tools.sh apt)`);
      const result = run.status === 0 ? [] : gotSamples(run.stderr + run.stdout);
      if (result === undefined) return { case: c, phase: 'Error', ok: false, error: (run.stderr || run.stdout).trim() };
      const phase = measurementPhase(c.conditions, result);
      return { case: c, result, phase, ok: phase === c.expect };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The samples promtool reports as `got:` (one value per element), or undefined if it failed otherwise. */
export function gotSamples(output: string): number[] | undefined {
  const line = /^\s*got:\s*(.*)$/m.exec(output);
  if (!line) return undefined;
  if (line[1].trim() === 'nil') return [];
  return [...line[1].matchAll(/\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\}\s+(\S+?)(?:,|$)/g)].map((m) => goFloat(m[1]));
}

function goFloat(text: string): number {
  if (/^\+?Inf$/.test(text)) return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** One line per outcome, for the CLI and test failure messages. */
export function formatOutcome(o: CaseOutcome): string {
  const got = o.error ? `promtool: ${o.error.split('\n').slice(0, 3).join(' ')}` : `result ${JSON.stringify(o.result)} -> ${o.phase}`;
  return `${o.ok ? 'ok  ' : 'FAIL'} ${o.case.title}: expected ${o.case.expect}, ${got}`;
}
