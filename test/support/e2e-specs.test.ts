/**
 * The e2e specs (test/e2e/specs.ts) are examples plus small overlays. The e2e suite needs a controller
 * this run does not have, so its specs are checked here: each loads without errors, and differs from
 * its example exactly in the fields its overlay names, every override changing something.
 */
import { exampleSource } from './examples';
import { applyOverrides, E2eVars, LIBRARY_SCENARIO, ScenarioName, SCENARIOS, scenarioSource, synthLibraryScenario, synthScenario } from '../e2e/specs';

const vars: E2eVars = {
  namespace: 'e2e-unit',
  tag: '9.9.9-e2e',
  prometheusUrl: 'http://127.0.0.1:19090',
  webMetricUrl: 'http://127.0.0.1:18080',
  eventSinkUrl: 'http://127.0.0.1:18080/events',
};

/** Spec paths (`a.b[1].c`) where `a` and `b` differ, as deep as both are objects or both arrays. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const container = (x: unknown) => x !== null && typeof x === 'object';
  if (!container(a) || !container(b) || Array.isArray(a) !== Array.isArray(b)) return [path];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((k) => differences((a as any)[k], (b as any)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k));
}

const within = (path: string, parent: string) => path === parent || path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`);

describe.each(Object.keys(SCENARIOS) as ScenarioName[])('e2e scenario %s', (name) => {
  const { example, overrides } = SCENARIOS[name];

  test('its example plus its overlay loads without errors and synthesizes a Rollout', () => {
    const { objects } = synthScenario(name, vars);
    expect(objects.filter((o) => o.kind === 'Rollout').map((o) => o.metadata)).toEqual([
      expect.objectContaining({ namespace: vars.namespace }),
    ]);
  });

  test('it differs from its example only in the overridden fields, and each override changes something', () => {
    const changed = differences(exampleSource(example), scenarioSource(name, vars));
    const paths = overrides(vars).map((o) => o.path);
    expect(changed.filter((p) => !paths.some((o) => within(p, o)))).toEqual([]);
    expect(paths.filter((o) => !changed.some((p) => within(p, o)))).toEqual([]);
  });

  test('every override says why it exists', () => {
    expect(overrides(vars).length).toBeGreaterThan(0);
    for (const o of overrides(vars)) expect({ path: o.path, why: o.why.length > 10 }).toEqual({ path: o.path, why: true });
  });
});

test('the sample-app scenario keeps what its example has beyond the overlay: the env the hand copy had lost', () => {
  expect(scenarioSource('sample-app', vars).spec.env).toEqual(exampleSource('jhandguy-sample-app.yaml').spec.env);
  expect(scenarioSource('sample-app', vars).spec.env).toHaveLength(6);
});

test('the library of scenario 3 loads with its overlay, which changes only the fields it names, each for a reason', () => {
  const { objects } = synthLibraryScenario(vars);
  expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ClusterAnalysisTemplate/errors-vs-stable']);
  expect(objects[0].spec.metrics[0].provider.prometheus.address).toBe(vars.prometheusUrl);
  const source = exampleSource(LIBRARY_SCENARIO.example);
  const changed = differences(source, applyOverrides(source, LIBRARY_SCENARIO.overrides(vars)));
  const paths = LIBRARY_SCENARIO.overrides(vars).map((o) => o.path);
  expect(changed.filter((p) => !paths.some((o) => within(p, o)))).toEqual([]);
  expect(paths.filter((o) => !changed.some((p) => within(p, o)))).toEqual([]);
  for (const o of LIBRARY_SCENARIO.overrides(vars)) expect(o.why.length).toBeGreaterThan(10);
});
