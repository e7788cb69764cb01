/** The traffic router of a spec: at most one key of `spec.trafficRouting`, resolved by its own module. */
import type * as t from '../../document/types';
import type { ResolvedRouting } from '../model';
import type { RoutingInput } from './input';
import { resolveIstio } from './istio';
import { resolveNginx } from './nginx';

export function resolveRouting(spec: t.CanaryAppSpec, input: RoutingInput): ResolvedRouting {
  const routing = spec.trafficRouting;
  if (routing?.nginx) return resolveNginx(routing.nginx, input.ingressName);
  if (routing?.istio) return resolveIstio(routing.istio, input);
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
