/**
 * Istio: the controller sets the weights of the http routes of a VirtualService, whose destinations are
 * the stable and canary Services (host-level routing) or the stable and canary subsets of a
 * DestinationRule on one host (subset-level routing; the controller writes the subsets' pod-template-hash
 * labels). canarykit creates both objects by default, or refers to existing ones by name.
 */
import type * as t from '../../document/types';
import { DEFAULTS } from '../../document/defaults';
import type { IstioHttpRoute, ResolvedIstioRouting } from '../model';
import type { RouterCapabilities } from './capabilities';
import type { RoutingInput } from './input';

/**
 * The controller's Istio router implements SetHeaderRoute and SetMirrorRoute (v1.9.1), as routes it adds
 * ahead of the weighted ones in the VirtualService (whose `spec.http` is therefore controller-owned).
 */
export const ISTIO_CAPABILITIES: RouterCapabilities = { headerRoutes: true, mirrorRoutes: true };

export function resolveIstio(spec: t.IstioRoutingSpec, input: RoutingInput): ResolvedIstioRouting {
  const vs = spec.virtualService ?? {};
  const dr = spec.destinationRule;
  // Subsets divide one host selecting every pod: the root Service. Without it the rules report an error; the model keeps the stable one.
  const subsetHost = input.rootService ?? input.stableService;
  const destinationRule = dr && {
    name: dr.name ?? input.app,
    canarySubsetName: dr.canarySubsetName ?? DEFAULTS.istio.canarySubsetName,
    stableSubsetName: dr.stableSubsetName ?? DEFAULTS.istio.stableSubsetName,
    ...((dr.create ?? DEFAULTS.istio.create) ? { created: { host: subsetHost } } : {}),
  };
  const create = vs.create ?? DEFAULTS.istio.create;
  const routes = vs.routes ?? (create ? [DEFAULTS.istio.routeName] : []);
  const port = { number: input.servicePort };
  const http: IstioHttpRoute = {
    name: routes[0],
    route: destinationRule
      ? [
        { destination: { host: subsetHost, subset: destinationRule.stableSubsetName, port }, weight: 100 },
        { destination: { host: subsetHost, subset: destinationRule.canarySubsetName, port }, weight: 0 },
      ]
      : [
        { destination: { host: input.stableService, port }, weight: 100 },
        { destination: { host: input.canaryService, port }, weight: 0 },
      ],
  };
  return {
    kind: 'istio',
    virtualService: {
      name: vs.name ?? input.app,
      routes,
      ...(create ? { created: { hosts: vs.hosts ?? [input.rootService ?? input.stableService], gateways: vs.gateways, http: [http] } } : {}),
    },
    destinationRule,
  };
}

/** A destination's Service name as the controller compares it: the host up to its first dot. */
function shortHost(host: string): string {
  const dot = host.indexOf('.');
  return dot > 0 ? host.slice(0, dot) : host;
}

/**
 * What the controller's validation (rollout/trafficrouting/istio: ValidateHTTPRoutes,
 * validateVirtualServiceRouteDestinations) would say of the VirtualService canarykit creates, with its
 * messages; plus what Istio requires of weights (they sum to 100). Empty for an existing VirtualService:
 * canarykit cannot see it, the controller checks it when the Rollout is applied.
 */
export function virtualServiceProblems(r: ResolvedIstioRouting, services: { readonly stable: string; readonly canary: string }): string[] {
  const created = r.virtualService.created;
  if (!created) return [];
  const problems: string[] = [];
  const indexes: number[] = [];
  if (r.virtualService.routes.length === 0) {
    if (created.http.length > 1) problems.push('spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes');
    else if (created.http.length === 1) indexes.push(0);
  }
  for (const name of r.virtualService.routes) {
    const i = created.http.findIndex((route) => route.name === name);
    if (i < 0) problems.push(`HTTP Route '${name}' is not found in the defined Virtual Service.`);
    else indexes.push(i);
  }
  for (const i of indexes) {
    const route = created.http[i].route;
    const dr = r.destinationRule;
    if (dr) {
      if (!route.some((d) => d.destination.subset === dr.canarySubsetName)) problems.push(`Canary DestinationRule subset '${dr.canarySubsetName}' not found in route`);
      else if (!route.some((d) => d.destination.subset === dr.stableSubsetName)) problems.push(`Stable DestinationRule subset '${dr.stableSubsetName}' not found in route`);
    } else if (!route.some((d) => shortHost(d.destination.host) === services.canary)) problems.push(`Canary Service '${services.canary}' not found in route`);
    else if (!route.some((d) => shortHost(d.destination.host) === services.stable)) problems.push(`Stable Service '${services.stable}' not found in route`);
    const sum = route.reduce((total, d) => total + d.weight, 0);
    if (sum !== 100) problems.push(`the weights of http route '${created.http[i].name}' sum to ${sum}, not 100`);
  }
  return problems;
}
