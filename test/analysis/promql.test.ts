/**
 * Queries and conditions: the synth-time PromQL check agrees with promtool (the authority) on good and
 * broken queries, and spec errors name the path of the query or condition at fault.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkPromQL } from '../../src/analysis/promql';
import { checkCondition, conditionWarnings, evaluateCondition, measurementPhase } from '../../src/analysis/conditions';
import { toYaml } from '../../src/util/yaml-emitter';
import { formatIssue } from '../../src/document/errors';
import { loadText } from '../../src/load/load';
import { specErrors, specYaml } from '../support/specs';
import { tmp } from '../support/tmp';

/** promtool's verdict on one expression, through `promtool check rules`. */
function promtoolAccepts(expr: string, dir: string): boolean {
  const file = path.join(dir, 'rules.yaml');
  fs.writeFileSync(file, toYaml({ groups: [{ name: 'q', rules: [{ record: 'canarykit:q', expr }] }] }));
  const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
  // A promtool that did not run at all must fail the test, not count as a rejected query.
  if (r.error) throw r.error;
  if (r.status !== 0 && !/could not parse expression|parse error/i.test(r.stderr + r.stdout)) throw new Error(`promtool failed: ${r.stderr}${r.stdout}`);
  return r.status === 0;
}

const GOOD = [
  'sum(rate(http_requests_total{code!~"5..", rollouts_pod_template_hash="abc"}[2m])) / sum(rate(http_requests_total{rollouts_pod_template_hash="abc"}[2m])) unless sum(increase(http_requests_total{rollouts_pod_template_hash="abc"}[2m])) == 0',
  'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="x"}[5m])))',
  'sum(response_status{status=~"2.*"}) > bool 0.99',
  'scalar(sum(up))',
  'topk(3, sum by (pod) (rate(x[1m])))',
  'quantile_over_time(0.9, x[10m])',
  'sum(x offset 5m) - sum(x @ 100)',
  'max_over_time(rate(x[1m])[10m:1m])',
];
const BAD = [
  // The pree-dew seed: sum() over a range vector.
  '(sum(sample_app_requests_count{success="true"}[4m]) / sum(sample_app_requests_count{}))',
  '(sum(x) / sum(y)) > bool 0.99 - (0.5 * sum(sum_over_time(e[5m])) or 0.99',
  'rate(http_requests_total)',
  'sum(x) and 1',
  '1 > 2',
  'histogram_quantile(sum(x), 0.9)',
  'sum(x) +',
  'foo(x)',
  'sum(rate(x[5m])) by',
  '-sum(x) offset 5m',
];

