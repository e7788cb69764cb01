/**
 * The published JSON Schemas are pinned: schema/canaryapp.schema.json and schema/analysislibrary.schema.json
 * are exactly what `canarykit schema --out schema` writes, every property is documented, every published default is a valid value of its property, and
 * it accepts the examples and refuses what an editor should flag.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { publishedSchemas } from '../../src/document/json-schema';
import { exampleFiles, ROOT } from '../support/examples';

type Json = Record<string, any>;

/** Every subschema with its JSON-pointer-like location, depth first. */
function* subschemas(schema: Json, at = '#'): Generator<[string, Json]> {
  yield [at, schema];
  for (const [name, sub] of Object.entries<Json>(schema.properties ?? {})) yield* subschemas(sub, `${at}/properties/${name}`);
  for (const key of ['items', 'additionalProperties', 'propertyNames'] as const) {
    if (schema[key] && typeof schema[key] === 'object') yield* subschemas(schema[key], `${at}/${key}`);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const [i, sub] of (schema[key] ?? []).entries()) yield* subschemas(sub, `${at}/${key}/${i}`);
  }
  for (const [name, sub] of Object.entries<Json>(schema.$defs ?? {})) yield* subschemas(sub, `${at}/$defs/${name}`);
}

/** The documents of every example of a kind. */
function examplesOf(kind: string): { file: string; doc: unknown }[] {
  return exampleFiles().flatMap((example) => parseAllDocuments(fs.readFileSync(example, 'utf8'))
    .map((d) => ({ file: path.basename(example), doc: d.toJS() as Json }))
    .filter(({ doc }) => doc.kind === kind));
}

describe.each(publishedSchemas())('the published JSON Schema $file', ({ file, kind, schema }) => {
  test(`schema/${file} is byte for byte what \`canarykit schema --out schema\` writes`, () => {
    expect(fs.readFileSync(path.join(ROOT, 'schema', file), 'utf8')).toBe(`${JSON.stringify(schema, null, 2)}\n`);
  });

  test('every property has a description', () => {
    const undocumented = [...subschemas(schema)].flatMap(([at, s]) =>
      Object.entries<Json>(s.properties ?? {}).filter(([, p]) => typeof p.description !== 'string' || p.description === '').map(([name]) => `${at}/properties/${name}`));
    expect(undocumented).toEqual([]);
  });

  test('every default is valid against its own property schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const withDefaults = [...subschemas(schema)].filter(([, s]) => 'default' in s);
    expect(withDefaults.length).toBeGreaterThan(kind === 'CanaryApp' ? 60 : 10);
    for (const [at, s] of withDefaults) {
      const validate = ajv.compile({ ...s, $defs: schema.$defs });
      expect({ at, default: s.default, errors: validate(s.default) ? null : validate.errors }).toEqual({ at, default: s.default, errors: null });
    }
  });

  test('accepts every example of its kind and rejects typos and out-of-range values, as an editor would', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const examples = examplesOf(kind);
    expect(examples.length).toBeGreaterThan(0);
    for (const { file: example, doc } of examples) {
      expect({ example, ok: validate(doc), errors: validate.errors }).toEqual({ example, ok: true, errors: null });
    }
    const bad = kind === 'CanaryApp'
      ? { apiVersion: 'canarykit.dev/v1alpha1', kind, metadata: { name: 'x' }, spec: { image: 'x:1', canary: { weights: [150] }, replica: 1 } }
      : { apiVersion: 'canarykit.dev/v1alpha1', kind, metadata: { name: 'x' }, spec: { analysisTemplates: [{ name: 't', metrics: [{ name: 'm', count: 0, provider: { web: { url: 'http://x' } } }] }], replica: 1 } };
    expect(validate(bad)).toBe(false);
    const messages = validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
    expect(messages).toEqual(expect.arrayContaining(kind === 'CanaryApp'
      ? ['/spec must NOT have additional properties', '/spec/canary/weights/0 must be <= 100']
      : ['/spec must NOT have additional properties', '/spec/analysisTemplates/0/metrics/0/count must be >= 1']));
    // Each kind's schema refuses the other kind's documents: an editor flags a file under the wrong schema.
    const other = publishedSchemas().find((s) => s.kind !== kind)!;
    expect(validate(examplesOf(other.kind)[0].doc)).toBe(false);
  });
});
