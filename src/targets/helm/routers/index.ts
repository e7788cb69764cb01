/**
 * Each router's chart values: the table makes every new router say what a chart user may override (a
 * Gateway's hostnames and parentRefs, say). NGINX has none of its own; the Ingress values serve it.
 */
import type { ResolvedRouting } from '../../../model/model';
import { ByKind, byKind } from '../../../model/kinds';
import type { Table } from '../table';
import { gatewayApiParameters } from './gateway-api';

const ROUTERS: ByKind<ResolvedRouting, [Table], void> = {
  none: () => undefined,
  nginx: () => undefined,
  gatewayAPI: gatewayApiParameters,
};

export function routerParameters(table: Table): void {
  byKind(ROUTERS, table.model.routing, table);
}
