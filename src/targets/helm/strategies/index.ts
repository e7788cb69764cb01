/** Each strategy's chart values; the table makes the compiler ask for every strategy. */
import type * as t from '../../../document/types';
import type { ResolvedStrategy } from '../../../model/model';
import type { Table } from '../table';
import { canaryParameters } from './canary';

type Strategies = {
  readonly [K in ResolvedStrategy['kind']]: (table: Table, meta: t.AppMetadata, spec: t.CanaryAppSpec, s: Extract<ResolvedStrategy, { kind: K }>) => void
};

const STRATEGIES: Strategies = {
  canary: canaryParameters,
};

export function strategyParameters(table: Table, meta: t.AppMetadata, spec: t.CanaryAppSpec): void {
  const s = table.model.strategy;
  (STRATEGIES[s.kind] as (table: Table, meta: t.AppMetadata, spec: t.CanaryAppSpec, s: ResolvedStrategy) => void)(table, meta, spec, s);
}
