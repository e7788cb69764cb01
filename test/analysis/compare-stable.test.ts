/**
 * Canary-vs-stable built-ins, proven by the real promtool: a canary as bad as stable passes although
 * both fail 30% of their requests (far above any fixed threshold), one worse than stable beyond the
 * tolerance fails, and no traffic on either side gets the no-data verdict. The generated PromQL is also
 * read by the synth-time checker and the emitted template by the CRD schema.
 */
import { analysisCases, formatOutcome, runCases } from '../../src/targets/promtool';
import { resolve } from '../../src/model/resolve';
import { synthDocuments } from '../../src/constructs/synth';
import { checkPromQL } from '../../src/analysis/promql';
import { allowed } from '../../src/analysis/compare-stable';
import { validateAll } from '../support/schema';
import { loadSpec, specErrors, specYaml } from '../support/specs';

const template = (metrics: string, analysisArgs = `[{name: canary-hash, valueFrom: {podTemplateHashValue: Latest}}, {name: stable-hash, valueFrom: {podTemplateHashValue: Stable}}]`) => specYaml(`  ports: {metrics: 9090}
  serviceMonitor: {interval: 15s}
  prometheus: {address: "http://prometheus:9090"}
  canary:
    steps:
      - setWeight: 10
      - analysis: {templates: [vs-stable], args: ${analysisArgs}}
  analysisTemplates:
    - name: vs-stable
      args: [{name: canary-hash}, {name: stable-hash}]
      metrics:
${metrics}`);

const METRICS = `        - name: errors-abs
          provider:
            errorRatioVsStable:
              metric: http_requests_total
              canary: {namespace: shop, rollouts_pod_template_hash: "{{args.canary-hash}}"}
              stable: {namespace: shop, rollouts_pod_template_hash: "{{args.stable-hash}}"}
              success: {label: code, op: "!~", value: "5.."}
              tolerance: {absolute: 0.02}
              minRequests: 50
        - name: errors-both
          provider:
            errorRatioVsStable:
              metric: sample_app_requests_count
              canary: {rollouts_pod_template_hash: "{{args.canary-hash}}"}
              stable: {rollouts_pod_template_hash: "{{args.stable-hash}}"}
              success: {label: success, value: "true"}
              tolerance: {absolute: 0.01, relative: 0.5}
              noData: fail
        - name: p95-rel
          provider:
            latencyVsStable:
              metric: http_request_duration_seconds
              canary: {rollouts_pod_template_hash: "{{args.canary-hash}}"}
              stable: {rollouts_pod_template_hash: "{{args.stable-hash}}"}
              quantile: 0.95
              tolerance: {relative: 0.2}
        - name: p99-abs
          dryRun: true
          measurementRetention: 20
          provider:
            latencyVsStable:
              metric: http_request_duration_seconds
              canary: {rollouts_pod_template_hash: "{{args.canary-hash}}"}
              stable: {rollouts_pod_template_hash: "{{args.stable-hash}}"}
              tolerance: {absolute: 0.05}
              noData: pass
`;

