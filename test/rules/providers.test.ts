/**
 * The providers beyond Prometheus, web and Job: each one's template validates against the real
 * AnalysisTemplate CRD schema, credentials have no field to be written into, and the controller's own
 * provider rules (argo-rollouts v1.9.1 metricproviders/*) are errors at synth time.
 */
import { synthDocuments } from '../../src/constructs/synth';
import { validateAll } from '../support/schema';
import { loadSpec, specErrors, specYaml } from '../support/specs';

const withMetrics = (metrics: string) => specYaml(`  canary:
    steps:
      - setWeight: 10
      - analysis: {templates: [external], args: [{name: canary-hash, valueFrom: {podTemplateHashValue: Latest}}]}
  analysisTemplates:
    - name: external
      args: [{name: canary-hash}]
      metrics:
${metrics}`);

const EVERY_PROVIDER = `        - name: datadog-v1
          successCondition: default(result, 0) < 0.05
          provider:
            datadog:
              query: "sum:requests.error{version:{{args.canary-hash}}}.as_count() / sum:requests.total{version:{{args.canary-hash}}}.as_count()"
        - name: datadog-v2
          successCondition: default(result, 0) < 0.05
          provider:
            datadog:
              apiVersion: v2
              interval: 10m
              queries: {errors: "sum:requests.error{version:{{args.canary-hash}}}.as_count()", total: "sum:requests.total{version:{{args.canary-hash}}}.as_count()"}
              formula: errors / total
              aggregator: sum
              secretRef: {name: datadog-shop, namespaced: true}
        - name: newrelic
          successCondition: result.errorRate < 0.05
          provider:
            newRelic:
              profile: newrelic-shop
              timeout: 10
              query: "FROM Transaction SELECT percentage(count(*), WHERE httpResponseCode >= 500) AS errorRate WHERE appName = 'web' AND version = '{{args.canary-hash}}'"
        - name: cloudwatch
          successCondition: "all(result[0].Values, {# <= 0.01})"
          provider:
            cloudWatch:
              interval: 5m
              metricDataQueries:
                - id: rate
                  expression: errors / requests
                - id: errors
                  returnData: false
                  metricStat:
                    metric:
                      namespace: AWS/ApplicationELB
                      metricName: HTTPCode_Target_5XX_Count
                      dimensions: [{name: TargetGroup, value: "{{args.canary-hash}}"}]
                    period: 300
                    stat: Sum
                    unit: Count
                - id: requests
                  returnData: false
                  metricStat:
                    metric: {namespace: AWS/ApplicationELB, metricName: RequestCount, dimensions: [{name: TargetGroup, value: "{{args.canary-hash}}"}]}
                    period: "300"
                    stat: Sum
        - name: graphite
          successCondition: "result[0] < 5"
          provider:
            graphite:
              address: http://graphite.monitoring:8080
              query: "asPercent(sumSeries(web.{{args.canary-hash}}.errors), sumSeries(web.{{args.canary-hash}}.requests))"
        - name: influxdb
          successCondition: "result[0] < 0.05"
          provider:
            influxdb:
              profile: influxdb-shop
              query: 'from(bucket: "app") |> range(start: -5m) |> filter(fn: (r) => r.hash == "{{args.canary-hash}}") |> mean()'
        - name: wavefront
          successCondition: "result < 0.05"
          provider:
            wavefront:
              address: example.wavefront.com
              query: 'sum(rate(ts("http.errors", hash="{{args.canary-hash}}")))'
        - name: kayenta
          interval: 5m
          count: 3
          provider:
            kayenta:
              address: http://kayenta.kayenta:8090
              application: web
              canaryConfigName: web-config
              metricsAccountName: prometheus
              configurationAccountName: gcs
              storageAccountName: gcs
              threshold: {pass: 90, marginal: 75}
              scopes:
                - name: default
                  controlScope: {scope: "app=web,hash=stable", region: eu-west-1, step: 60}
                  experimentScope: {scope: "app=web,hash={{args.canary-hash}}", region: eu-west-1, step: 60}
        - name: plugin
          successCondition: "result[0] < 0.05"
          dryRun: true
          provider:
            plugin:
              argoproj-labs/sample-prometheus: {address: "http://prometheus:9090", query: "vector(0)"}
`;

describe('every provider', () => {
  const objects = synthDocuments([loadSpec(withMetrics(EVERY_PROVIDER))])[0].objects;
  const tpl = objects.find((o) => o.kind === 'AnalysisTemplate')!;
  const provider = (name: string) => tpl.spec.metrics.find((m: { name: string }) => m.name === name).provider;

  test('the templates validate against the AnalysisTemplate CRD schema', () => {
    expect(tpl.spec.metrics.map((m: { provider: object }) => Object.keys(m.provider))).toEqual([
      ['datadog'], ['datadog'], ['newRelic'], ['cloudWatch'], ['graphite'], ['influxdb'], ['wavefront'], ['kayenta'], ['plugin'],
    ]);
    expect(validateAll([...objects])).toEqual([]);
  });

  test('fields reach the manifest as written; Datadog gets the CRD defaults spelled out', () => {
    expect(provider('datadog-v1').datadog).toEqual({ apiVersion: 'v1', interval: '5m', query: expect.stringContaining('{{args.canary-hash}}') });
    expect(provider('datadog-v2').datadog).toMatchObject({ apiVersion: 'v2', interval: '10m', formula: 'errors / total', secretRef: { name: 'datadog-shop', namespaced: true } });
    expect(provider('cloudwatch').cloudWatch.metricDataQueries[2].metricStat.period).toBe('300');
    expect(provider('plugin')).toEqual({ plugin: { 'argoproj-labs/sample-prometheus': { address: 'http://prometheus:9090', query: 'vector(0)' } } });
    expect(tpl.spec.dryRun).toEqual([{ metricName: '^plugin$' }]);
  });
});

