import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { documentJsonSchema, SCHEMA_FILE } from '../../src/document/json-schema';
import { exampleFiles, ROOT } from '../support/examples';

describe('JSON Schema of the file format (for editors)', () => {
  const schema = documentJsonSchema();

  test('the committed schema/ file is the generated one', () => {
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', SCHEMA_FILE), 'utf8'))).toEqual(schema);
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
