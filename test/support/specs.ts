/**
 * Spec fixtures: one minimal valid CanaryApp, as YAML text or as data, that a test extends with the part of
 * `spec` it is about; and loading such text the way `canarykit` does.
 */
import { parseDocument } from '../../src/load/parse';
import { loadText } from '../../src/load/load';
import { formatIssue } from '../../src/document/errors';
import type { CanaryAppDocument } from '../../src/document/types';
import { synthDocuments, KubeObject } from '../../src/constructs/synth';

export const API_VERSION = 'canarykit.dev/v1alpha1';

export interface Meta {
  /** Default `web`. */
  readonly name?: string;
  /** Default `shop`. */
  readonly namespace?: string;
}

/** The smallest `spec` body that is valid next to the image: one canary weight. */
export const MINIMAL_CANARY = '  canary: {weights: [50]}\n';

/**
 * A CanaryApp file: apiVersion, kind, metadata (web/shop unless `meta` says otherwise), `spec:` with the
 * image `example/web:1.0.0`, then `body`, the rest of `spec` indented by two spaces.
 */
export function specYaml(body: string = MINIMAL_CANARY, meta: Meta = {}): string {
  return `apiVersion: ${API_VERSION}
kind: CanaryApp
metadata: {name: ${meta.name ?? 'web'}, namespace: ${meta.namespace ?? 'shop'}}
spec:
  image: {repository: example/web, tag: "1.0.0"}
${body}`;
}

/** The same as data: `spec` is the whole spec (image included), for tests that edit documents rather than text. */
export function specDocument(spec: Record<string, any>, meta: Meta = {}): Record<string, any> {
  return { apiVersion: API_VERSION, kind: 'CanaryApp', metadata: { name: meta.name ?? 'web', namespace: meta.namespace ?? 'shop' }, spec };
}

/** Every error of spec text, as `canarykit` prints it: `<source>: <app>: <path>: <message>`. */
export function specErrors(yaml: string, source = 'web.yaml'): string[] {
  return loadText(yaml, source).issues.filter((i) => i.severity === 'error').map((i) => formatIssue(i, i.source));
}

/** The one document of valid spec text; fails the test with the errors otherwise. */
export function loadSpec(yaml: string, source = 'web.yaml'): CanaryAppDocument {
  const { apps, issues } = loadText(yaml, source);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  return apps[0].document;
}

/** The objects synthesized from valid spec text. */
export function synthSpec(yaml: string, source = 'web.yaml'): readonly KubeObject[] {
  return synthDocuments([loadSpec(yaml, source)])[0].objects;
}

/** Every issue of one severity a document gets from the loader, as canarykit prints it (`<path>: <message>`). */
export function specIssues(doc: unknown, severity: 'error' | 'warning' = 'error'): string[] {
  return parseDocument(doc).issues.filter((i) => i.severity === severity).map((i) => formatIssue(i));
}