describe('provider rules', () => {
  const errors = (provider: string, extra = '          successCondition: result < 1\n') => specErrors(withMetrics(`        - name: m
${extra}          provider:
${provider}`)).map((e) => e.replace('web.yaml: web: spec.analysisTemplates[0].metrics[0]', '@'));

  test('Datadog: query or queries, v1 takes a query and no aggregator, several queries need a formula', () => {
    expect(errors('            datadog: {}\n')).toEqual(['@.provider.datadog: must set query or queries (the controller fails every measurement without one)']);
    expect(errors('            datadog: {query: "a", queries: {a: "b"}, apiVersion: v2}\n')).toEqual(['@.provider.datadog: sets both query and queries; set one']);
    expect(errors('            datadog: {queries: {a: "x", b: "y"}}\n')).toEqual([
      '@.provider.datadog.queries: needs apiVersion v2; API v1 only takes `query`',
      '@.provider.datadog.formula: is required with 2 queries: Datadog returns one column per query in no set order',
    ]);
    expect(errors('            datadog: {query: "x", formula: "a", aggregator: avg}\n')).toEqual([
      '@.provider.datadog.formula: is only used with queries',
      '@.provider.datadog.aggregator: needs apiVersion v2; API v1 has no aggregator',
    ]);
  });

  test('Kayenta: scope times on both scopes or neither; its score decides, not conditions', () => {
    expect(errors(`            kayenta:
              address: http://kayenta:8090
              application: web
              canaryConfigName: c
              metricsAccountName: m
              configurationAccountName: c
              storageAccountName: s
              threshold: {pass: 70, marginal: 80}
              scopes: [{name: default, controlScope: {scope: a, region: r, step: 60, start: "2026-01-01T00:00:00Z"}, experimentScope: {scope: b, region: r, step: 60}}]
`)).toEqual([
      '@.provider.kayenta.threshold: marginal must not be above pass',
    ]);
    expect(errors(`            kayenta:
              address: http://kayenta:8090
              application: web
              canaryConfigName: c
              metricsAccountName: m
              configurationAccountName: c
              storageAccountName: s
              threshold: {pass: 80, marginal: 70}
              scopes: [{name: default, controlScope: {scope: a, region: r, step: 60, start: "2026-01-01T00:00:00Z"}, experimentScope: {scope: b, region: r, step: 60}}]
`)).toEqual([
      '@: sets conditions on a Kayenta metric; the controller judges it by the score against threshold.pass and threshold.marginal and ignores them',
      '@.provider.kayenta.scopes[0]: controlScope.start and experimentScope.start must both be set or both be left out (the controller fails the measurement)',
    ]);
  });

  test('queries need conditions, balanced brackets and quotes, and declared args', () => {
    expect(errors('            newRelic: {query: "SELECT count(*) FROM Transaction WHERE appName = \'web"}\n', '')).toEqual([
      '@: sets neither successCondition nor failureCondition; the controller would count every measurement as successful',
      '@.provider.newRelic.query: "SELECT count(*) FROM Transaction WHERE appName = \'web" has an unclosed \' quote; the backend would refuse the query',
    ]);
    expect(errors('            graphite: {address: "http://graphite", query: "sumSeries(web.{{args.hash}}.errors"}\n')).toEqual([
      '@.provider.graphite.query: uses {{args.hash}} but template "external" declares no arg "hash"',
      '@.provider.graphite.query: "sumSeries(web.{{args.hash}}.errors" has an unclosed "("; the backend would refuse the query',
    ]);
  });

  test('no provider has a credential field: a token cannot be written into a template', () => {
    expect(errors('            datadog: {query: "x", apiKey: "abc"}\n')).toEqual(['@.provider.datadog.apiKey: unknown field']);
    expect(errors('            influxdb: {query: "x", authToken: "abc"}\n')).toEqual(['@.provider.influxdb.authToken: unknown field']);
  });

  test('a plugin is named <namespace>/<name>, exactly one', () => {
    expect(errors('            plugin: {sample: {}}\n')).toEqual(['@.provider.plugin["sample"]: is not a plugin name `<namespace>/<name>` as in metricProviderPlugins']);
    expect(errors('            plugin: {"a/b": {}, "c/d": {}}\n')).toEqual(['@.provider.plugin: must name exactly one plugin']);
  });

  test('an analysis of dry-run metrics only is a warning', () => {
    const { parseDocument } = jest.requireActual<typeof import('../../src/load/parse')>('../../src/load/parse');
    const yaml = withMetrics(`        - name: m
          dryRun: true
          successCondition: result < 1
          provider:
            graphite: {address: "http://graphite", query: "x.{{args.canary-hash}}"}
`);
    const warnings = parseDocument(loadSpec(yaml)).issues.filter((i) => i.severity === 'warning').map((i) => `${i.path}: ${i.message}`);
    expect(warnings.filter((w) => w.includes('dry-run'))).toEqual(['spec.canary.steps[1].analysis: runs only dry-run metrics: this analysis reports but can never stop the rollout']);
  });
});
