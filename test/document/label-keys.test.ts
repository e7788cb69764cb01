/**
 * Label and annotation key lengths are part of the schema: every map whose keys are label/annotation
 * keys gets the API server's name-part and prefix limits, so a map added to the schema is checked
 * without a list to keep up to date. The maps are found in the published JSON Schema.
 */
import { documentJsonSchema } from '../../src/document/json-schema';
import { QUALIFIED_NAME } from '../../src/document/patterns';
import { parseDocument } from '../../src/load/parse';
import { specIssues } from '../support/specs';

type Json = Record<string, any>;

/**
 * Valid, with every optional object that holds a label or annotation map present; blue-green maps (its
 * pod metadata, active and preview Services) are tried on the blue-green variant.
 */
function base(path: readonly string[] = []): Json {
  const doc = (spec: Json) => ({ apiVersion: 'canarykit.dev/v1alpha1', kind: 'CanaryApp', metadata: { name: 'web' }, spec });
  if (path.includes('blueGreen') || path.includes('active') || path.includes('preview')) {
    return doc({ image: 'example/web:1.2.3', services: { active: {}, preview: {} }, blueGreen: { previewMetadata: {}, activeMetadata: {} } });
  }
  // The workloadRef pod source has no image (its Deployment has).
  if (path.includes('workloadRef')) return doc({ workloadRef: { name: 'web' }, canary: { weights: [10] } });
  return doc({
    image: 'example/web:1.2.3',
    ports: { metrics: 9090 },
    ingress: { host: 'web.example.com' },
    trafficRouting: { nginx: {} },
    services: { stable: {}, canary: {}, root: {} },
    serviceMonitor: {},
    scheduling: {},
    canary: { weights: [10], canaryMetadata: {}, stableMetadata: {} },
  });
}

/** Property paths (from the document root) of every map keyed by label/annotation keys. */
function keyMaps(schema: Json, at: string[] = [], out: string[][] = []): string[][] {
  if (schema.propertyNames?.pattern === QUALIFIED_NAME.source) out.push(at);
  for (const [name, sub] of Object.entries<Json>(schema.properties ?? {})) keyMaps(sub, [...at, name], out);
  for (const sub of schema.anyOf ?? []) keyMaps(sub, at, out);
  return out;
}

function errorsWith(path: string[], key: string): string[] {
  const doc = base(path);
  let obj = doc;
  for (const name of path.slice(0, -1)) obj = obj[name] ??= {};
  obj[path[path.length - 1]] = { [key]: 'x' };
  return specIssues(doc);
}

describe('label and annotation keys', () => {
  const maps = keyMaps(documentJsonSchema());

  test('the base document is valid', () => {
    expect(parseDocument(base()).issues).toEqual([]);
    expect(parseDocument(base(['blueGreen'])).issues).toEqual([]);
  });

  test('the schema has every label and annotation map of the spec', () => {
    expect(maps.map((p) => p.join('.')).sort()).toEqual([
      'metadata.annotations',
      'metadata.labels',
      'spec.blueGreen.activeMetadata.annotations',
      'spec.blueGreen.activeMetadata.labels',
      'spec.blueGreen.previewMetadata.annotations',
      'spec.blueGreen.previewMetadata.labels',
      'spec.canary.canaryMetadata.annotations',
      'spec.canary.canaryMetadata.labels',
      'spec.canary.stableMetadata.annotations',
      'spec.canary.stableMetadata.labels',
      'spec.ingress.annotations',
      'spec.podAnnotations',
      'spec.podLabels',
      'spec.scheduling.nodeSelector',
      'spec.serviceAccount.annotations',
      'spec.serviceMonitor.selectorLabels',
      'spec.services.active.annotations',
      'spec.services.canary.annotations',
      'spec.services.preview.annotations',
      'spec.services.root.annotations',
      'spec.services.stable.annotations',
      'spec.trafficRouting.nginx.canaryIngressAnnotations',
      'spec.workloadRef.selectorLabels',
    ]);
  });

  test('a name part of at most 63 characters and a prefix of at most 253 pass in every map', () => {
    for (const path of maps) {
      expect({ path, errors: errorsWith(path, `${'p'.repeat(253)}/${'n'.repeat(63)}`) }).toEqual({ path, errors: [] });
    }
  });

  test('a longer name part is refused in every map, at the key', () => {
    const key = `example.com/${'a'.repeat(64)}`;
    for (const path of maps) {
      expect(errorsWith(path, key)).toEqual([`${path.join('.')}["${key}"]: the name part of the key is 64 characters, more than 63`]);
    }
  });

  test('a longer prefix is refused in every map, at the key; a key without a slash has no prefix', () => {
    const key = `${'a'.repeat(254)}/x`;
    for (const path of maps) {
      expect(errorsWith(path, key)).toEqual([`${path.join('.')}["${key}"]: the prefix of the key is 254 characters, more than 253`]);
    }
    // A plain identifier key is still shown in brackets, as the rules show keys.
    expect(errorsWith(['spec', 'podLabels'], 'b'.repeat(64))).toEqual([`spec.podLabels["${'b'.repeat(64)}"]: the name part of the key is 64 characters, more than 63`]);
  });

  test('a malformed key gets the shape message only, at the key', () => {
    expect(errorsWith(['spec', 'podLabels'], `Bad Key${'c'.repeat(70)}`)).toEqual([`spec.podLabels["Bad Key${'c'.repeat(70)}"]: is not a valid label/annotation key`]);
  });

  test('NGINX annotation names (prefixed by the router) are at most 63 characters', () => {
    const name = `canary-${'d'.repeat(57)}`;
    expect(errorsWith(['spec', 'trafficRouting', 'nginx', 'additionalIngressAnnotations'], name))
      .toEqual([`spec.trafficRouting.nginx.additionalIngressAnnotations["${name}"]: is 64 characters, more than 63`]);
  });
});
