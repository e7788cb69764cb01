/**
 * The AnalysisLibrary kind: shared templates checked like an app's, and the references of apps to them
 * checked across the files of a run (the template exists, its scope and namespace fit, every required arg
 * is supplied and none is unknown), every problem at once with its path.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadSpecs } from '../../src/load/load';
import { formatIssue } from '../../src/document/errors';
import { planSynth } from '../../src/targets/incremental';
import { API_VERSION, specYaml } from '../support/specs';
import { tmp } from '../support/tmp';

/** A library `platform` in namespace `shop`: a cluster template `errors` (args ns, hash) and a namespaced `latency`. */
function libraryYaml(extra = '', meta = 'name: platform, namespace: shop'): string {
  return `apiVersion: ${API_VERSION}
kind: AnalysisLibrary
metadata: {${meta}}
spec:
  prometheus: {address: http://prometheus.monitoring:9090}
  analysisTemplates:
    - name: errors
      clusterScoped: true
      args: [{name: ns}, {name: hash}, {name: window, value: 5m}]
      metrics:
        - name: errors
          successCondition: result[0] < 0.01
          provider:
            prometheus:
              query: sum(rate(errors_total{namespace="{{args.ns}}", rollouts_pod_template_hash="{{args.hash}}"}[{{args.window}}]))
    - name: latency
      args: [{name: hash}]
      metrics:
        - name: p99
          provider:
            latency: {metric: http_request_duration_seconds, canary: {rollouts_pod_template_hash: "{{args.hash}}"}, thresholdSeconds: 0.5}
${extra}`;
}

/** An app whose background analysis names `templates` (YAML flow items) with `args` (YAML flow items). */
function appYaml(templates: string, args: string, meta: { name?: string; namespace?: string } = {}): string {
  return specYaml(`  canary:
    weights: [50]
    analysis:
      templates: [${templates}]
      args: [${args}]
`, meta);
}

const HASH = '{name: hash, valueFrom: {podTemplateHashValue: Latest}}';
const NS = '{name: ns, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}';

/** Writes `files` into a fresh directory and loads it as `canarykit` does. */
function loadFiles(files: Record<string, string>) {
  const dir = tmp('library');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const result = loadSpecs([dir]);
  return { dir, ...result, errors: result.issues.filter((i) => i.severity === 'error').map((i) => formatIssue(i, path.basename(i.source))) };
}

test('a library and two apps referencing it load, the apps in other files and namespaces', () => {
  const { apps, libraries, errors } = loadFiles({
    'platform.yaml': libraryYaml(),
    'web.yaml': appYaml('{name: errors, library: platform, cluster: true}', `${NS}, ${HASH}`),
    'api.yaml': appYaml('{name: errors, library: platform, cluster: true}, {name: latency, library: platform}', `${NS}, ${HASH}`, { name: 'api' }),
  });
  expect(errors).toEqual([]);
  expect(libraries.map((l) => l.model.analysisTemplates.map((t) => [t.name, t.clusterScoped]))).toEqual([[['errors', true], ['latency', false]]]);
  // The Rollout names the library's templates as written, with the scope the reference says.
  const background = (name: string) => apps.find((a) => a.model.name === name)!.model.strategy;
  expect(JSON.stringify(background('api'))).toContain('"templates":[{"templateName":"errors","clusterScope":true},{"templateName":"latency"}]');
  // The library's default Prometheus and the built-in's compiled query.
  const latency = libraries[0].model.analysisTemplates[1].metrics[0];
  expect(latency.provider.prometheus?.address).toBe('http://prometheus.monitoring:9090');
  expect(latency.provider.prometheus?.query).toContain('histogram_quantile(0.99');
});

test('every bad reference at once, with its path: args missing and unknown, template, library, scope, namespace', () => {
  const { errors: found } = loadFiles({
    'platform.yaml': libraryYaml(),
    // Checked: args of errors + latency: ns missing, `hsh` unknown.
    'web.yaml': appYaml('{name: errors, library: platform, cluster: true}, {name: latency, library: platform}', '{name: hsh, value: x}, {name: hash, value: y}'),
    'api.yaml': appYaml('{name: nope, library: platform}, {name: errors, library: platform}, {name: x, library: elsewhere}', HASH, { name: 'api' }),
    // latency is namespaced in shop; the app is in another namespace.
    'ops.yaml': appYaml('{name: latency, library: platform}', HASH, { name: 'ops', namespace: 'ops' }),
  });
  const errors = found;
  expect([...errors].sort()).toEqual([
    'api.yaml: api: spec.canary.analysis.args: template "errors" needs arg "ns", which has no default and is not supplied',
    'api.yaml: api: spec.canary.analysis.templates[0].name: "nope" is not a template of library "platform" (its templates: errors, latency)',
    'api.yaml: api: spec.canary.analysis.templates[1].cluster: template "errors" of library "platform" is a ClusterAnalysisTemplate: write cluster: true, so the Rollout references it as one',
    'api.yaml: api: spec.canary.analysis.templates[2].library: "elsewhere" is not a valid AnalysisLibrary of the inputs (valid libraries: platform); pass its file with the app\'s, or fix its errors',
    'ops.yaml: ops: spec.canary.analysis.templates[0].name: template "latency" of library "platform" is an AnalysisTemplate in namespace "shop", and a Rollout reads templates from its own namespace ("ops"): make it clusterScoped in the library, or use a library in "ops"',
    'web.yaml: web: spec.canary.analysis.args: template "errors" needs arg "ns", which has no default and is not supplied',
    'web.yaml: web: spec.canary.analysis.args[0].name: "hsh" is not declared by any referenced template; the controller would drop it',
  ].sort());
  // In the order of the files, each app's in the order of its rules.
  expect(errors.map((e) => e.split(':')[0])).toEqual(['api.yaml', 'api.yaml', 'api.yaml', 'api.yaml', 'ops.yaml', 'web.yaml', 'web.yaml']);
});

