/**
 * Property-based tests of the whole path from spec to manifests (fixed seed, bounded runs):
 *  - generated valid specs load without errors and synthesize objects that pass the CRD/OpenAPI schemas,
 *    the cross-reference checks and the YAML round trip;
 *  - mutated specs (out-of-range numbers, wrong types, unknown keys, adversarial strings) give either a
 *    list of `<path>: <message>` errors or output that passes the same checks; never an exception.
 */
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { loadText } from '../../src/load/load';
import { parseDocument } from '../../src/load/parse';
import { formatIssue } from '../../src/document/errors';
import { synthDocuments } from '../../src/constructs/synth';
import { toYaml, toYamlDocuments } from '../../src/util/yaml-emitter';
import { validateAll } from '../support/schema';
import { crossReferenceProblems } from '../support/cross-refs';
import { API_VERSION } from '../support/specs';

const SEED = 20261124;

type Doc = Record<string, any>;

/** Strings that break naive quoting in YAML, shell, JSON, Go templates and PromQL. */
const adversarial = fc.oneof(
  fc.constantFrom(
    '', ' ', '"', "'", '\\', '`id`', '$(rm -rf /)', '${HOME}', '$HOME', '{{', '}}', '{{args.x}}', '{{ .Values }}', '%s%n',
    'a\nb', 'a\r\nInjected: 1', '\ttab', '\u0000', '\u2028', '\ufeff', 'é', '日本', '🚀', '-- ', '#comment', ': x', '- x', '? x',
    'yes', 'no', 'on', 'null', '~', '0x1F', '012', '1e3', '.inf', '---', '...', '&a', '*a', '!!str', '<script>', '"; DROP TABLE x; --',
    'x'.repeat(300), '{"a":1}', '[1,2]', '}{', '\\u0041', '%2F..%2F',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/);
const argName = dnsLabel.filter((n) => !/token|password|secret|apikey|api-key/.test(n));
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?)?$/);
const labelKey = fc.stringMatching(/^([a-z]{1,8}\.[a-z]{2,3}\/)?[a-z][a-z0-9]{0,10}$/)
  .filter((k) => k !== 'app.kubernetes.io/name' && k !== 'rollouts-pod-template-hash');
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const annotations = fc.dictionary(labelKey, adversarial, { maxKeys: 3 });

/** Steps of a weight schedule: strictly increasing weights in 1..100. */
const weights = fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }).map((w) => [...w].sort((a, b) => a - b));
const duration = fc.constantFrom('30s', '1m', '5m', '1h30m', '90s', 45, 0);

interface Template { name: string; args: { name: string; value?: string }[]; metrics: Doc[] }

/** A metric of each provider whose placeholders name the template's args; `bounded` gives it an end. */
function metricArb(args: readonly string[], bounded: boolean): fc.Arbitrary<Doc> {
  const ph = (i: number) => (args.length > 0 ? `{{args.${args[i % args.length]}}}` : 'x');
  const timing = bounded
    ? fc.oneof(fc.constant({}), fc.record({ interval: fc.constantFrom('30s', '1m'), count: fc.integer({ min: 1, max: 5 }) }))
    : fc.oneof(fc.constant({}), fc.record({ interval: fc.constantFrom('30s', '1m') }), fc.record({ interval: fc.constant('1m'), count: fc.integer({ min: 2, max: 5 }) }));
  const prometheus = fc.record({
    name: dnsLabel,
    successCondition: fc.constant('len(result) == 0 || result[0] >= 0.95'),
    provider: fc.constant({ prometheus: { query: `sum(rate(http_requests_total{pod="${ph(0)}", code!~"5.."}[1m])) / sum(rate(http_requests_total{pod="${ph(1)}"}[1m]))` } }),
  });
  const web = fc.record({
    name: dnsLabel,
    successCondition: fc.constant('result < 0.05'),
    provider: fc.record({
      web: fc.record({
        url: fc.constant(`http://checker.shop.svc/rate?pod=${ph(0)}`),
        jsonPath: fc.constant('{$.rate}'),
        headers: fc.array(fc.record({ key: fc.constantFrom('X-Canary', 'Accept'), value: fc.constantFrom('"q"', '$(x)', '`b`', ph(0)) }), { maxLength: 2 }),
      }),
    }),
  });
  const job = fc.record({
    name: dnsLabel,
    provider: fc.record({
      job: fc.record({
        image: fc.constant('curlimages/curl:8.11.1'),
        command: fc.array(adversarial.filter((s) => !s.includes('{{') && s.length > 0), { minLength: 1, maxLength: 3 }).map((c) => [...c, ph(0)]),
        env: fc.array(fc.record({ name: envName, value: adversarial.filter((s) => !s.includes('{{')) }), { maxLength: 2 })
          .map((env) => env.filter((e, i) => env.findIndex((x) => x.name === e.name) === i)),
      }),
    }),
  });
  const vsStable = fc.record({
    name: dnsLabel,
    provider: fc.record({
      errorRatioVsStable: fc.record({
        metric: fc.constant('http_requests_total'),
        canary: fc.constant({ pod: ph(0), track: 'canary' }),
        stable: fc.constant({ track: 'stable' }),
        success: fc.constant({ label: 'code', op: '!~', value: '5..' }),
        tolerance: fc.oneof(fc.record({ absolute: fc.double({ min: 0, max: 0.99, noNaN: true }) }), fc.record({ relative: fc.double({ min: 0, max: 10, noNaN: true }) })),
        minRequests: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
      }, { requiredKeys: ['metric', 'canary', 'stable', 'success', 'tolerance'] }),
    }),
  });
  const external = fc.record({
    name: dnsLabel,
    successCondition: fc.constant('result < 0.05'),
    dryRun: fc.boolean(),
    measurementRetention: fc.integer({ min: 1, max: 100 }),
    provider: fc.constantFrom(
      { datadog: { query: `avg:errors{pod:${ph(0)}}.as_count()` } },
      { graphite: { address: 'http://graphite.monitoring', query: `sumSeries(web.${ph(0)}.errors)` } },
      { newRelic: { query: `SELECT count(*) FROM Transaction WHERE pod = '${ph(0)}'` } },
    ),
  });
  return fc.tuple(fc.oneof(prometheus, web, job, vsStable, external), timing).map(([m, t]) => ({ ...m, ...t }));
}

