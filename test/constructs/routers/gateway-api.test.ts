/**
 * The Gateway API router's objects: the route canarykit creates (HTTPRoute or GRPCRoute, validated
 * against the real Gateway API v1.6 CRDs), the Rollout's plugin config (checked against the plugin's
 * own types), header and mirror route steps as the Rollout CRD has them, and an existing route.
 */
import { gatewayApiPluginConfig, GATEWAY_API_PLUGIN } from '../../../src/constructs/routers/gateway-api';
import { resolve } from '../../../src/model/resolve';
import { synthModel } from '../../../src/constructs/synth';
import { controllerOwnedFields } from '../../../src/model/controller-owned';
import { crossReferenceProblems } from '../../support/cross-refs';
import { exampleApps, one } from '../../support/examples';
import { validateAll } from '../../support/schema';
import { loadSpec, specYaml, synthSpec } from '../../support/specs';

const STEPS = `  canary:
    steps:
      - setHeaderRoute: {name: by-header, match: [{headerName: X-Canary, headerValue: {exact: always}}]}
      - pause: {}
      - setHeaderRoute: {name: by-header}
      - setWeight: 30
      - pause: {duration: 1m}
`;
const routed = (router: string, steps = STEPS) => specYaml(`  trafficRouting:
${router}
    managedRoutes: [{name: by-header}]
${steps}`);

const plugin = (objects: readonly any[]) => one(objects, 'Rollout').spec.strategy.canary.trafficRouting;

describe('a route canarykit creates', () => {
  const objects = synthSpec(routed(`    gatewayAPI:
      route:
        parentRefs: [{name: public, namespace: gateways, sectionName: https}]
        hostnames: [web.example.com]
        matches: [{path: {value: /shop}, headers: [{name: X-Tenant, value: blue}]}]`));

  test('every object validates against the real CRDs; cross references resolve', () => {
    expect(validateAll([...objects])).toEqual([]);
    expect(crossReferenceProblems(objects)).toEqual([]);
  });

  test('an HTTPRoute: both Services as backendRefs, stable 100, canary 0, on the Services\' port; sync wave -1', () => {
    const route = one(objects, 'HTTPRoute');
    expect(route.metadata).toMatchObject({ name: 'web', namespace: 'shop', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } });
    expect(route.spec).toEqual({
      hostnames: ['web.example.com'],
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateways', sectionName: 'https' }],
      rules: [{
        backendRefs: [
          { group: '', kind: 'Service', name: 'web-stable', port: 80, weight: 100 },
          { group: '', kind: 'Service', name: 'web-canary', port: 80, weight: 0 },
        ],
        matches: [{ headers: [{ name: 'X-Tenant', type: 'Exact', value: 'blue' }], path: { type: 'PathPrefix', value: '/shop' } }],
      }],
    });
  });

  test('the Rollout names the route for the plugin, with header routes because a step sets one; managedRoutes and the steps as the CRD has them', () => {
    expect(plugin(objects)).toEqual({
      managedRoutes: [{ name: 'by-header' }],
      plugins: { [GATEWAY_API_PLUGIN]: { httpRoutes: [{ name: 'web', useHeaderRoutes: true }] } },
    });
    expect(gatewayApiPluginConfig.safeParse(plugin(objects).plugins[GATEWAY_API_PLUGIN]).success).toBe(true);
    expect(one(objects, 'Rollout').spec.strategy.canary.steps.slice(0, 3)).toEqual([
      { setHeaderRoute: { name: 'by-header', match: [{ headerName: 'X-Canary', headerValue: { exact: 'always' } }] } },
      { pause: {} },
      { setHeaderRoute: { name: 'by-header' } },
    ]);
  });

  test('the plugin owns the route\'s rules (weights, header rules) and its in-progress label', () => {
    const model = resolve({ name: 'web', namespace: 'shop' }, loadSpec(routed(`    gatewayAPI: {route: {parentRefs: [{name: public}]}}`)).spec);
    expect(controllerOwnedFields(model).filter((f) => f.kind === 'HTTPRoute')).toEqual([{
      group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'web',
      jsonPointers: ['/spec/rules', '/metadata/labels/rollouts.argoproj.io~1gatewayapi-canary'], applyFields: ['spec.rules'],
    }]);
  });
});

test('without setHeaderRoute steps the plugin is not told to use header routes', () => {
  const objects = synthSpec(specYaml(`  trafficRouting:
    gatewayAPI: {route: {name: web-route, parentRefs: [{name: public}]}}
  canary: {weights: [20, 60]}
`));
  expect(plugin(objects)).toEqual({ plugins: { [GATEWAY_API_PLUGIN]: { httpRoutes: [{ name: 'web-route' }] } } });
  expect(one(objects, 'HTTPRoute').metadata.name).toBe('web-route');
  expect(validateAll([...objects])).toEqual([]);
});

