import type { Construct } from 'constructs';
import { ApiObject, JsonPatch } from 'cdk8s';
import { sortedKeys } from '../util/sorted-keys';

/** A generated `toJson_<Kind>Props` function: typed props to the JSON field names of the manifest. */
export type PropsConverter<P> = (props: P | undefined) => Record<string, unknown> | undefined;

/**
 * Creates a generated construct (`new kind(scope, id, props)`) whose manifest is rendered from its
 * plain props without cdk8s' token resolution; `finish` may then add plain JSON to the manifest.
 *
 * `ApiObject.toJson()` sends every value of its props through the app's resolvers, and at fleet scale
 * that costs more than the rest of synth together. canarykit's props hold no tokens, only the generated
 * int-or-string wrappers, which the converter reads itself; so the props are key-sorted and converted
 * exactly as cdk8s does after resolving, with no resolver in the loop. Metadata still comes from cdk8s,
 * so labels and annotations added later show up, and JSON patches are applied to the finished manifest.
 *
 * `finish` exists because pod specs are built once as plain JSON (pod.ts): the generated conversion
 * expects wrapper classes for int-or-string fields and would turn `port: http` into nothing.
 */
export function plainObject<T extends ApiObject, P extends object>(
  kind: new (scope: Construct, id: string, props: P) => T,
  convert: PropsConverter<P>,
  scope: Construct,
  id: string,
  props: P,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a manifest is untyped JSON, as cdk8s' toJson() has it
  finish?: (manifest: Record<string, any>) => void,
): T {
  const obj = new kind(scope, id, props);
  const patches: JsonPatch[] = [];
  obj.addJsonPatch = (...ops: JsonPatch[]) => { patches.push(...ops); };
  obj.toJson = () => {
    const converted = convert(sortedPlain({ ...props, metadata: obj.metadata.toJson() }) as P);
    const manifest = { apiVersion: obj.apiVersion, kind: obj.kind, ...converted };
    finish?.(manifest);
    return patches.length > 0 ? JsonPatch.apply(manifest, ...patches) : manifest;
  };
  return obj;
}

/**
 * What cdk8s' sanitizer makes of resolved props: keys of plain objects sorted, null and undefined
 * dropped. Other objects (the int-or-string wrappers) are left for the converter.
 */
export function sortedPlain(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(sortedPlain);
  if (typeof value !== 'object' || value.constructor !== Object) return value;
  const out: Record<string, unknown> = {};
  for (const key of sortedKeys(value)) {
    const v = sortedPlain((value as Record<string, unknown>)[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
