/**
 * Each router's part of the Rollout (`strategy.canary.trafficRouting`), and the objects a router creates
 * (a VirtualService, a route), each table asking for every router.
 */
import type { Construct } from 'constructs';
import type { RolloutSpecStrategyCanaryTrafficRouting } from '../../../imports/argoproj.io';
import type { ResolvedApp, ResolvedRouting } from '../../model/model';
import { ByKind, byKind } from '../../model/kinds';
import { IstioRouter, istioTrafficRouting } from './istio';
import { gatewayApiTrafficRouting, GatewayRoute } from './gateway-api';
import { nginxTrafficRouting } from './nginx';

const ROUTERS: ByKind<ResolvedRouting, [], RolloutSpecStrategyCanaryTrafficRouting | undefined> = {
  none: () => undefined,
  nginx: nginxTrafficRouting,
  istio: istioTrafficRouting,
  gatewayAPI: gatewayApiTrafficRouting,
};

export function trafficRouting(routing: ResolvedRouting): RolloutSpecStrategyCanaryTrafficRouting | undefined {
  return byKind(ROUTERS, routing);
}

const OBJECTS: ByKind<ResolvedRouting, [Construct, ResolvedApp], Construct | undefined> = {
  none: () => undefined,
  // The controller clones the app's Ingress itself.
  nginx: () => undefined,
  istio: (routing, scope, app) => new IstioRouter(scope, 'istio', { app, routing }),
  gatewayAPI: (routing, scope, app) => (routing.route ? new GatewayRoute(scope, 'route', { app, routing }) : undefined),
};

/** The objects the app's router creates, as children of `scope`. */
export function routerObjects(scope: Construct, app: ResolvedApp): Construct | undefined {
  return byKind(OBJECTS, app.routing, scope, app);
}
