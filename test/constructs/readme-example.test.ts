/**
 * The README's construct example, run as written: the code block is transpiled and executed with
 * `canarykit` resolved to this checkout, and the objects of its Chart are checked.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import * as vm from 'vm';
import * as cdk8s from 'cdk8s';
import * as canarykit from '../../src';
import { validateAll } from '../support/schema';

const README = path.join(__dirname, '../../README.md');

function readmeExample(): string {
  const text = fs.readFileSync(README, 'utf8');
  const block = /From code it is the same structure:\n\n```ts\n([\s\S]*?)```/.exec(text);
  if (!block) throw new Error('README: the construct example (```ts after "From code it is the same structure:") is gone');
  return block[1];
}

/** Runs the example; returns every cdk8s App it created. */
function run(code: string): cdk8s.App[] {
  const apps: cdk8s.App[] = [];
  class RecordingApp extends cdk8s.App {
    constructor(props?: cdk8s.AppProps) {
      super(props);
      apps.push(this);
    }
  }
  const modules: Record<string, unknown> = { cdk8s: { ...cdk8s, App: RecordingApp }, canarykit };
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const require = (name: string) => {
    if (!(name in modules)) throw new Error(`the README example imports ${name}`);
    return modules[name];
  };
  const example = vm.runInThisContext(`(function (require, exports) {\n${js}\n})`, { filename: 'README.md' }) as (r: typeof require, e: object) => void;
  example(require, {});
  return apps;
}

test('the README construct example synthesizes valid objects, and ApiObject.of() reaches the Rollout', () => {
  const apps = run(readmeExample());
  expect(apps).toHaveLength(1);
  const objects = apps[0].charts.flatMap((chart) => chart.toJson());
  expect(objects.map((o) => o.kind).sort()).toEqual(['Rollout', 'Service', 'Service', 'Service', 'ServiceAccount']);
  expect(validateAll(objects)).toEqual([]);
  const rollout = objects.find((o) => o.kind === 'Rollout');
  expect(rollout.metadata).toMatchObject({ name: 'web', namespace: 'shop' });
  expect(rollout.spec.strategy.canary.steps).toEqual([{ setWeight: 10 }, { pause: { duration: '5m' } }, { setWeight: 50 }, { pause: { duration: '5m' } }]);
  // The example's escape hatch went through ApiObject.of(web.rollout) to the Rollout itself.
  expect(rollout.spec.progressDeadlineSeconds).toBe(900);
});

test('every wrapper of a CanaryApp has its object as default child', () => {
  const chart = new cdk8s.Chart(new cdk8s.App(), 'c', { namespace: 'n' });
  const app = new canarykit.CanaryApp(chart, 'web', {
    spec: {
      image: 'example/web:1.0.0', ports: { metrics: 9090 }, ingress: { host: 'web.example.com' }, trafficRouting: { nginx: {} },
      prometheus: { address: 'http://prometheus:9090' },
      canary: { steps: [{ setWeight: 20 }, { analysis: { templates: ['smoke'] } }] },
      analysisTemplates: [{ name: 'smoke', metrics: [{ name: 'up', successCondition: 'len(result) > 0 && result[0] == 1', provider: { prometheus: { query: 'up' } } }] }],
    },
  });
  expect(cdk8s.ApiObject.of(app.rollout).kind).toBe('Rollout');
  expect(cdk8s.ApiObject.of(app.ingress!).kind).toBe('Ingress');
  expect(cdk8s.ApiObject.of(app.serviceMonitor!).kind).toBe('ServiceMonitor');
  expect(cdk8s.ApiObject.of(app.analysisTemplates[0]).kind).toBe('AnalysisTemplate');
  expect(cdk8s.Chart.of(app.rollout)).toBe(chart);
});
