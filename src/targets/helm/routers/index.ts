/**
 * Each router's chart values: the table makes every new router say what a chart user may override (a
 * Gateway's hostnames and parentRefs, say). NGINX has none of its own; the Ingress values serve it.
 */
import type * as t from '../../../document/types';
import type { ResolvedIstioRouting, ResolvedRouting } from '../../../model/model';
import { ByKind, byKind } from '../../../model/kinds';
import type { Table } from '../table';
import { gatewayApiParameters } from './gateway-api';

const ROUTERS: ByKind<ResolvedRouting, [Table, t.CanaryAppSpec], void> = {
  none: () => undefined,
  nginx: () => undefined,
  istio: istioParameters,
  gatewayAPI: gatewayApiParameters,
};

export function routerParameters(table: Table, spec: t.CanaryAppSpec): void {
  byKind(ROUTERS, table.model.routing, table, spec);
}

/** An Istio host: a DNS name, `*.` before one, or `*`. */
const HOST = { type: 'string', pattern: '^(\\*|(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$' };
const GATEWAY = { type: 'string', pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' };

/**
 * The hosts and gateways of the VirtualService canarykit creates, where the spec writes them: the
 * default hosts (the root Service's name) follow the release name, so they are not a value.
 */
function istioParameters(r: ResolvedIstioRouting, table: Table, spec: t.CanaryAppSpec): void {
  const created = r.virtualService.created;
  if (!created) return;
  if (spec.trafficRouting?.istio?.virtualService?.hosts) {
    table.field(['routing', 'virtualService', 'created', 'hosts'], ['istio', 'virtualService', 'hosts'], 'Hosts the VirtualService routes.', { type: 'array', minItems: 1, items: HOST });
  }
  if (created.gateways) {
    table.field(['routing', 'virtualService', 'created', 'gateways'], ['istio', 'virtualService', 'gateways'], 'Istio Gateways the VirtualService binds to (`mesh` for in-mesh traffic).', { type: 'array', minItems: 1, items: GATEWAY });
  }
}