describe('canary vs stable, evaluated by promtool', () => {
  const doc = loadSpec(template(METRICS));
  const app = resolve(doc.metadata, doc.spec);
  const outcomes = runCases(analysisCases(app));
  const byTitle = new Map(outcomes.map((o) => [o.case.title, o]));

  test('every case gets the verdict it expects', () => {
    expect(outcomes.filter((o) => !o.ok).map(formatOutcome)).toEqual([]);
  });

  test.each([
    ['vs-stable/errors-abs: canary as bad as stable', 'Successful'],
    ['vs-stable/errors-abs: canary better than stable', 'Successful'],
    ['vs-stable/errors-abs: canary worse than stable beyond tolerance', 'Failed'],
    ['vs-stable/errors-abs: canary failing every request', 'Failed'],
    ['vs-stable/errors-abs: no canary traffic', 'Inconclusive'],
    ['vs-stable/errors-abs: stable without traffic', 'Inconclusive'],
    ['vs-stable/errors-abs: canary below minRequests', 'Inconclusive'],
    ['vs-stable/errors-abs: stable below minRequests', 'Inconclusive'],
    ['vs-stable/errors-both: canary as bad as stable', 'Successful'],
    ['vs-stable/errors-both: canary worse than stable beyond tolerance', 'Failed'],
    ['vs-stable/errors-both: stable without traffic', 'Failed'], // noData: fail
    ['vs-stable/p95-rel: canary as slow as stable', 'Successful'],
    ['vs-stable/p95-rel: canary faster than stable', 'Successful'],
    ['vs-stable/p95-rel: canary slower than stable beyond tolerance', 'Failed'],
    ['vs-stable/p95-rel: stable without traffic', 'Inconclusive'],
    ['vs-stable/p99-abs: canary slower than stable beyond tolerance', 'Failed'],
    ['vs-stable/p99-abs: stable without traffic', 'Successful'], // noData: pass
  ])('%s -> %s', (title, phase) => {
    expect(byTitle.get(title)?.phase).toBe(phase);
  });

  test('the measured value is how far the canary is above its allowance', () => {
    const measured = (title: string) => (byTitle.get(title)!.result as readonly number[])[0];
    // Both sides fail 30%: with an absolute tolerance of 0.02 the canary is 0.02 below what it may reach.
    expect(measured('vs-stable/errors-abs: canary as bad as stable')).toBeCloseTo(-0.02, 9);
    // relative 0.5 of stable's 0.3 (0.15) beats the absolute floor of 0.01.
    expect(measured('vs-stable/errors-both: canary as bad as stable')).toBeCloseTo(-0.15, 9);
    expect(measured('vs-stable/errors-abs: canary worse than stable beyond tolerance')).toBeGreaterThan(0);
  });

  test('no traffic on either side is an empty result, never NaN', () => {
    const empty = outcomes.filter((o) => /without traffic|no canary traffic|below minRequests/.test(o.case.title));
    expect(empty.length).toBe(10);
    for (const o of empty) expect(o.result).toEqual([]);
  });

  test('a query that compared the canary with itself would be caught by the cases', () => {
    const c = byTitle.get('vs-stable/errors-abs: canary worse than stable beyond tolerance')!.case;
    const selfCompared = c.query.replace(/test-stable-hash/g, 'test-canary-hash');
    expect(runCases([{ ...c, query: selfCompared }])[0]).toMatchObject({ ok: false, phase: 'Successful' });
  });

  test('the generated queries parse and are instant vectors', () => {
    for (const m of app.analysisTemplates[0].metrics) {
      expect(checkPromQL(m.provider.prometheus!.query)).toMatchObject({ problems: [], type: 'vector' });
    }
  });

  test('the emitted template: the query, conditions against 0, anchored dryRun and measurementRetention; valid against the CRD', () => {
    const objects = synthDocuments([doc])[0].objects;
    const tpl = objects.find((o) => o.kind === 'AnalysisTemplate')!;
    const errors = tpl.spec.metrics[0];
    expect(errors.provider.prometheus.query).toBe([
      '(1 - (sum(rate(http_requests_total{namespace="shop", rollouts_pod_template_hash="{{args.canary-hash}}", code!~"5.."}[1m])) or vector(0)) / sum(rate(http_requests_total{namespace="shop", rollouts_pod_template_hash="{{args.canary-hash}}"}[1m])))',
      '- ((1 - (sum(rate(http_requests_total{namespace="shop", rollouts_pod_template_hash="{{args.stable-hash}}", code!~"5.."}[1m])) or vector(0)) / sum(rate(http_requests_total{namespace="shop", rollouts_pod_template_hash="{{args.stable-hash}}"}[1m]))) + 0.02)',
      'unless sum(increase(http_requests_total{namespace="shop", rollouts_pod_template_hash="{{args.canary-hash}}"}[1m])) < 50',
      'unless sum(increase(http_requests_total{namespace="shop", rollouts_pod_template_hash="{{args.stable-hash}}"}[1m])) < 50',
    ].join('\n'));
    expect(errors.successCondition).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] <= 0');
    expect(errors.failureCondition).toBe('len(result) > 0 && (isNaN(result[0]) || result[0] > 0)');
    expect(tpl.spec.dryRun).toEqual([{ metricName: '^p99-abs$' }]);
    expect(tpl.spec.measurementRetention).toEqual([{ metricName: '^p99-abs$', limit: 20 }]);
    expect(validateAll([...objects])).toEqual([]);
  });

  test('the allowance: absolute, relative, or the more lenient of both', () => {
    expect(allowed('s', { absolute: 0.02 })).toBe('(s + 0.02)');
    expect(allowed('s', { relative: 0.2 })).toBe('(s * 1.2)');
    expect(allowed('s', { absolute: 0.01, relative: 0.5 })).toBe('(s + clamp_min(0.5 * s, 0.01))');
  });
});

describe('canary-vs-stable rules', () => {
  const metric = (extra: string) => `        - name: errors
          provider:
            errorRatioVsStable:
              metric: http_requests_total
              canary: {rollouts_pod_template_hash: "{{args.canary-hash}}"}
              success: {label: code, op: "!~", value: "5.."}
${extra}`;

  test('stable selecting the canary, a tolerance that allows anything, a missing tolerance', () => {
    expect(specErrors(template(metric(`              stable: {rollouts_pod_template_hash: "{{args.canary-hash}}"}
              tolerance: {absolute: 1}
`)))).toEqual([
      'web.yaml: web: spec.analysisTemplates[0].metrics[0].provider.errorRatioVsStable.stable: selects the same series as canary; the canary would be compared with itself and always pass',
      'web.yaml: web: spec.analysisTemplates[0].metrics[0].provider.errorRatioVsStable.tolerance.absolute: 1 allows any error ratio: the metric could never fail',
    ]);
    expect(specErrors(template(metric(`              stable: {rollouts_pod_template_hash: "{{args.stable-hash}}"}
              tolerance: {}
`)))).toEqual(['web.yaml: web: spec.analysisTemplates[0].metrics[0].provider.errorRatioVsStable.tolerance: must set absolute, relative or both']);
  });

  test('the stable side given the canary hash (and the canary side the stable hash) is an error at the arg', () => {
    const swapped = '[{name: canary-hash, valueFrom: {podTemplateHashValue: Stable}}, {name: stable-hash, valueFrom: {podTemplateHashValue: Latest}}]';
    expect(specErrors(template(metric(`              stable: {rollouts_pod_template_hash: "{{args.stable-hash}}"}
              tolerance: {relative: 0.1}
`), swapped))).toEqual([
      'web.yaml: web: spec.canary.steps[1].analysis.args[1].valueFrom.podTemplateHashValue: "Latest" gives "stable-hash" the canary pods\' hash, but metric "errors" selects the stable pods with it; use "Stable"',
      'web.yaml: web: spec.canary.steps[1].analysis.args[0].valueFrom.podTemplateHashValue: "Stable" gives "canary-hash" the stable pods\' hash, but metric "errors" selects the canary pods with it; use "Latest"',
    ]);
  });
});
