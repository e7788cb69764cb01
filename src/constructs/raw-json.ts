import type { ApiObject } from 'cdk8s';

/**
 * Sets fields of an imported construct's manifest from plain Kubernetes JSON.
 *
 * Generated constructs convert their whole manifest through `toJson_<Kind>Props` after patches are
 * applied, and that conversion expects wrapper classes for int-or-string fields (it would turn
 * `port: http` into nothing). Pod specs are built once as plain JSON (pod.ts), so they are set after
 * the conversion instead of through JsonPatch.
 */
export function setRawJson(obj: ApiObject, apply: (manifest: Record<string, any>) => void): void {
  const convert = obj.toJson.bind(obj);
  obj.toJson = () => {
    const manifest = convert();
    apply(manifest);
    return manifest;
  };
}
