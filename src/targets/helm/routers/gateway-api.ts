/** Chart values of the Gateway API router: the created route's parents (Gateway name/namespace) and hostnames. */
import type { ResolvedGatewayApiRouting } from '../../../model/model';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from '../../../document/patterns';
import { pattern, Table } from '../table';

const PARENT_REF = {
  type: 'object',
  required: ['group', 'kind', 'name'],
  additionalProperties: false,
  properties: {
    group: { type: 'string' },
    kind: { enum: ['Gateway', 'Service'] },
    name: pattern(DNS1123_SUBDOMAIN),
    namespace: pattern(DNS1123_LABEL),
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    sectionName: pattern(DNS1123_LABEL),
  },
};

export function gatewayApiParameters(r: ResolvedGatewayApiRouting, table: Table): void {
  if (!r.route) return; // an existing route is not the chart's
  table.field(['routing', 'route', 'parentRefs'], ['gatewayAPI', 'parentRefs'],
    'Parents of the route: Gateways (name, namespace, sectionName), or the Service of GAMMA mesh routing.', { type: 'array', minItems: 1, items: PARENT_REF });
  if (r.route.hostnames.length > 0) {
    table.field(['routing', 'route', 'hostnames'], ['gatewayAPI', 'hostnames'], 'Hostnames the route serves.', { type: 'array', minItems: 1, items: pattern(DNS1123_SUBDOMAIN) });
  }
}
