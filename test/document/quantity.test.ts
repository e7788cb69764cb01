/**
 * One quantity grammar (resource.ParseQuantity) for the spec schema, the cross-field rules and every
 * chart's values.schema.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { parseQuantity, QUANTITY } from '../../src/document/patterns';
import { ROOT } from '../support/examples';
import { specIssues } from '../support/specs';

const VALID = ['0', '1', '-1', '+1', '1.5', '.5', '5.', '100m', '128Mi', '1Ei', '2e3', '1E-3', '3n', '7k', '1.5Gi'];
const INVALID = ['', '.', '...', '5KK', '1.5.Gi', 'Mi', '1 Mi', '1mi', '1ki', '1e', '1Gi2', '0x10', '1e3Mi'];

function errors(spec: Record<string, unknown>): string[] {
  const doc = {
    apiVersion: 'canarykit.dev/v1alpha1', kind: 'CanaryApp', metadata: { name: 'web' },
    spec: { image: 'example/web:1.2.3', canary: { weights: [10] }, ...spec },
  };
  return specIssues(doc);
}

describe('Kubernetes quantities', () => {
  test.each(VALID)('%j is a quantity', (q) => {
    expect(QUANTITY.test(q)).toBe(true);
    expect(parseQuantity(q)).not.toBeUndefined();
  });
  test.each(INVALID)('%j is not a quantity', (q) => {
    expect(QUANTITY.test(q)).toBe(false);
    expect(parseQuantity(q)).toBeUndefined();
  });
  test('base units', () => {
    expect(parseQuantity('100m')).toBeCloseTo(0.1);
    expect(parseQuantity('128Mi')).toBe(128 * 2 ** 20);
    expect(parseQuantity('2e3')).toBe(2000);
    expect(parseQuantity('1.5k')).toBe(1500);
  });

  test('the spec schema refuses a malformed resource and divisor', () => {
    expect(errors({
      resources: { limits: { cpu: '5KK' } },
      env: [{ name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '...' } } }],
    })).toEqual([
      'spec.env[0].valueFrom.resourceFieldRef.divisor: "..." is not a Kubernetes quantity such as 100m or 128Mi',
      'spec.resources.limits.cpu: "5KK" is not a Kubernetes quantity such as 100m or 128Mi',
    ]);
  });

  test('every committed chart\'s values.schema.json uses the same grammar for resources', () => {
    const charts = path.join(ROOT, 'charts');
    const ajv = new Ajv2020({ strict: false });
    for (const chart of fs.readdirSync(charts, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)) {
      const schema = JSON.parse(fs.readFileSync(path.join(charts, chart, 'values.schema.json'), 'utf8'));
      // A workloadRef app's chart has no container of its own, so no resources.
      if (!schema.properties.resources) continue;
      const resources = schema.properties.resources.properties;
      for (const kind of ['requests', 'limits']) {
        const quantity = ajv.compile(resources[kind].additionalProperties);
        expect({ chart, kind, valid: VALID.filter((q) => !quantity(q)), invalid: INVALID.filter((q) => quantity(q)) })
          .toEqual({ chart, kind, valid: [], invalid: [] });
      }
    }
  });
});
