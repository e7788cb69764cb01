/** Regex matchers compile as RE2 (src/analysis/re2.ts); promtool agreement is in promql-differential.test.ts. */
import { re2Problem } from '../../src/analysis/re2';
import { specErrors, specYaml } from '../support/specs';

test('RE2 refuses lookaround, backreferences, unknown escapes and repeats past 1000; takes its own syntax', () => {
  expect(re2Problem('(?=b)')).toBe('(?= is lookaround or another construct RE2 does not support');
  expect(re2Problem('(a)\\1')).toBe('\\1 is a backreference, which RE2 does not support');
  expect(re2Problem('\\Z')).toBe('\\Z is an escape RE2 does not know');
  expect(re2Problem('a{1001}')).toBe('{1001} repeats more than 1000 times, RE2\'s limit');
  expect(re2Problem('(a')).toMatch(/^does not compile: /);
  for (const ok of ['(?i)b', '(?i:b)c', '[[:alpha:]]+', '\\Qa.b\\E', '\\pL', '\\x{41}', '(?P<n>b)', '2..|3..', '[]a]']) expect([ok, re2Problem(ok)]).toEqual([ok, undefined]);
});

test('a successRate matcher with a regex Prometheus cannot compile is a spec error', () => {
  const errors = specErrors(specYaml(`  prometheus: {address: "http://prometheus:9090"}
  ports: {metrics: 9090}
  canary:
    steps:
      - setWeight: 10
      - analysis: {templates: [t], args: [{name: hash, valueFrom: {podTemplateHashValue: Latest}}]}
  analysisTemplates:
    - name: t
      args: [{name: hash}]
      metrics:
        - name: ok
          provider:
            successRate:
              metric: http_requests_total
              canary: {rollouts_pod_template_hash: "{{args.hash}}"}
              success: {label: code, op: "=~", value: "(?!5)..."}
              threshold: 0.99
`));
  expect(errors).toEqual([expect.stringMatching(/^web\.yaml: web: spec\.analysisTemplates\[0\]\.metrics\[0\]\.provider\.successRate: the generated query has the regex "\(\?!5\)\.\.\.", which Prometheus cannot compile: \(\?! is lookaround or another construct RE2 does not support$/)]);
});
