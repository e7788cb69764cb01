/** Chart values of the blue-green strategy: how and when the preview is promoted, each only where the spec sets it. */
import type { ResolvedBlueGreenStrategy } from '../../../model/model';
import type { Table } from '../table';

const FIELDS = [
  ['autoPromotionEnabled', 'Promote once the preview is ready and its analysis passed; false waits for `kubectl argo rollouts promote`.', { type: 'boolean' }],
  ['autoPromotionSeconds', 'Promote this many seconds after the preview is ready.', { type: 'integer', minimum: 1 }],
  ['previewReplicaCount', 'Pods of the preview before promotion.', { type: 'integer', minimum: 1 }],
  ['scaleDownDelaySeconds', 'Seconds the old active pods stay after promotion.', { type: 'integer', minimum: 0 }],
] as const;

export function blueGreenParameters(strategy: ResolvedBlueGreenStrategy, table: Table): void {
  // A value exists only where the spec sets the field: left out, the controller's default applies, and a
  // chart value would have to render it to be overridable, which synth does not.
  for (const [field, description, schema] of FIELDS) {
    if (strategy[field] !== undefined) table.field(['strategy', field], ['blueGreen', field], description, schema);
  }
}
