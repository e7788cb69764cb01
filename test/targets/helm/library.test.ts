/**
 * The chart of an AnalysisLibrary, rendered by real helm: with default values it is exactly what synth
 * writes, its objects validate against the CRD schemas, Argo Rollouts' placeholders survive, namespaced
 * templates follow the release namespace, and a value set by mistake is refused.
 */
import * as fs from 'fs';
import * as path from 'path';
import { synthLibrary } from '../../../src/constructs/synth';
import { libraryChartFiles } from '../../../src/targets/helm/library';
import { writeOutput } from '../../../src/targets/output';
import { loadText } from '../../../src/load/load';
import { exampleLibraries } from '../../support/examples';
import { validateAll } from '../../support/schema';
import { tmp } from '../../support/tmp';
import { helm, render, sorted, writeExampleCharts } from './helm';

const [example] = exampleLibraries();
let dir: string;
beforeAll(() => {
  dir = writeExampleCharts();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe(`chart ${example.model.name}`, () => {
  const chart = () => path.join(dir, example.model.name);

  test('helm lint --strict passes', () => {
    const r = helm(['lint', '--strict', chart()]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  test('default values render exactly the synth objects, which validate; {{args.x}} survives helm', () => {
    const rendered = render(chart(), example.model.name, example.model.namespace);
    const objects = synthLibrary(example.model);
    expect(sorted(rendered)).toEqual(sorted(objects));
    expect(rendered.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ClusterAnalysisTemplate/errors-vs-stable']);
    expect(validateAll(rendered)).toEqual([]);
    const placeholders = (x: unknown) => JSON.stringify(x).match(/\{\{args\.[a-z0-9-]+\}\}/g) ?? [];
    expect(placeholders(rendered).length).toBeGreaterThan(5);
    expect(placeholders(rendered)).toEqual(placeholders(objects));
  });

  test('a value set by mistake is refused: the templates have none', () => {
    const r = helm(['template', 'x', chart(), '--set', 'prometheus.address=http://elsewhere']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("additional properties 'prometheus' not allowed");
  });
});

test('namespaced templates of a library go to the release namespace; cluster ones have none', () => {
  const { libraries, issues } = loadText(`apiVersion: canarykit.dev/v1alpha1
kind: AnalysisLibrary
metadata: {name: team-analysis, namespace: shop}
spec:
  analysisTemplates:
    - name: smoke
      metrics:
        - name: smoke
          provider: {job: {image: "curlimages/curl:8.10.1", command: [curl, -fsS, "http://web.shop/healthz"]}}
    - name: shared-smoke
      clusterScoped: true
      metrics:
        - name: smoke
          provider: {job: {image: "curlimages/curl:8.10.1", command: [curl, -fsS, "http://web.shop/healthz"]}}
`, 'team.yaml');
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  const out = tmp('library-chart');
  writeOutput(out, libraryChartFiles(libraries[0].model));
  const chart = path.join(out, 'team-analysis');
  expect(sorted(render(chart, 'team-analysis', 'shop'))).toEqual(sorted(synthLibrary(libraries[0].model)));
  const elsewhere = render(chart, 'team-analysis', 'other');
  expect(elsewhere.map((o) => [o.kind, o.metadata.namespace])).toEqual([['AnalysisTemplate', 'other'], ['ClusterAnalysisTemplate', undefined]]);
  expect(validateAll(elsewhere)).toEqual([]);
  // Job pods of a library's metrics are secure as an app's are.
  const job = elsewhere[0].spec.metrics[0].provider.job.spec.template.spec;
  expect(job.securityContext.runAsNonRoot).toBe(true);
  expect(helm(['template', 'x', chart, '--namespace', 'Bad_NS']).stderr).toContain('is not a DNS-1123 label');
});
