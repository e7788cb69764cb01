/** The traffic router of a spec: at most one key of `spec.trafficRouting`, resolved by its own module. */
import type * as t from '../../document/types';
import type { ResolvedRouting } from '../model';
import type { RouterCapabilities } from './capabilities';
import { GATEWAY_API_CAPABILITIES, resolveGatewayApi } from './gateway-api';
import type { RoutingInput } from './input';
import { ISTIO_CAPABILITIES, resolveIstio } from './istio';
import { NGINX_CAPABILITIES, resolveNginx } from './nginx';

export type { RouterCapabilities };

export function resolveRouting(spec: t.CanaryAppSpec, input: RoutingInput): ResolvedRouting {
  const routing = spec.trafficRouting;
  if (routing?.nginx) return resolveNginx(routing.nginx, input.ingressName);
  if (routing?.istio) return resolveIstio(routing.istio, input);
  if (routing?.gatewayAPI) return resolveGatewayApi(routing.gatewayAPI, spec.canary, input);
  return { kind: 'none' };
}

/** Whether a router splits traffic; without one, the canary weight is the share of replicas. */
export function isRouted(routing: ResolvedRouting): boolean {
  return routing.kind !== 'none';
}

/** The Ingress a router reads (NGINX clones it into the canary Ingress), which must therefore exist. */
export function routedIngress(routing: ResolvedRouting): string | undefined {
  return routing.kind === 'nginx' ? routing.stableIngress : undefined;
}

/** What each router can do besides weights, declared by its module. */
export const ROUTER_CAPABILITIES: { readonly [K in ResolvedRouting['kind']]: RouterCapabilities } = {
  none: { headerRoutes: false, mirrorRoutes: false },
  nginx: NGINX_CAPABILITIES,
  istio: ISTIO_CAPABILITIES,
  gatewayAPI: GATEWAY_API_CAPABILITIES,
};

/** The routers (spec keys) with a capability, for messages. */
export function routersWith(capability: keyof RouterCapabilities): string[] {
  return Object.entries(ROUTER_CAPABILITIES).filter(([, c]) => c[capability]).map(([kind]) => kind);
}
