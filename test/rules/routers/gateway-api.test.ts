/** Rules of the Gateway API router (src/rules/routers/gateway-api.ts), exact messages. */
import { specDocument, specIssues } from '../../support/specs';

type Doc = Record<string, any>;

function base(): Doc {
  return specDocument({
    image: 'example/web:1.2.3',
    trafficRouting: { gatewayAPI: { route: { parentRefs: [{ name: 'public', namespace: 'gateways' }], hostnames: ['web.example.com'] } } },
    canary: { weights: [20, 50] },
  });
}

function issues(change: (d: Doc) => void, severity: 'error' | 'warning' = 'error'): string[] {
  const doc = base();
  change(doc);
  return specIssues(doc, severity);
}

const gw = (d: Doc) => d.spec.trafficRouting.gatewayAPI;

test('the base document is valid and has no warnings', () => {
  expect(issues(() => undefined)).toEqual([]);
  expect(issues(() => undefined, 'warning')).toEqual([]);
});

test('exactly one of route and existingRoute (schema)', () => {
  expect(issues((d) => { gw(d).existingRoute = { name: 'shared' }; })).toEqual(['spec.trafficRouting.gatewayAPI: must set exactly one of route and existingRoute']);
  expect(issues((d) => { delete gw(d).route; })).toEqual(['spec.trafficRouting.gatewayAPI: must set exactly one of route and existingRoute']);
});

test('gateway-api-parents: a Gateway parent needs a name', () => {
  expect(issues((d) => { delete gw(d).route.parentRefs[0].name; })).toEqual(['spec.trafficRouting.gatewayAPI.route.parentRefs[0].name: is required for a Gateway parent']);
});

test('gateway-api-parents: a GAMMA Service parent defaults to root, so needs a name without one, and is not a backendRef', () => {
  const gamma = (d: Doc) => { gw(d).route = { parentRefs: [{ kind: 'Service' }] }; };
  expect(issues(gamma)).toEqual([]);
  expect(issues((d) => { gamma(d); d.spec.services = { root: false }; })).toEqual([
    'spec.trafficRouting.gatewayAPI.route.parentRefs[0].name: is required: the default GAMMA parent is the root Service, and services.root is false',
  ]);
  expect(issues((d) => { gamma(d); gw(d).route.parentRefs[0].name = 'web-stable'; })).toEqual([
    'spec.trafficRouting.gatewayAPI.route.parentRefs[0].name: "web-stable" is a backendRef of the route; the GAMMA parent is the Service clients call (the root Service by default)',
  ]);
  expect(issues((d) => { gamma(d); gw(d).route.hostnames = ['web.example.com']; }, 'warning')).toEqual([
    'warning: spec.trafficRouting.gatewayAPI.route.hostnames: apply to Gateway parents; a mesh ignores them for a Service parent',
  ]);  // Once, however many Service parents.
  expect(issues((d) => { gamma(d); gw(d).route.parentRefs.push({ kind: 'Service', name: 'web-admin' }); gw(d).route.hostnames = ['web.example.com']; }, 'warning')).toEqual([
    'warning: spec.trafficRouting.gatewayAPI.route.hostnames: apply to Gateway parents; a mesh ignores them for a Service parent',
  ]);
});

test('gateway-api-route-kind: matches apply to an HTTPRoute', () => {
  expect(issues((d) => { gw(d).route.kind = 'GRPCRoute'; gw(d).route.matches = [{ path: { value: '/' } }]; })).toEqual([
    'spec.trafficRouting.gatewayAPI.route.matches: apply to an HTTPRoute; a GRPCRoute matches gRPC methods',
  ]);
});

test('one router: nginx and gatewayAPI exclude each other; managedRoutes is not a router', () => {
  expect(issues((d) => { d.spec.trafficRouting.nginx = {}; d.spec.ingress = { host: 'web.example.com' }; })).toEqual([
    'spec.trafficRouting: sets nginx and gatewayAPI; set at most one traffic router',
  ]);
  expect(issues((d) => { d.spec.trafficRouting.managedRoutes = [{ name: 'by-header' }]; }).filter((m) => m.includes('at most one'))).toEqual([]);
});

test('blue-green takes no router', () => {
  expect(issues((d) => { delete d.spec.canary; d.spec.blueGreen = {}; })).toEqual([
    'spec.trafficRouting: ["gatewayAPI"] routes canary weights; blue-green switches the active Service instead, so it takes no traffic router',
  ]);
});