describe('PromQL check agrees with promtool', () => {
  let dir: string;
  beforeAll(() => { dir = tmp(); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(GOOD)('valid: %s', (q) => {
    expect(checkPromQL(q).problems).toEqual([]);
    expect(promtoolAccepts(q, dir)).toBe(true);
  });
  test.each(BAD)('invalid: %s', (q) => {
    expect(checkPromQL(q).problems.length).toBeGreaterThan(0);
    expect(promtoolAccepts(q, dir)).toBe(false);
  });

  test('placeholders are substituted before parsing, in strings, ranges and numbers', () => {
    expect(checkPromQL('sum(rate(x{h="{{args.canary-hash}}"}[{{args.window}}])) > {{args.threshold}}').problems).toEqual([]);
  });

  test('a query that passed is known by its shape: other label values pass, code never hides in a string', () => {
    expect(checkPromQL('sum(x{namespace="a"})')).toEqual({ problems: [], type: 'vector' });
    expect(checkPromQL('sum(x{namespace="checkout-eu"})')).toEqual({ problems: [], type: 'vector' });
    // A quote inside a comment is text, so the next line is still code, and checked.
    expect(checkPromQL("sum(x) # it's\n").problems).toEqual([]);
    expect(checkPromQL("sum(x) # it's\n + foo(").problems.length).toBeGreaterThan(0);
    // An escaped quote does not end a string; an unterminated string is never a known shape.
    expect(checkPromQL('sum(x{a="\\""})').problems).toEqual([]);
    expect(checkPromQL('sum(x{a="\\"})').problems.length).toBeGreaterThan(0);
    expect(checkPromQL('sum(x{a=`\n`})').problems).toEqual([]);
    expect(checkPromQL('sum(x{a=`})').problems.length).toBeGreaterThan(0);
  });

  test('syntax errors name line and column', () => {
    expect(checkPromQL('sum(x)\n/ (sum(y)').problems[0].message).toBe('does not parse at line 2, column 10 (unexpected end)');
  });
});

describe('conditions', () => {
  test('result[0] on a vector without a length guard is valid and fails closed: a warning, not an error', () => {
    // As the upstream docs write it: an empty result errors the measurement (phase Error), and after
    // consecutiveErrorLimit errors the analysis fails, so the rollout aborts rather than passes.
    expect(checkCondition('result[0] >= 0.95', { resultType: 'vector' })).toEqual([]);
    expect(measurementPhase({ successCondition: 'result[0] >= 0.95' }, [])).toBe('Error');
    expect(conditionWarnings('result[0] >= 0.95', { resultType: 'vector' })).toEqual([
      'result[...] on a vector query has no length guard: an empty result (no data) errors the measurement, and after consecutiveErrorLimit (default 4) errors the rollout aborts (fail-closed). If that is not meant, write `len(result) == 0 || ...` (no data passes) or `len(result) > 0 && ...`',
    ]);
    for (const ok of ['len(result) == 0 || result[0] >= 0.95', 'len(result) > 0 && result[0] >= 0.95', 'len(result) > 0 ? result[0] > 1 : false', 'all(result, {# >= 0.9})', 'not (len(result) == 0) and result[0] > 1']) {
      expect(checkCondition(ok, { resultType: 'vector' })).toEqual([]);
      expect(conditionWarnings(ok, { resultType: 'vector' })).toEqual([]);
    }
  });
  test('a guard after result[0] is named as such: expr reads left to right', () => {
    const late = 'the length guard comes after result[...]: expr evaluates left to right, so an empty result (no data) errors the measurement before the guard is read, and after consecutiveErrorLimit (default 4) errors the rollout aborts. Put the guard first: `len(result) > 0 && result[0] ...`';
    for (const cond of ['result[0] >= 0.95 && len(result) > 0', 'result[0] >= 0.95 || len(result) == 0', '(result[0] > 1) and len(result) != 0']) {
      expect(conditionWarnings(cond, { resultType: 'vector' })).toEqual([late]);
      expect(measurementPhase({ successCondition: cond }, [])).toBe('Error');
    }
  });
  test('unknown names, scalar queries, syntax', () => {
    expect(checkCondition('reslt[0] > 1')).toEqual(['unknown name "reslt" (the controller provides only `result`)']);
    expect(checkCondition('result[0] > 1', { resultType: 'scalar' })).toEqual(['result[...] on a query that returns a scalar: compare `result` directly']);
    expect(checkCondition('result > > 1')[0]).toMatch(/^does not parse: unexpected ">" at column 10/);
  });
  test('evaluation and phases follow the controller', () => {
    expect(evaluateCondition('len(result) == 0 || result[0] >= 0.95', [])).toBe(true);
    expect(evaluateCondition('len(result) > 0 && !isNaN(result[0]) && result[0] >= 0.95', [NaN])).toBe(false);
    expect(measurementPhase({ successCondition: 'result[0] > 1' }, [])).toBe('Error');
    expect(measurementPhase({ successCondition: 'result[0] > 1' }, [0])).toBe('Failed');
    expect(measurementPhase({ successCondition: 'len(result) > 0 && result[0] > 1', failureCondition: 'len(result) > 0 && result[0] <= 1' }, [])).toBe('Inconclusive');
    expect(measurementPhase({ failureCondition: 'result > 1' }, 0.5)).toBe('Successful');
  });
});

const base = specYaml(`  prometheus: {address: "http://prometheus:9090"}
  canary:
    steps:
      - setWeight: 10
      - analysis: {templates: [t], args: [{name: hash, valueFrom: {podTemplateHashValue: Latest}}]}
  analysisTemplates:
    - name: t
      args: [{name: hash}]
      metrics:
        - name: m
          METRIC
`);
const errorsOf = (metric: string) => specErrors(base.replace('METRIC', metric.trim().split('\n').join('\n          ')));

describe('spec errors from analysis rules', () => {
  test('a query that does not parse is a spec error with its path', () => {
    expect(errorsOf(`
successCondition: len(result) == 0 || result[0] >= 0.99
provider:
  prometheus:
    query: sum(sample_app_requests_count{hash="{{args.hash}}"}[4m])`)).toEqual([
      'web.yaml: web: spec.analysisTemplates[0].metrics[0].provider.prometheus.query: the query sum() aggregates an instant vector, but "sample_app_requests_count{hash=\\"{{args.hash}}\\"}[4m]" is a range vector',
    ]);
  });
  test('an unguarded result[0] on a vector query, as the upstream docs write it: accepted with a fail-closed warning', () => {
    const yaml = base.replace('METRIC', ['successCondition: result[0] >= 0.99', 'provider:', '  prometheus:', '    query: sum(rate(x{hash="{{args.hash}}"}[2m]))'].join('\n          '));
    expect(specErrors(yaml)).toEqual([]);
    expect(loadText(yaml, 'web.yaml').issues.filter((i) => i.path.includes('successCondition')).map((i) => formatIssue(i, i.source))).toEqual([
      'web.yaml: warning: web: spec.analysisTemplates[0].metrics[0].successCondition: "result[0] >= 0.99": result[...] on a vector query has no length guard: an empty result (no data) errors the measurement, and after consecutiveErrorLimit (default 4) errors the rollout aborts (fail-closed). If that is not meant, write `len(result) == 0 || ...` (no data passes) or `len(result) > 0 && ...`',
    ]);
  });
  test('a condition may use a declared arg: the controller substitutes it before evaluating', () => {
    expect(errorsOf(`
successCondition: len(result) > 0 && result[0] >= {{args.hash}}
provider:
  prometheus:
    query: sum(rate(x[2m]))`)).toEqual([]);
    // The stand-in keeps the rest of the condition checked.
    expect(errorsOf(`
successCondition: len(result) > 0 && result[0] >= {{args.hash}} +
provider:
  prometheus:
    query: sum(rate(x[2m]))`)).toEqual([
      'web.yaml: web: spec.analysisTemplates[0].metrics[0].successCondition: does not parse: ends too early',
    ]);
  });
  test('built-ins: window under 4 scrapes, own conditions, undeclared args, inline credentials', () => {
    expect(errorsOf(`
successCondition: result > 0
provider:
  successRate:
    metric: http_requests_total
    canary: {rollouts_pod_template_hash: "{{args.hsh}}"}
    success: {label: code, op: "!~", value: "5.."}
    threshold: 0.99
    window: 1m
    headers: [{key: Authorization, value: Bearer abc}]`)).toEqual([
      'web.yaml: web: spec.analysisTemplates[0].metrics[0].successCondition: is written by provider.successRate (from threshold and noData); remove it',
      'web.yaml: web: spec.analysisTemplates[0].metrics[0].provider.successRate.window: "1m" is shorter than 4 scrape intervals of 30s; rate() would see too few samples',
      'web.yaml: web: spec.analysisTemplates[0].metrics[0].provider.successRate.canary.rollouts_pod_template_hash: uses {{args.hsh}} but template "t" declares no arg "hsh"',
      'web.yaml: web: spec.analysisTemplates[0].metrics[0].provider.successRate.headers[0].value: header "Authorization" carries a credential inline; use {{args.<name>}} with a template arg from valueFrom.secretKeyRef (e.g. value: "Bearer {{args.token}}")',
    ]);
  });
  test('exactly one provider kind; the success threshold is a share', () => {
    expect(errorsOf(`
provider:
  latency: {metric: h, canary: {a: b}, thresholdSeconds: 0.5}
  successRate: {metric: m, canary: {a: b}, success: {label: s, value: "true"}, threshold: 99}`)).toEqual([
      'web.yaml: web: spec.analysisTemplates[0].metrics[0].provider.successRate.threshold: 99 is not in 0..1',
      expect.stringMatching(/metrics\[0\]\.provider: .* must set exactly one of prometheus, web, job, datadog, newRelic, cloudWatch, graphite, influxdb, wavefront, kayenta, plugin, successRate, latency, errorRatioVsStable, latencyVsStable$/),
    ]);
  });
});
