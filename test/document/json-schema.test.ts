/**
 * The published JSON Schema is pinned: schema/canaryapp.schema.json is exactly what `canarykit schema`
 * writes, every property is documented, every published default is a valid value of its property, and
 * it accepts the examples and refuses what an editor should flag.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { documentJsonSchema, SCHEMA_FILE } from '../../src/document/json-schema';
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

describe('the published JSON Schema', () => {
  const schema = documentJsonSchema();

  test('schema/canaryapp.schema.json is byte for byte what `canarykit schema --out schema` writes', () => {
    expect(fs.readFileSync(path.join(ROOT, 'schema', SCHEMA_FILE), 'utf8')).toBe(`${JSON.stringify(schema, null, 2)}\n`);
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
    expect(withDefaults.length).toBeGreaterThan(60);
    for (const [at, s] of withDefaults) {
      const validate = ajv.compile({ ...s, $defs: schema.$defs });
      expect({ at, default: s.default, errors: validate(s.default) ? null : validate.errors }).toEqual({ at, default: s.default, errors: null });
    }
  });

  test('accepts every example and rejects typos and out-of-range values, as an editor would', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    for (const example of exampleFiles()) {
      const file = path.basename(example);
      for (const doc of parseAllDocuments(fs.readFileSync(example, 'utf8'))) {
        expect({ file, ok: validate(doc.toJS()), errors: validate.errors }).toEqual({ file, ok: true, errors: null });
      }
    }
    const bad = { apiVersion: 'canarykit.dev/v1alpha1', kind: 'CanaryApp', metadata: { name: 'x' }, spec: { image: 'x:1', canary: { weights: [150] }, replica: 1 } };
    expect(validate(bad)).toBe(false);
    const messages = validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
    expect(messages).toEqual(expect.arrayContaining(['/spec must NOT have additional properties', '/spec/canary/weights/0 must be <= 100']));
  });
});
