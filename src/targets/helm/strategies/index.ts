/** Each strategy's chart values. */
import type * as t from '../../../document/types';
import type { ResolvedStrategy } from '../../../model/model';
import { ByKind, byKind } from '../../../model/kinds';
import type { Table } from '../table';
import { blueGreenParameters } from './blue-green';
import { canaryParameters } from './canary';

const STRATEGIES: ByKind<ResolvedStrategy, [Table, t.AppMetadata, t.CanaryAppSpec], void> = {
  canary: canaryParameters,
  blueGreen: blueGreenParameters,
};

export function strategyParameters(table: Table, meta: t.AppMetadata, spec: t.CanaryAppSpec): void {
  byKind(STRATEGIES, table.model.strategy, table, meta, spec);
}
