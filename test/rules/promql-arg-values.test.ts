/** `rule:promql-arg-values`: static arg values are substituted into a query as the controller does, and re-checked. */
import { specErrors, specYaml } from '../support/specs';

const spec = (analysisArgs: string, templateArgs = '[{name: hash}, {name: window, value: 2m}]') => specYaml(`  prometheus: {address: "http://prometheus:9090"}
  canary:
    steps:
      - setWeight: 10
      - analysis: {templates: [t], args: ${analysisArgs}}
  analysisTemplates:
    - name: t
      args: ${templateArgs}
      metrics:
        - name: errors
          successCondition: len(result) == 0 || result[0] < 5
          provider:
            prometheus:
              query: sum(increase(errors_total{hash="{{args.hash}}"}[{{args.window}}]))
`);

describe('static arg values are checked in the query they are pasted into', () => {
  test('valid values and values only known at run time pass', () => {
    expect(specErrors(spec('[{name: hash, valueFrom: {podTemplateHashValue: Latest}}]'))).toEqual([]);
    expect(specErrors(spec('[{name: hash, value: abc-123}, {name: window, value: 5m}]'))).toEqual([]);
  });

  test('a label value that ends its string makes a gate that always passes: refused', () => {
    expect(specErrors(spec(`[{name: hash, value: '"} or vector(0) or x{a="'}]`))).toEqual([
      'web.yaml: web: spec.canary.steps[1].analysis.args[0].value: "\\"} or vector(0) or x{a=\\"" changes the structure of the query of t/errors it is substituted into (the controller pastes values in raw): "sum(increase(errors_total{hash=\\"\\"} or vector(0) or x{a=\\"\\"}[{{args.window}}]))"; a label value must not contain a quote or a backslash',
    ]);
  });

  test('a duration the engine refuses, from the analysis or the template default', () => {
    expect(specErrors(spec('[{name: hash, value: abc}, {name: window, value: 0s}]'))).toEqual([
      'web.yaml: web: spec.canary.steps[1].analysis.args[1].value: with window="0s", the query of t/errors duration 0s must be greater than 0',
    ]);
    expect(specErrors(spec('[{name: hash, valueFrom: {podTemplateHashValue: Latest}}]', '[{name: hash}, {name: window, value: "5"}]'))).toEqual([
      'web.yaml: web: spec.analysisTemplates[0].args[1].value: with window="5", the query of t/errors "5" is not a duration with units, such as 2m or 90s',
    ]);
  });
});
