/**
 * Gateway API: the Argo Rollouts plugin `argoproj-labs/gatewayAPI` sets the weights of the stable and
 * canary backendRefs of an HTTPRoute or GRPCRoute. canarykit creates the route (`route`) or names one
 * that exists (`existingRoute`). With GAMMA (a Service parent: Linkerd, Istio ambient) the parent is, by
 * default, the app's root Service: clients call it, and the mesh splits its traffic by the route.
 */
import type { RoutingInput } from './input';
import type * as t from '../../document/types';
import { specSteps } from '../../document/normalize';
import type { ResolvedGatewayApiRouting, ResolvedParentRef, ResolvedRouteMatch } from '../model';
import type { RouterCapabilities } from './capabilities';

/** The plugin (v0.15.0) adds header routes to routes marked `useHeaderRoutes`; it has no mirror routes. */
export const GATEWAY_API_CAPABILITIES: RouterCapabilities = { headerRoutes: true, mirrorRoutes: false };

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

export function resolveGatewayApi(spec: t.GatewayApiRoutingSpec, canary: t.CanarySpec | undefined, input: RoutingInput): ResolvedGatewayApiRouting {
  const useHeaderRoutes = specSteps(canary).some((s) => s.setHeaderRoute !== undefined);
  if (spec.existingRoute) {
    const ns = spec.existingRoute.namespace;
    return {
      kind: 'gatewayAPI',
      routeKind: spec.existingRoute.kind ?? 'HTTPRoute',
      routeName: spec.existingRoute.name,
      ...(ns !== undefined && ns !== input.namespace ? { routeNamespace: ns } : {}),
      useHeaderRoutes,
    };
  }
  // The schema requires exactly one of route and existingRoute; rules may see neither (resolved tolerantly).
  const route = spec.route ?? { parentRefs: [] };
  return {
    kind: 'gatewayAPI',
    routeKind: route.kind ?? 'HTTPRoute',
    routeName: route.name ?? input.app,
    route: {
      parentRefs: route.parentRefs.map((p) => parentRef(p, input)),
      hostnames: [...(route.hostnames ?? [])],
      matches: (route.matches ?? []).map(routeMatch),
    },
    useHeaderRoutes,
  };
}

function parentRef(p: t.ParentRefSpec, input: RoutingInput): ResolvedParentRef {
  const kind = p.kind ?? 'Gateway';
  const ref: ResolvedParentRef = {
    group: p.group ?? (kind === 'Service' ? '' : GATEWAY_GROUP),
    kind,
    // A Gateway parent without a name is an error the rules report; a Service parent defaults to root.
    name: p.name ?? (kind === 'Service' ? input.rootService ?? input.app : ''),
  };
  return {
    ...ref,
    ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
    ...(p.port !== undefined ? { port: p.port } : {}),
    ...(p.sectionName !== undefined ? { sectionName: p.sectionName } : {}),
  };
}

function routeMatch(m: t.RouteMatchSpec): ResolvedRouteMatch {
  return {
    ...(m.path ? { path: { type: m.path.type ?? 'PathPrefix', value: m.path.value } } : {}),
    ...(m.headers && m.headers.length > 0 ? { headers: m.headers.map((h) => ({ type: 'Exact' as const, name: h.name, value: h.value })) } : {}),
  };
}
