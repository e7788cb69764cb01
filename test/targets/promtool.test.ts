/**
 * Built-in and user metrics evaluated by the real promtool (Debian `prometheus`): a healthy canary
 * passes, a failing one fails, no traffic follows the declared policy, user series get the verdict the
 * user declared, and every emitted object passes the CRD schemas.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analysisCases, formatOutcome, PROMTOOL_LIMITS, runCases } from '../../src/targets/promtool';
import { MAX_TEST_SAMPLES } from '../../src/analysis/prometheus-metric';
import { tmp } from '../support/tmp';
import { resolve } from '../../src/model/resolve';
import { synthDocuments } from '../../src/constructs/synth';
import { validateAll } from '../support/schema';
import { loadSpec, specErrors, specYaml } from '../support/specs';

const spec = specYaml(`  ports: {metrics: 9090}
  serviceMonitor: {interval: 15s}
  prometheus: {address: "http://prometheus:9090"}
  canary:
    steps:
      - setWeight: 10
      - analysis: {templates: [red], args: [{name: hash, valueFrom: {podTemplateHashValue: Latest}}]}
  analysisTemplates:
    - name: red
      clusterScoped: true
      args:
        - name: hash
        - name: prom-token
          valueFrom: {secretKeyRef: {name: prometheus-auth, key: token}}
      metrics:
        - name: status-2xx
          provider:
            successRate:
              metric: response_status
              canary: {rollouts_pod_template_hash: "{{args.hash}}"}
              success: {label: status, op: "=~", value: "2.*"}
              threshold: 0.95
              noData: pass
              headers: [{key: Authorization, value: "Bearer {{args.prom-token}}"}]
        - name: not-5xx
          provider:
            successRate:
              metric: http_requests_total
              canary: {rollouts_pod_template_hash: "{{args.hash}}", namespace: shop}
              success: {label: code, op: "!~", value: "5.."}
              threshold: 0.99
              noData: fail
              minRequests: 30
        - name: p99
          provider:
            latency:
              metric: http_request_duration_seconds
              canary: {rollouts_pod_template_hash: "{{args.hash}}"}
              thresholdSeconds: 0.3
        - name: custom
          successCondition: len(result) == 0 || result[0] < 5
          provider:
            prometheus:
              query: sum(increase(errors_total{pod_hash="{{args.hash}}"}[2m]))
          tests:
            - name: few errors
              args: {hash: h1}
              series: [{series: 'errors_total{pod_hash="h1"}', values: '0+0.5x8'}]
              expect: Successful
            - name: few errors, scraped every minute
              interval: 1m
              args: {hash: h1}
              series: [{series: 'errors_total{pod_hash="h1"}', values: '0+1x8'}]
              expect: Successful
            - name: many errors
              args: {hash: h1}
              series: [{series: 'errors_total{pod_hash="h1"}', values: '0+10x8'}]
              expect: Failed
            - name: other pods' errors do not count
              args: {hash: h1}
              series: [{series: 'errors_total{pod_hash="h2"}', values: '0+100x8'}]
              expect: Successful
        - name: last-30s
          successCondition: len(result) == 1 && result[0] <= 4
          provider:
            prometheus:
              query: sum(increase(errors_total{pod_hash="{{args.hash}}"}[30s]))
          tests:
            # Samples 15s apart, as the ServiceMonitor scrapes: a 30s window holds two of them. Spaced 1m
            # apart (before), it held one and the query returned nothing.
            - name: two errors a scrape
              args: {hash: h1}
              series: [{series: 'errors_total{pod_hash="h1"}', values: '0+2x8'}]
              expect: Successful
`);

describe('promtool proves each Prometheus metric', () => {
  const doc = loadSpec(spec);
  const app = resolve(doc.metadata, doc.spec);
  const outcomes = runCases(analysisCases(app));
  const byTitle = new Map(outcomes.map((o) => [o.case.title, o]));

  test('every case gets the verdict it expects', () => {
    expect(outcomes.filter((o) => !o.ok).map(formatOutcome)).toEqual([]);
  });

  test.each([
    ['red/status-2xx: healthy canary', 'Successful'],
    ['red/status-2xx: failing canary', 'Failed'],
    ['red/status-2xx: no canary traffic', 'Successful'], // noData: pass
    ['red/not-5xx: healthy canary', 'Successful'],
    ['red/not-5xx: failing canary', 'Failed'],
    ['red/not-5xx: no canary traffic', 'Failed'], // noData: fail
    ['red/not-5xx: below minRequests', 'Failed'],
    ['red/p99: healthy canary', 'Successful'],
    ['red/p99: failing canary', 'Failed'],
    ['red/p99: no canary traffic', 'Inconclusive'], // default
    ['red/custom: few errors', 'Successful'],
    ['red/custom: few errors, scraped every minute', 'Successful'],
    ['red/last-30s: two errors a scrape', 'Successful'],
    ['red/custom: many errors', 'Failed'],
    ["red/custom: other pods' errors do not count", 'Successful'],
  ])('%s -> %s', (title, phase) => {
    expect(byTitle.get(title)?.phase).toBe(phase);
  });

  test('no-traffic cases measure an empty result, never NaN', () => {
    const noTraffic = outcomes.filter((x) => x.case.title.endsWith('no canary traffic'));
    expect(noTraffic.length).toBeGreaterThan(0);
    for (const o of noTraffic) expect(o.result).toEqual([]);
  });

  test('a wrong expectation is caught, not waved through', () => {
    const wrong = runCases([{ ...byTitle.get('red/custom: many errors')!.case, expect: 'Successful' }]);
    expect(wrong[0]).toMatchObject({ ok: false, phase: 'Failed', result: [80] });
  });

  test('emitted objects pass the CRD schemas (ClusterAnalysisTemplate, Secret-backed header arg)', () => {
    const objects = synthDocuments([doc])[0].objects;
    const tpl = objects.find((o) => o.kind === 'ClusterAnalysisTemplate')!;
    expect(tpl.spec.metrics[0].provider.prometheus.headers).toEqual([{ key: 'Authorization', value: 'Bearer {{args.prom-token}}' }]);
    expect(tpl.spec.args[1]).toEqual({ name: 'prom-token', valueFrom: { secretKeyRef: { name: 'prometheus-auth', key: 'token' } } });
    expect(tpl.spec.metrics[2].provider.prometheus.query).toBe([
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{rollouts_pod_template_hash="{{args.hash}}"}[1m])))',
      'unless sum(increase(http_request_duration_seconds_count{rollouts_pod_template_hash="{{args.hash}}"}[1m])) == 0',
    ].join('\n'));
    expect(validateAll([...objects])).toEqual([]);
  });
});

describe('promtool runs are bounded', () => {
  test('a run past its time limit is killed and reported as a failed case', () => {
    const dir = tmp('slow-promtool');
    const slow = path.join(dir, 'promtool');
    fs.writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const doc = loadSpec(spec);
    const [first] = analysisCases(resolve(doc.metadata, doc.spec));
    const started = Date.now();
    const [outcome] = runCases([first], slow, { seconds: 1, memory: '64MiB' });
    expect(outcome).toMatchObject({ ok: false, phase: 'Error', error: 'promtool did not finish within 1s (killed)' });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(PROMTOOL_LIMITS).toEqual({ seconds: 60, memory: '512MiB' });
  });

  test('a test series is at most MAX_TEST_SAMPLES samples: 0+1x100000000 is a spec error', () => {
    const big = spec.replace("values: '0+0.5x8'", "values: '0+1x100000000'");
    expect(specErrors(big)).toEqual([`web.yaml: web: spec.analysisTemplates[0].metrics[3].tests[0].series[0].values: expands to 100000001 samples; at most ${MAX_TEST_SAMPLES} (promtool would hold them all in memory)`]);
  });
});
