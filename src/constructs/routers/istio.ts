/**
 * Istio: the Rollout names the VirtualService (and its routes) whose weights the controller sets, and,
 * for subset-level routing, the DestinationRule whose subsets it points at the stable and canary pods.
 * canarykit creates both unless the spec refers to existing ones.
 */
import { Construct } from 'constructs';
import type { RolloutSpecStrategyCanaryTrafficRouting } from '../../../imports/argoproj.io';
import {
  DestinationRule, toJson_DestinationRuleProps, toJson_VirtualServiceProps, VirtualService,
} from '../../../imports/networking.istio.io';
import type { ResolvedApp, ResolvedIstioRouting } from '../../model/model';
import { objectMeta } from '../metadata';
import { plainObject } from '../render';

export function istioTrafficRouting(r: ResolvedIstioRouting): RolloutSpecStrategyCanaryTrafficRouting {
  const dr = r.destinationRule;
  return {
    istio: {
      virtualService: { name: r.virtualService.name, routes: r.virtualService.routes.length > 0 ? [...r.virtualService.routes] : undefined },
      destinationRule: dr && { name: dr.name, canarySubsetName: dr.canarySubsetName, stableSubsetName: dr.stableSubsetName },
    },
  };
}

export interface IstioRouterProps {
  readonly app: ResolvedApp;
  readonly routing: ResolvedIstioRouting;
}

/** The VirtualService and DestinationRule canarykit creates (none when the spec refers to existing ones). */
export class IstioRouter extends Construct {
  public readonly virtualService?: IstioVirtualService;
  public readonly destinationRule?: IstioDestinationRule;

  constructor(scope: Construct, id: string, props: IstioRouterProps) {
    super(scope, id);
    if (props.routing.virtualService.created) this.virtualService = new IstioVirtualService(this, 'virtual-service', props);
    if (props.routing.destinationRule?.created) this.destinationRule = new IstioDestinationRule(this, 'destination-rule', props);
  }
}

/**
 * The VirtualService: one http route to the stable and canary destinations, weights 100 and 0 (the
 * controller sets them at each step; Argo CD and Pulumi leave `spec.http` to it).
 */
export class IstioVirtualService extends Construct {
  /** The VirtualService object; the construct's default child, so `ApiObject.of()` finds it. */
  public readonly apiObject: VirtualService;

  constructor(scope: Construct, id: string, props: IstioRouterProps) {
    super(scope, id);
    const { app, routing } = props;
    const vs = routing.virtualService;
    const created = vs.created!;
    this.apiObject = plainObject(VirtualService, toJson_VirtualServiceProps, this, 'Resource', {
      metadata: objectMeta(app, vs.name),
      spec: {
        http: created.http.map((h) => ({
          name: h.name,
          route: h.route.map((d) => ({ destination: { ...d.destination, port: { ...d.destination.port } }, weight: d.weight })),
        })),
      },
    }, (manifest) => {
      // Set as plain JSON, whole: the Helm target puts a value's token in place of either list.
      const spec = manifest.spec as Record<string, unknown>;
      manifest.spec = { ...(created.gateways ? { gateways: created.gateways } : {}), hosts: created.hosts, ...spec };
    });
  }
}

/** The DestinationRule: the stable and canary subsets of the root Service, labelled by the controller at run time. */
export class IstioDestinationRule extends Construct {
  /** The DestinationRule object; the construct's default child. */
  public readonly apiObject: DestinationRule;

  constructor(scope: Construct, id: string, props: IstioRouterProps) {
    super(scope, id);
    const { app, routing } = props;
    const dr = routing.destinationRule!;
    this.apiObject = plainObject(DestinationRule, toJson_DestinationRuleProps, this, 'Resource', {
      metadata: objectMeta(app, dr.name),
      spec: {
        host: dr.created!.host,
        // No labels: the controller adds rollouts-pod-template-hash to each subset as ReplicaSets come and go.
        subsets: [{ name: dr.canarySubsetName }, { name: dr.stableSubsetName }],
      },
    });
  }
}