test('GAMMA: a Service parent without a name is the root Service (group core); a GRPCRoute for a gRPC app', () => {
  const objects = synthSpec(specYaml(`  trafficRouting:
    gatewayAPI: {route: {kind: GRPCRoute, parentRefs: [{kind: Service, port: 80}]}}
  canary: {weights: [50]}
`));
  const route = one(objects, 'GRPCRoute');
  expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'web', port: 80 }]);
  expect(route.spec.rules).toEqual([{ backendRefs: [
    { group: '', kind: 'Service', name: 'web-stable', port: 80, weight: 100 },
    { group: '', kind: 'Service', name: 'web-canary', port: 80, weight: 0 },
  ] }]);
  expect(plugin(objects)).toEqual({ plugins: { [GATEWAY_API_PLUGIN]: { grpcRoutes: [{ name: 'web' }] } } });
  expect(validateAll([...objects])).toEqual([]);
  expect(crossReferenceProblems(objects)).toEqual([]);
});

test('an existing route: named for the plugin (namespace only when another), no route object, nothing controller-owned', () => {
  const yaml = specYaml(`  trafficRouting:
    gatewayAPI: {existingRoute: {name: shared, namespace: edge}}
  canary: {weights: [50]}
`);
  const objects = synthSpec(yaml);
  expect(objects.filter((o) => o.kind.endsWith('Route'))).toEqual([]);
  expect(plugin(objects)).toEqual({ plugins: { [GATEWAY_API_PLUGIN]: { httpRoutes: [{ name: 'shared' }], namespace: 'edge' } } });
  const model = resolve({ name: 'web', namespace: 'shop' }, loadSpec(yaml).spec);
  expect(controllerOwnedFields(model).map((f) => f.kind)).toEqual(['Service', 'Service']);
  const same = synthSpec(specYaml(`  trafficRouting:
    gatewayAPI: {existingRoute: {kind: GRPCRoute, name: shared, namespace: shop}}
  canary: {weights: [50]}
`));
  expect(plugin(same)).toEqual({ plugins: { [GATEWAY_API_PLUGIN]: { grpcRoutes: [{ name: 'shared' }] } } });
});

test('the plugin config schema holds the plugin\'s keys only (the Rollout CRD accepts anything)', () => {
  expect(gatewayApiPluginConfig.safeParse({ httpRoute: 'web' }).success).toBe(false);
  expect(gatewayApiPluginConfig.safeParse({ httpRoutes: [{ name: 'web', useHeaderRoute: true }] }).success).toBe(false);
  expect(gatewayApiPluginConfig.safeParse({ httpRoutes: [{ name: 'web' }], grpcRoutes: [{ name: 'web' }] }).success).toBe(false);
  const configs = exampleApps().map((app) => one(app.objects, 'Rollout').spec.strategy.canary?.trafficRouting?.plugins?.[GATEWAY_API_PLUGIN]).filter(Boolean);
  expect(configs.length).toBeGreaterThan(0);
  for (const config of configs) expect(gatewayApiPluginConfig.safeParse(config).success).toBe(true);
});

test('setMirrorRoute renders as the Rollout CRD has it', () => {
  // No router of canarykit supports mirror routes yet (a rule says so); the step's shape is checked here.
  const model = resolve({ name: 'web', namespace: 'shop' }, {
    image: 'example/web:1.0.0',
    trafficRouting: { gatewayAPI: { route: { parentRefs: [{ name: 'public' }] } }, managedRoutes: [{ name: 'mirror' }] },
    canary: { steps: [{ setMirrorRoute: { name: 'mirror', percentage: 10, match: [{ method: { exact: 'GET' }, headers: { 'X-A': { prefix: 'b' } } }] } }, { setMirrorRoute: { name: 'mirror' } }] },
  });
  expect(model.strategy.kind === 'canary' && model.strategy.steps).toEqual([
    { setMirrorRoute: { name: 'mirror', percentage: 10, match: [{ method: { exact: 'GET' }, headers: { 'X-A': { prefix: 'b' } } }] } },
    { setMirrorRoute: { name: 'mirror' } },
  ]);
  const objects = synthModel(model);
  expect(one(objects, 'Rollout').spec.strategy.canary.steps).toEqual([
    { setMirrorRoute: { name: 'mirror', percentage: 10, match: [{ method: { exact: 'GET' }, headers: { 'X-A': { prefix: 'b' } } }] } },
    { setMirrorRoute: { name: 'mirror' } },
  ]);
  expect(validateAll([...objects])).toEqual([]);
});
