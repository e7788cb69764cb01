/**
 * Each router's part of the Rollout (`strategy.canary.trafficRouting`). A router whose objects canarykit
 * creates (a route, a VirtualService) adds them in its own module too, through the second table.
 */
import type { Construct } from 'constructs';
import type { RolloutSpecStrategyCanaryTrafficRouting } from '../../../imports/argoproj.io';
import type { ResolvedApp, ResolvedRouting } from '../../model/model';
import { ByKind, byKind } from '../../model/kinds';
import { gatewayApiTrafficRouting, GatewayRoute } from './gateway-api';
import { nginxTrafficRouting } from './nginx';

const ROUTERS: ByKind<ResolvedRouting, [], RolloutSpecStrategyCanaryTrafficRouting | undefined> = {
  none: () => undefined,
  nginx: nginxTrafficRouting,
  gatewayAPI: gatewayApiTrafficRouting,
};

export function trafficRouting(routing: ResolvedRouting): RolloutSpecStrategyCanaryTrafficRouting | undefined {
  return byKind(ROUTERS, routing);
}

/** The objects a router owns, built under `scope` (none for NGINX: the controller makes its canary Ingress). */
const OBJECTS: ByKind<ResolvedRouting, [Construct, ResolvedApp], Construct | undefined> = {
  none: () => undefined,
  nginx: () => undefined,
  gatewayAPI: (routing, scope, app) => (routing.route ? new GatewayRoute(scope, 'route', { app, routing }) : undefined),
};

export function routerObjects(scope: Construct, app: ResolvedApp): Construct | undefined {
  return byKind(OBJECTS, app.routing, scope, app);
}
