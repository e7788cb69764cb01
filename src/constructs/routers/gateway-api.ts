/**
 * Gateway API: the Rollout configures the Argo Rollouts plugin `argoproj-labs/gatewayAPI` (v0.15.0,
 * pkg/plugin/types.go), which weights the route's stable and canary backendRefs; when canarykit creates
 * the route, this module makes it too, with both Services as backendRefs (stable 100, canary 0), as
 * the plugin needs them.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { z } from 'zod';
import {
  GrpcRoute, HttpRoute, HttpRouteProps, HttpRouteSpecRulesMatchesHeadersType, HttpRouteSpecRulesMatchesPathType, toJson_GrpcRouteProps,
  toJson_HttpRouteProps,
} from '../../../imports/gateway.networking.k8s.io';
import type { RolloutSpecStrategyCanaryTrafficRouting } from '../../../imports/argoproj.io';
import type { ResolvedApp, ResolvedGatewayApiRouting } from '../../model/model';
import { objectMeta } from '../metadata';
import { plainObject } from '../render';
import { sortedKeys } from '../../util/sorted-keys';

/** The plugin's name in the Rollout and in the controller's `trafficRouterPlugins`. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/**
 * What canarykit emits under `trafficRouting.plugins["argoproj-labs/gatewayAPI"]`, checked against the
 * plugin's own types (GatewayAPITrafficRouting of v0.15.0), since the Rollout CRD accepts any plugin
 * config: a misspelt key would be ignored by the plugin, silently.
 */
const routeRef = z.strictObject({ name: z.string().min(1), useHeaderRoutes: z.boolean().optional() });
export const gatewayApiPluginConfig = z.strictObject({
  httpRoutes: z.array(routeRef).min(1).optional(),
  grpcRoutes: z.array(routeRef).min(1).optional(),
  namespace: z.string().min(1).optional(),
}).refine((c) => (c.httpRoutes === undefined) !== (c.grpcRoutes === undefined), { error: 'names exactly one kind of route' });
export type GatewayApiPluginConfig = z.infer<typeof gatewayApiPluginConfig>;

export function gatewayApiPluginConfigOf(r: ResolvedGatewayApiRouting): GatewayApiPluginConfig {
  const routes = [{ name: r.routeName, ...(r.useHeaderRoutes ? { useHeaderRoutes: true } : {}) }];
  return gatewayApiPluginConfig.parse({
    [r.routeKind === 'GRPCRoute' ? 'grpcRoutes' : 'httpRoutes']: routes,
    ...(r.routeNamespace !== undefined ? { namespace: r.routeNamespace } : {}),
  });
}

export function gatewayApiTrafficRouting(r: ResolvedGatewayApiRouting): RolloutSpecStrategyCanaryTrafficRouting {
  return { plugins: { [GATEWAY_API_PLUGIN]: gatewayApiPluginConfigOf(r) } };
}

export interface GatewayRouteProps {
  readonly app: ResolvedApp;
  readonly routing: ResolvedGatewayApiRouting;
}

/**
 * The HTTPRoute or GRPCRoute canarykit creates: one rule (per match list) with the stable Service at
 * weight 100 and the canary Service at weight 0; the plugin changes the weights and adds header rules.
 */
export class GatewayRoute extends Construct {
  /** The route object; the construct's default child, so `ApiObject.of()` finds it. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: GatewayRouteProps) {
    super(scope, id);
    const { app, routing } = props;
    const route = routing.route!;
    const strategy = app.strategy;
    // Gateway API routing is a canary router (blue-green takes none: a rule says so); resolved tolerantly.
    const [stable, canary] = strategy.kind === 'canary' ? [strategy.stableService, strategy.canaryService] : [strategy.activeService, strategy.previewService];
    const backendRefs = [
      { group: '', kind: 'Service', name: stable, port: app.ports.servicePort, weight: 100 },
      { group: '', kind: 'Service', name: canary, port: app.ports.servicePort, weight: 0 },
    ];
    const metadata = objectMeta(app, routing.routeName);
    // parentRefs and hostnames are chart values: in a chart's model they are sentinel strings, which
    // the generated conversion cannot map over, so they are copied into the manifest as they are.
    const tokens = { parentRefs: route.parentRefs as unknown, hostnames: route.hostnames as unknown };
    const lists = {
      parentRefs: Array.isArray(tokens.parentRefs) ? route.parentRefs.map((p) => ({ ...p })) : undefined,
      hostnames: Array.isArray(tokens.hostnames) && route.hostnames.length > 0 ? [...route.hostnames] : undefined,
    };
    const finish = (manifest: Record<string, unknown>) => {
      const spec = manifest.spec as Record<string, unknown>;
      for (const key of ['parentRefs', 'hostnames'] as const) if (typeof tokens[key] === 'string') spec[key] = tokens[key];
      manifest.spec = Object.fromEntries(sortedKeys(spec).map((k) => [k, spec[k]]));
    };
    if (routing.routeKind === 'GRPCRoute') {
      this.apiObject = plainObject(GrpcRoute, toJson_GrpcRouteProps, this, 'Resource', { metadata, spec: { ...lists, rules: [{ backendRefs }] } }, finish);
      return;
    }
    const props2: HttpRouteProps = {
      metadata,
      spec: {
        ...lists,
        rules: [{
          matches: route.matches.length > 0 ? route.matches.map((m) => ({
            path: m.path && { type: m.path.type as HttpRouteSpecRulesMatchesPathType, value: m.path.value },
            headers: m.headers?.map((h) => ({ type: h.type as HttpRouteSpecRulesMatchesHeadersType, name: h.name, value: h.value })),
          })) : undefined,
          backendRefs,
        }],
      },
    };
    this.apiObject = plainObject(HttpRoute, toJson_HttpRouteProps, this, 'Resource', props2, finish);
  }
}
