/**
 * Istio routing at synth time (exact messages): the spec's own rules, and the mirror of the controller's
 * VirtualService validation (rollout/trafficrouting/istio: ValidateHTTPRoutes,
 * validateVirtualServiceRouteDestinations) run on the VirtualService canarykit creates.
 */
import type { ResolvedIstioRouting } from '../../../src/model/model';
import { virtualServiceProblems } from '../../../src/model/routers/istio';
import { specDocument, specIssues } from '../../support/specs';

type Doc = Record<string, any>;

function base(istio: Doc = {}): Doc {
  return specDocument({ image: 'example/web:1.2.3', trafficRouting: { istio }, canary: { weights: [20, 50] } });
}

function issues(doc: Doc, severity: 'error' | 'warning' = 'error'): string[] {
  return specIssues(doc, severity);
}

describe('Istio rules (exact messages)', () => {
  test('istio: {} and the subset mode are valid, without warnings', () => {
    for (const doc of [base(), base({ destinationRule: {} }), base({ virtualService: { create: false, name: 'shared', routes: ['a', 'b'] }, destinationRule: { create: false, name: 'dr' } })]) {
      expect(issues(doc)).toEqual([]);
      expect(issues(doc, 'warning')).toEqual([]);
    }
  });

  test('the VirtualService canarykit creates has one http route', () => {
    expect(issues(base({ virtualService: { routes: ['primary', 'secondary'] } }))).toEqual([
      'spec.trafficRouting.istio.virtualService.routes: lists 2 routes, but the VirtualService canarykit creates has one http route, named "primary"; to weight several routes, refer to your own VirtualService (create: false)',
    ]);
  });

  test('hosts and gateways apply only to a VirtualService canarykit creates', () => {
    expect(issues(base({ virtualService: { create: false, hosts: ['web.example.com'], gateways: ['istio-system/public'] } }))).toEqual([
      'spec.trafficRouting.istio.virtualService.hosts: applies only to a VirtualService canarykit creates; with create: false, set it in your VirtualService',
      'spec.trafficRouting.istio.virtualService.gateways: applies only to a VirtualService canarykit creates; with create: false, set it in your VirtualService',
    ]);
  });

  test('the stable and canary subsets differ', () => {
    expect(issues(base({ destinationRule: { canarySubsetName: 'stable' } }))).toEqual([
      'spec.trafficRouting.istio.destinationRule.canarySubsetName: "stable" is also the stableSubsetName; the controller points each subset at one ReplicaSet, so they must differ',
    ]);
  });

  test('subsets need the root Service as their host', () => {
    const doc = base({ destinationRule: {} });
    doc.spec.services = { root: false };
    expect(issues(doc)).toEqual([
      'spec.trafficRouting.istio.destinationRule: needs the root Service (services.root is false): the subsets divide one host that selects every pod',
    ]);
    // Host-level routing without root: the hosts default to the stable Service.
    const hostLevel = base();
    hostLevel.spec.services = { root: false };
    expect(issues(hostLevel)).toEqual([]);
  });

  test('schema: one router, hosts, gateways, subset names', () => {
    const both = base();
    both.spec.trafficRouting.nginx = {};
    both.spec.ingress = { host: 'web.example.com' };
    expect(issues(both)).toEqual(['spec.trafficRouting: sets nginx and istio; set at most one traffic router']);
    expect(issues(base({ virtualService: { hosts: ['Web', '*.example.com', '*'], gateways: ['a/b/c', 'mesh', 'istio-system/public'], routes: [] }, destinationRule: { canarySubsetName: 'Canary' } }))).toEqual([
      'spec.trafficRouting.istio.virtualService.routes: [] must name at least one route',
      'spec.trafficRouting.istio.virtualService.hosts[0]: "Web" is not a host (a DNS name, `*.` before one, or `*`)',
      'spec.trafficRouting.istio.virtualService.gateways[0]: "a/b/c" is not a Gateway reference (`mesh`, `<name>` or `<namespace>/<name>`)',
      'spec.trafficRouting.istio.destinationRule.canarySubsetName: "Canary" is not a DNS-1123 label (lower case alphanumerics and "-", starting and ending alphanumeric)',
    ]);
  });

  test('blue-green takes no router: only blue-green-fields-only speaks', () => {
    const doc = specDocument({ image: 'example/web:1.2.3', trafficRouting: { istio: {} }, blueGreen: {} });
    expect(issues(doc)).toEqual([
      'spec.trafficRouting: ["istio"] routes canary weights; blue-green switches the active Service instead, so it takes no traffic router',
    ]);
  });
});

