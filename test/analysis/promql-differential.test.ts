/**
 * Differential test: fuzzed PromQL through the synth-time check (`checkPromQL`) and the real promtool
 * (`promtool check rules`, Debian's prometheus) must get the same verdict, accepted or refused. The
 * generator mixes valid building blocks with the shapes that once disagreed (a range after a binary
 * expression, an offset or parentheses, zero durations, unit-less durations, duration arithmetic) and
 * uses only the functions of the promtool under test.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { checkPromQL } from '../../src/analysis/promql';
import { toYaml } from '../../src/util/yaml-emitter';
import { tmp } from '../support/tmp';

/** promtool's verdict on each query: one rules file, one run; refused rules are named by their index. */
function promtoolVerdicts(queries: readonly string[]): boolean[] {
  const dir = tmp('promql-diff');
  const file = path.join(dir, 'rules.yaml');
  fs.writeFileSync(file, toYaml({ groups: [{ name: 'q', rules: queries.map((expr) => ({ record: 'canarykit:q', expr })) }] }));
  const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.error) throw r.error;
  const refused = new Set([...(r.stdout + r.stderr).matchAll(/group "q", rule (\d+), "canarykit:q": could not parse expression/g)].map((m) => Number(m[1]) - 1));
  // Any other failure (a YAML error, a crash) must fail the test, not read as "all refused".
  if (r.status !== 0 && refused.size === 0) throw new Error(`promtool failed: ${r.stderr}${r.stdout}`);
  return queries.map((_, i) => !refused.has(i));
}

const durations = ['2m', '30s', '1h', '90s', '0s', '0m', '5', '1m+1m', '1m30s'];
const selectors = ['up', 'http_requests_total{code="200"}', 'x{a=~"b.*", c!="d"}', '{__name__="up"}', 'y{}', 'up offset 5m', 'up offset -1m', 'up offset 0s', 'up @ 100', 'up @ start()', ...regexes().map((r) => `z{a=~${JSON.stringify(r)}}`)];

/** Regexes RE2 takes and ones it refuses (where JavaScript's engine often disagrees with it). */
function regexes(): string[] {
  return ['(?=b)', '(a)\\1', '[z-a]', '(?P<n>b)', 'a{2,1}', '\\Z', 'a**', 'a{1001}', 'a{1000}', '(?i)b', '(?i:b)c', '[[:alpha:]]+', '(?<n>b)', 'a{', '\\Qa.b\\E',
    '(a', '\\pL', 'a++', '\\d\\w\\s\\b', '\\x{41}', '\\c', '[a-', '(?s).*', '(?U)a+', '2..|3..', '[]a]', '[^]a]', 'a|', '', '\\.', '(?:a)', 'é+', '\\é', '\\k<n>', '(?>a)', '(?!a)'];
}
const instantFns = ['abs', 'ceil', 'sqrt', 'sort', 'absent', 'timestamp', 'exp'];
const rangeFns = ['rate', 'irate', 'increase', 'delta', 'deriv', 'changes', 'resets', 'avg_over_time', 'max_over_time', 'count_over_time', 'last_over_time', 'present_over_time', 'absent_over_time'];
const aggs = ['sum', 'avg', 'min', 'max', 'count', 'stddev', 'group'];
const binops = ['+', '-', '*', '/', '%', '^', '==', '!=', '>', '<', '>=', '<=', 'and', 'or', 'unless', '> bool', '== bool', '+ on(a)', '* ignoring(b)', '/ on(a) group_left', 'or on()'];

const query: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...selectors),
    fc.constantFrom('1', '0.5', '-2', '"s"', 'time()', 'pi()', 'NaN', 'Inf'),
    fc.tuple(fc.constantFrom(...selectors), fc.constantFrom(...durations)).map(([s, d]) => `${s}[${d}]`),
    fc.tuple(tie('expr'), fc.constantFrom(...durations), fc.constantFrom('', ...durations)).map(([e, d, s]) => `${e}[${d}:${s}]`),
    fc.tuple(tie('expr'), fc.constantFrom(...durations)).map(([e, d]) => `${e}[${d}]`),
    fc.tuple(tie('expr'), fc.constantFrom('5m', '-1m', '0s')).map(([e, d]) => `${e} offset ${d}`),
    tie('expr').map((e) => `(${e})`),
    tie('expr').map((e) => `-${e}`),
    fc.tuple(tie('expr'), fc.constantFrom(...binops), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(fc.constantFrom(...instantFns, ...rangeFns), tie('expr')).map(([f, e]) => `${f}(${e})`),
    fc.tuple(fc.constantFrom(...aggs), tie('expr'), fc.constantFrom('', ' by (a)', ' without (b)')).map(([a, e, g]) => `${a}(${e})${g}`),
    fc.tuple(fc.constantFrom('topk', 'quantile'), tie('expr'), tie('expr')).map(([a, p, e]) => `${a}(${p}, ${e})`),
    fc.tuple(tie('expr'), fc.constantFrom('0.9', '"x"')).map(([e, p]) => `histogram_quantile(${p}, ${e})`),
  ),
})).expr;

describe('the synth-time PromQL check agrees with promtool', () => {
  test('the queries that once disagreed', () => {
    const once = ['sum(rate(up or up[2m]))', 'rate(up offset 5m[2m])', 'rate((up)[2m])', 'up[0s]', 'max_over_time(up[5m:0s])', 'max_over_time(up[0s:1m])',
      'rate(up @ 100[2m])', '-up[1m]', 'up[1m+1m]', 'rate(up[5])', 'rate(up[2m] offset 5m)', 'max_over_time(rate(up[1m])[5m:1m])', 'up offset -5m', 'up offset 0s', '0.5 / on(a) group_left up', 'up * ignoring(b) time()',
      ...regexes().map((r) => `sum(z{a!~${JSON.stringify(r)}})`)];
    const verdicts = promtoolVerdicts(once);
    expect(once.map((q) => [q, checkPromQL(q).problems.length === 0])).toEqual(once.map((q, i) => [q, verdicts[i]]));
    // Both kinds are present: the comparison above cannot pass by refusing (or accepting) everything.
    expect(new Set(verdicts)).toEqual(new Set([true, false]));
  });

  test('2,500 fuzzed queries (fixed seed): same verdict from both', () => {
    const queries = [...new Set(fc.sample(query, { seed: 20261128, numRuns: 2500 }))];
    const verdicts = promtoolVerdicts(queries);
    const disagreements = queries.flatMap((q, i) => {
      const synth = checkPromQL(q);
      return (synth.problems.length === 0) === verdicts[i] ? [] : [`${q}: promtool ${verdicts[i] ? 'accepts' : 'refuses'}, synth ${synth.problems.length === 0 ? 'accepts' : `refuses (${synth.problems[0].message})`}`];
    });
    expect(disagreements).toEqual([]);
    const accepted = verdicts.filter(Boolean).length;
    // A generator that only makes broken (or only valid) queries would prove nothing.
    expect(accepted).toBeGreaterThan(queries.length / 10);
    expect(queries.length - accepted).toBeGreaterThan(queries.length / 10);
  });
});