function templateArb(name: string, bounded: boolean): fc.Arbitrary<Template> {
  return fc.uniqueArray(argName, { maxLength: 2 }).chain((argNames) => fc.record({
    name: fc.constant(name),
    // A default lands raw in a PromQL label value (rule:promql-arg-values): a quote or backslash there would end it.
    args: fc.tuple(...argNames.map((a) => fc.record({ name: fc.constant(a), value: adversarial.filter((s) => !s.includes('{{') && !/["\\\n]/.test(s)) }))),
    metrics: fc.uniqueArray(metricArb(argNames, bounded), { minLength: 1, maxLength: 2, selector: (m) => m.name }),
  }));
}

/** A valid CanaryApp document; every field drawn from the spec types, references consistent. */
const validDoc: fc.Arbitrary<Doc> = fc.record({
  name: dnsLabel,
  namespace: fc.option(dnsLabel, { nil: undefined }),
  labels,
  annotations,
  routed: fc.boolean(),
  host: fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?\.example\.com$/),
  schedule: fc.oneof(weights.map((w): Doc => ({ weights: w })), fc.array(fc.oneof(
    fc.integer({ min: 0, max: 100 }).map((w) => ({ setWeight: w })),
    duration.map((d) => ({ pause: { duration: d } })),
    fc.constant({ pause: {} }),
  ), { minLength: 1, maxLength: 5 }).map((steps): Doc => ({ steps }))),
  pause: fc.option(duration, { nil: undefined }),
  stepTemplate: fc.option(templateArb('smoke', true), { nil: undefined }),
  bgTemplate: fc.option(templateArb('rate', false), { nil: undefined }),
  replicas: fc.integer({ min: 0, max: 20 }),
  env: fc.array(fc.record({ name: envName, value: adversarial }), { maxLength: 3 }),
  command: fc.option(fc.array(adversarial, { maxLength: 3 }), { nil: undefined }),
  podLabels: labels,
  podAnnotations: annotations,
  metrics: fc.boolean(),
  maxSurge: fc.option(fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom('25%', '100%')), { nil: undefined }),
  dynamicStableScale: fc.boolean(),
}).map((g) => {
  const templates: Template[] = [g.stepTemplate, g.bgTemplate].filter((x): x is Template => x !== undefined);
  const canary: Doc = { ...g.schedule };
  if (g.schedule.weights && g.pause !== undefined) canary.pause = g.pause;
  if (g.stepTemplate) {
    const analysis = { templates: ['smoke'], args: g.stepTemplate.args.map((a) => ({ name: a.name, valueFrom: { podTemplateHashValue: 'Latest' } })) };
    canary.steps = [...(canary.steps ?? (g.schedule.weights as number[]).map((w) => ({ setWeight: w }))), { analysis }];
    delete canary.weights;
    delete canary.pause;
  }
  if (g.bgTemplate) canary.analysis = { templates: ['rate'] };
  if (g.maxSurge !== undefined) canary.maxSurge = g.maxSurge;
  if (g.routed && g.dynamicStableScale) canary.dynamicStableScale = true;
  const spec: Doc = {
    image: { repository: 'example/web', tag: '1.2.3' },
    replicas: g.replicas,
    env: g.env.filter((e, i) => g.env.findIndex((x) => x.name === e.name) === i),
    podLabels: g.podLabels,
    podAnnotations: g.podAnnotations,
    canary,
  };
  if (g.command) spec.command = g.command;
  if (g.metrics) spec.ports = { metrics: 9090 };
  if (g.routed) {
    spec.ingress = { host: g.host, annotations: g.podAnnotations };
    spec.trafficRouting = { nginx: { canaryIngressAnnotations: g.annotations } };
  }
  if (templates.length > 0) {
    spec.prometheus = { address: 'http://prometheus.monitoring:9090' };
    spec.analysisTemplates = templates;
  }
  const metadata: Doc = { name: g.name, labels: g.labels, annotations: g.annotations };
  if (g.namespace) metadata.namespace = g.namespace;
  return { apiVersion: API_VERSION, kind: 'CanaryApp', metadata, spec };
});

/** Every path to a value in a document, for mutations. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

const replacement = fc.oneof(
  adversarial,
  fc.constantFrom(-1, 0, 101, 65536, 2 ** 31, 2 ** 53, 1.5, -0.5, Number.MAX_SAFE_INTEGER, 1e21),
  fc.constantFrom(null, true, false, [], {}, [1], { x: 1 }, 'latest'),
);

type Mutation = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'unknown-key'; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: replacement.map((value): Mutation => ({ kind: 'set', value })) },
  { weight: 1, arbitrary: fc.constant<Mutation>({ kind: 'delete' }) },
  { weight: 1, arbitrary: fc.tuple(adversarial, replacement).map(([key, value]): Mutation => ({ kind: 'unknown-key', key, value })) },
);

function mutate(doc: Doc, pick: number, m: Mutation): Doc {
  const copy = structuredClone(doc);
  const all = paths(copy);
  const path = all[pick % all.length];
  if (path.length === 0) return copy;
  const parent = path.slice(0, -1).reduce((o: any, k) => o[k], copy);
  const key = path[path.length - 1];
  if (m.kind === 'set') parent[key] = m.value;
  else if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else {
    const target = parent[key];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) target[m.key] = m.value;
    else parent[key] = { [m.key]: m.value };
  }
  return copy;
}

/** The synthesized objects pass the schemas, the cross-reference checks and the YAML round trip. */
function expectValidOutput(docs: Doc[]): void {
  const apps = synthDocuments(docs as any);
  for (const app of apps) {
    const objects = app.objects as any[];
    expect(validateAll(objects)).toEqual([]);
    expect(crossReferenceProblems(objects)).toEqual([]);
    const text = toYamlDocuments(objects);
    const parsed = parseAllDocuments(text);
    expect(parsed.flatMap((d) => d.errors.map((e) => e.message))).toEqual([]);
    expect(parsed.map((d) => d.toJS())).toEqual(JSON.parse(JSON.stringify(objects)));
  }
}

/** `[warning: ]<spec path>: <message>`, the path as joinPath spells it: `.field`, `[index]`, `["key"]`. */
const ISSUE_LINE = /^(warning: )?(kind|apiVersion|metadata|spec)(\.[A-Za-z_]\w*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*: \S/s;

describe('spec fuzzing (fixed seed)', () => {
  test('valid specs load from YAML without errors and synthesize valid, consistent, round-tripping manifests', () => {
    fc.assert(fc.property(validDoc, (doc) => {
      const loaded = loadText(toYaml(doc), 'gen.yaml');
      const errors = loaded.issues.filter((i) => i.severity === 'error').map((i) => formatIssue(i));
      expect(errors).toEqual([]);
      expect(loaded.apps).toHaveLength(1);
      expectValidOutput([loaded.apps[0].document]);
    }), { seed: SEED, numRuns: 300 });
  });

  test('mutated specs give path-and-message errors or valid output, never an exception', () => {
    let rejected = 0;
    let accepted = 0;
    fc.assert(fc.property(validDoc, fc.nat(), mutation, (doc, pick, m) => {
      const bad = mutate(doc, pick, m);
      const result = parseDocument(bad);
      const errors = result.issues.filter((i) => i.severity === 'error');
      for (const issue of result.issues) expect(formatIssue(issue)).toMatch(ISSUE_LINE);
      // The same document through YAML text: no exception, the same verdict.
      const loaded = loadText(toYaml(bad), 'mutated.yaml');
      expect(loaded.issues.some((i) => i.severity === 'error')).toBe(errors.length > 0);
      if (errors.length > 0) {
        rejected++;
        expect(result.value).toBeUndefined();
      } else {
        accepted++;
        expectValidOutput([result.value!]);
      }
    }), { seed: SEED, numRuns: 1500 });
    // Both branches must be exercised, or the mutations are too weak or too strong to mean anything.
    expect(rejected).toBeGreaterThan(300);
    expect(accepted).toBeGreaterThan(100);
  });

  test('same input, byte-identical output, whatever the key order', () => {
    const shuffle = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(shuffle);
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, shuffle(x)]));
      return v;
    };
    fc.assert(fc.property(validDoc, (doc) => {
      const a = synthDocuments([parseDocument(doc).value!]).map((x) => toYamlDocuments(x.objects));
      const b = synthDocuments([parseDocument(shuffle(doc)).value!]).map((x) => toYamlDocuments(x.objects));
      expect(b).toEqual(a);
    }), { seed: SEED, numRuns: 100 });
  });
});