describe('the controller\'s VirtualService checks, mirrored (virtualServiceProblems)', () => {
  const services = { stable: 'web-stable', canary: 'web-canary' };
  const port = { number: 80 };
  const routing = (http: ResolvedIstioRouting['virtualService']['created'] extends infer C ? C extends { http: infer H } ? H : never : never,
    routes: string[], destinationRule?: ResolvedIstioRouting['destinationRule']): ResolvedIstioRouting =>
    ({ kind: 'istio', virtualService: { name: 'web', routes, created: { hosts: ['web'], http } }, destinationRule });
  const hostRoute = (name: string, stable = 'web-stable.shop.svc.cluster.local', canary = 'web-canary', weights = [100, 0]) => ({
    name, route: [{ destination: { host: stable, port }, weight: weights[0] }, { destination: { host: canary, port }, weight: weights[1] }],
  });

  test('what canarykit creates passes; the host is compared up to its first dot, as the controller does', () => {
    expect(virtualServiceProblems(routing([hostRoute('primary')], ['primary']), services)).toEqual([]);
    expect(virtualServiceProblems(routing([hostRoute('primary')], []), services)).toEqual([]);
  });

  test('named routes must exist; without names there must be one route', () => {
    expect(virtualServiceProblems(routing([hostRoute('primary')], ['other']), services)).toEqual([
      'HTTP Route \'other\' is not found in the defined Virtual Service.',
    ]);
    expect(virtualServiceProblems(routing([hostRoute('a'), hostRoute('b')], []), services)).toEqual([
      'spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes',
    ]);
  });

  test('destinations are the stable and canary Services, weights sum to 100', () => {
    expect(virtualServiceProblems(routing([hostRoute('primary', 'web-stable', 'web')], ['primary']), services)).toEqual([
      'Canary Service \'web-canary\' not found in route',
    ]);
    expect(virtualServiceProblems(routing([hostRoute('primary', 'web', 'web-canary', [90, 0])], ['primary']), services)).toEqual([
      'Stable Service \'web-stable\' not found in route',
      'the weights of http route \'primary\' sum to 90, not 100',
    ]);
  });

  test('with a DestinationRule, the destinations are its subsets', () => {
    const dr = { name: 'web', canarySubsetName: 'canary', stableSubsetName: 'stable' };
    const subsets = (a: string, b: string) => [{ name: 'primary', route: [{ destination: { host: 'web', subset: a, port }, weight: 100 }, { destination: { host: 'web', subset: b, port }, weight: 0 }] }];
    expect(virtualServiceProblems(routing(subsets('stable', 'canary'), ['primary'], dr), services)).toEqual([]);
    expect(virtualServiceProblems(routing(subsets('stable', 'preview'), ['primary'], dr), services)).toEqual(['Canary DestinationRule subset \'canary\' not found in route']);
    expect(virtualServiceProblems(routing(subsets('old', 'canary'), ['primary'], dr), services)).toEqual(['Stable DestinationRule subset \'stable\' not found in route']);
  });

  test('an existing VirtualService cannot be checked at synth time', () => {
    expect(virtualServiceProblems({ kind: 'istio', virtualService: { name: 'shared', routes: ['x'] } }, services)).toEqual([]);
  });
});
