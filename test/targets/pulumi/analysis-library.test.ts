/**
 * The AnalysisLibrary Pulumi component against Pulumi's mock engine: one component, its templates (the
 * YAML target's objects) as children; apps given it check their references and depend on it.
 */
import * as pulumi from '@pulumi/pulumi';
import { synthLibrary } from '../../../src/constructs/synth';
import { SpecValidationError } from '../../../src/document/errors';
import { exampleDocuments, exampleLibraries } from '../../support/examples';

type Module = typeof import('../../../src/pulumi');
let mod: Module;
const registered: pulumi.runtime.MockResourceArgs[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push(args);
      return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'canarykit', 'test', false);
  mod = await import('../../../src/pulumi');
});

const valueOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
const [library] = exampleLibraries();
const cart = exampleDocuments().find((d) => d.metadata.name === 'cart')!;

test('registers one component, then exactly the YAML objects as its children; outputs the template names', async () => {
  registered.length = 0;
  const component = new mod.AnalysisLibrary('platform', library.document);
  expect(await valueOf(component.templateNames)).toEqual(['errors-vs-stable']);
  expect(await valueOf(component.namespace)).toBe('argo-rollouts');
  expect(registered[0]).toMatchObject({ type: mod.ANALYSIS_LIBRARY_TYPE, name: 'platform', custom: false });
  const expected = synthLibrary(library.model);
  expect(registered.slice(1).map((r) => [r.type, r.name, r.inputs])).toEqual(expected.map((o) => ['kubernetes:argoproj.io/v1alpha1:ClusterAnalysisTemplate', `platform/${o.metadata.name}`, o]));
});

test('an app given the library depends on it, and its references are checked against it', async () => {
  const component = new mod.AnalysisLibrary('platform-deps', library.document);
  const deps: pulumi.Input<pulumi.Resource>[][] = [];
  const app = new mod.CanaryApp('cart', { ...cart, libraries: [component] }, {
    transformations: [(args) => { if (args.type !== mod.CANARY_APP_TYPE) deps.push((args.opts.dependsOn ?? []) as pulumi.Input<pulumi.Resource>[]); return undefined; }],
  });
  await Promise.all(app.resources.map((r) => valueOf(r.urn)));
  expect(deps.length).toBe(app.resources.length);
  for (const d of deps) expect(d).toContain(component);
  // Without an arg the library's template needs: refused before anything is registered.
  const args = cart.spec.canary!.analysis!.args!.filter((a) => a.name !== 'stable-hash');
  const bad = { ...cart.spec, canary: { ...cart.spec.canary, analysis: { ...cart.spec.canary!.analysis!, args } } };
  registered.length = 0;
  expect(() => new mod.CanaryApp('cart-bad', { metadata: cart.metadata, spec: bad, libraries: [component] })).toThrow(SpecValidationError);
  expect(() => new mod.CanaryApp('cart-bad', { metadata: cart.metadata, spec: bad, libraries: [component] }))
    .toThrow('spec.canary.analysis.args: template "errors-vs-stable" needs arg "stable-hash", which has no default and is not supplied');
  expect(registered).toEqual([]);
});

test('a bad library is refused with every problem before anything is registered', () => {
  registered.length = 0;
  const spec = { analysisTemplates: [{ name: 'x', metrics: [{ name: 'm', provider: { prometheus: { query: 'sum(rate(x[5m])' } } }] }] };
  expect(() => new mod.AnalysisLibrary('bad', { spec })).toThrow(/spec\.analysisTemplates\[0\]\.metrics\[0\]/);
  expect(registered).toEqual([]);
});
