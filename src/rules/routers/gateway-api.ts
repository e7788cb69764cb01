/**
 * Gateway API: the route's parents must be nameable (a GAMMA Service parent defaults to the root
 * Service, so it needs one), must not be the Services the route splits, and HTTPRoute-only fields stay
 * off a GRPCRoute.
 */
import { error, show, warning } from '../../document/errors';
import type { Rule } from '../context';

export const gatewayApiRules: readonly Rule[] = [
  {
    name: 'gateway-api-parents',
    *check({ spec, path, model }) {
      const route = spec.trafficRouting?.gatewayAPI?.route;
      if (!route) return;
      const backends = model.strategy.kind === 'canary' ? [model.strategy.stableService, model.strategy.canaryService] : [];
      // The model's parents have their defaults spelled out, in the written order.
      const resolved = model.routing.kind === 'gatewayAPI' ? model.routing.route?.parentRefs ?? [] : [];
      for (const [i, p] of route.parentRefs.entries()) {
        const at = path(`trafficRouting.gatewayAPI.route.parentRefs[${i}]`);
        const kind = resolved[i]?.kind;
        if (kind === 'Gateway' && p.name === undefined) yield error(`${at}.name`, 'is required for a Gateway parent');
        if (kind === 'Service' && p.name === undefined && spec.services?.root === false) {
          yield error(`${at}.name`, 'is required: the default GAMMA parent is the root Service, and services.root is false');
        }
        if (kind === 'Service' && p.name !== undefined && backends.includes(p.name) && (p.namespace === undefined || p.namespace === model.namespace)) {
          yield error(`${at}.name`, `${show(p.name)} is a backendRef of the route; the GAMMA parent is the Service clients call (the root Service by default)`);
        }
      }
      if (resolved.some((p) => p.kind === 'Service') && (route.hostnames ?? []).length > 0) {
        yield warning(path('trafficRouting.gatewayAPI.route.hostnames'), 'apply to Gateway parents; a mesh ignores them for a Service parent');
      }
    },
  },
  {
    name: 'gateway-api-route-kind',
    *check({ spec, path }) {
      const route = spec.trafficRouting?.gatewayAPI?.route;
      if (route?.kind === 'GRPCRoute' && (route.matches ?? []).length > 0) {
        yield error(path('trafficRouting.gatewayAPI.route.matches'), 'apply to an HTTPRoute; a GRPCRoute matches gRPC methods');
      }
    },
  },
];
