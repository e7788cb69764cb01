/**
 * The parameter table a chart is made of (see parameters.ts): values with their schema and default, the
 * bindings that put them into the model, and the kinds a boolean value switches off.
 */
import type { ResolvedApp } from '../../model/model';
import { GO_DURATION, QUALIFIED_NAME } from '../../document/patterns';
import { ChartValue, JsonSchema, valuesExpr } from './values';

export type ModelPath = readonly (string | number)[];

/** Where a value enters the objects. */
export interface Binding {
  /** Field of the resolved model. */
  readonly model: ModelPath;
  /** Go template expression producing the field's value. */
  readonly expr: string;
  /**
   * `scalar`: the field is the expression's value; `entries`: the map's entries come from the expression
   * (a map); `list`: the list is the expression's (left out when empty, like an empty map alone under
   * its key); `inline`: the field is a string holding the value (a number) at the token `text` puts it;
   * `optional`: the field is the expression's value, and left out while the value is null (an optional
   * field the spec does not set, which the constructs leave out).
   */
  readonly form: 'scalar' | 'entries' | 'list' | 'inline' | 'optional';
  readonly text?: (token: string) => string;
}

/** Objects of a kind rendered only while a boolean value is true. */
export interface Toggle {
  readonly kind: string;
  readonly expr: string;
}

export interface ChartParameters {
  readonly values: readonly ChartValue[];
  readonly bindings: readonly Binding[];
  readonly toggles: readonly Toggle[];
}

export const pattern = (re: RegExp, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', pattern: re.source, ...extra });
export const DURATION = pattern(GO_DURATION);
export const STRING_MAP: JsonSchema = { type: 'object', propertyNames: { pattern: QUALIFIED_NAME.source }, additionalProperties: { type: 'string' } };
export class Table {
  readonly values: ChartValue[] = [];
  readonly bindings: Binding[] = [];
  readonly toggles: Toggle[] = [];

  constructor(readonly model: ResolvedApp) {}

  value(path: readonly string[], description: string, schema: JsonSchema, value: unknown): void {
    this.values.push({ path, description, schema, default: value });
  }

  /** A model field exposed as a value, its default being the field's resolved value. */
  field(model: ModelPath, path: readonly string[], description: string, schema: JsonSchema, form: Binding['form'] = 'scalar'): void {
    this.value(path, description, schema, get(this.model, model));
    this.bindings.push({ model, expr: valuesExpr(path), form });
  }

  /** An optional model field exposed as a value: null (left out) unless the spec sets it. */
  optional(model: ModelPath, path: readonly string[], description: string, schema: JsonSchema): void {
    this.values.push({ path, description: `${description} Null leaves it out.`, schema: { anyOf: [schema, { type: 'null' }] }, default: get(this.model, model) ?? null, optional: true });
    this.bindings.push({ model, expr: valuesExpr(path), form: 'optional' });
  }

  toggle(kind: string, path: readonly string[], description: string): void {
    this.value(path, description, { type: 'boolean' }, true);
    this.toggles.push({ kind, expr: valuesExpr(path) });
  }
}

export function get(obj: unknown, path: ModelPath): unknown {
  return path.reduce<unknown>((o, k) => (o === undefined || o === null ? undefined : (o as Record<string | number, unknown>)[k]), obj);
}

/** Sets a field of a mutable copy of the model. */
export function set(obj: unknown, path: ModelPath, value: unknown): void {
  const parent = get(obj, path.slice(0, -1)) as Record<string | number, unknown> | undefined;
  if (parent === undefined || parent === null) throw new Error(`model has no ${path.slice(0, -1).join('.')}`);
  parent[path[path.length - 1]] = value;
}