test('{ name, cluster: true } without library names the same object: a loaded library\'s cluster template is checked too', () => {
  const { errors } = loadFiles({ 'platform.yaml': libraryYaml(), 'web.yaml': appYaml('{name: errors, cluster: true}', HASH) });
  expect(errors).toEqual(['web.yaml: web: spec.canary.analysis.args: template "errors" needs arg "ns", which has no default and is not supplied']);
  // An existing ClusterAnalysisTemplate no library defines stays unchecked, as before.
  expect(loadFiles({ 'web.yaml': appYaml('{name: someone-elses, cluster: true}', HASH) }).errors).toEqual([]);
});

test("a library's templates get an app's template and metric rules, with paths into the library", () => {
  const bad = libraryYaml().replace('[{{args.window}}]))', '[{{args.window}}])').replace('{name: window, value: 5m}', '{name: window, value: 5m}, {name: token, value: abc}');
  const { errors, issues } = loadFiles({ 'platform.yaml': bad });
  expect(errors).toEqual(expect.arrayContaining([
    expect.stringMatching(/^platform\.yaml: platform: spec\.analysisTemplates\[0\]\.metrics\[0\]\.provider\.prometheus\.query: the query /),
    'platform.yaml: platform: spec.analysisTemplates[0].args: arg "token" looks like a credential: supply it with valueFrom.secretKeyRef, never inline',
  ]));
  expect(issues.some((i) => i.severity === 'warning' && /arg "token" is declared but no metric uses/.test(i.message))).toBe(true);
  // And the schema's: the in-app template schema, with the library's fields.
  expect(loadFiles({ 'platform.yaml': libraryYaml().replace('scrapeInterval', 'x').replace('  prometheus:', '  prometeus:') }).errors)
    .toEqual(['platform.yaml: platform: spec.prometeus: unknown field']);
});

test('a library and an app may not share a name: both name an output file, a chart and an Application', () => {
  const { errors } = loadFiles({ 'a.yaml': libraryYaml('', 'name: web, namespace: shop'), 'b.yaml': specYaml() });
  expect(errors).toEqual([expect.stringMatching(/^a\.yaml: web: metadata\.name: duplicate app name "web" \(also in .*b\.yaml\)$/)]);
});

test('synth reads an unchanged app again when a library changed: its references are checked against the new one', () => {
  const dir = tmp('library-memo');
  const out = path.join(dir, 'dist');
  const cacheDir = path.join(dir, 'cache');
  fs.mkdirSync(path.join(dir, 'specs'));
  const write = (file: string, text: string) => fs.writeFileSync(path.join(dir, 'specs', file), text);
  write('platform.yaml', libraryYaml());
  write('web.yaml', appYaml('{name: errors, library: platform, cluster: true}', `${NS}, ${HASH}`));
  const plan = () => planSynth([path.join(dir, 'specs')], out, { build: 'test-build', useMemo: true, cacheDir });
  const first = plan();
  expect(first.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const files = new Map([...first.files()].map(([file, content]) => [file, content]));
  expect([...files.keys()].sort()).toEqual(['platform.k8s.yaml', 'web.k8s.yaml']);
  expect(files.get('platform.k8s.yaml')).toContain('kind: ClusterAnalysisTemplate\nmetadata:\n  labels:\n    app.kubernetes.io/managed-by: canarykit\n    canarykit.dev/analysis-library: platform\n  name: errors');
  fs.mkdirSync(out);
  for (const [file, text] of files) fs.writeFileSync(path.join(out, file), text);
  first.saveMemo();
  // Unchanged: both are reused (the memo holds the library's document, so the digest needs no reading).
  expect(plan().reused).toBe(2);
  // The library now needs an arg the unchanged app does not supply.
  write('platform.yaml', libraryYaml().replace('{name: window, value: 5m}', '{name: window, value: 5m}, {name: team}').replace('{namespace="{{args.ns}}"', '{team="{{args.team}}", namespace="{{args.ns}}"'));
  const second = plan();
  expect(second.reused).toBe(0);
  expect(second.issues.filter((i) => i.severity === 'error').map((i) => formatIssue(i))).toEqual([
    'web: spec.canary.analysis.args: template "errors" needs arg "team", which has no default and is not supplied',
  ]);
});
