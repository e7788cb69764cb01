import * as fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { toYaml, toYamlDocuments } from '../../src/util/yaml-emitter';
import { exampleApps } from '../support/examples';

/** JSON values like the ones manifests carry, with strings chosen to be hard for YAML. */
const tricky = fc.oneof(
  fc.string(),
  fc.constantFrom('yes', 'no', 'on', 'off', 'y', 'N', 'null', '~', 'true', '012', '0x1F', '1e3', '1_000', '12:30', '.inf', '-.NaN',
    '- item', '? key', ': v', '#c', 'a #b', 'a: b', '{{args.x}}', '"q"', "'s'", '*alias', '&anchor', '!tag', '%d', '@at', '`b`',
    ' lead', 'trail ', 'multi\nline', 'multi\nline\n', 'two\n\n', '\ttab\n', 'x\r\ny', '', ' ', '\u2028', 'é', '---', '...'),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(tricky, tie('value'), { maxKeys: 4 })),
})).value;

describe('yaml emitter', () => {
  test('round-trips every example object through the yaml parser (YAML 1.2 and 1.1 rules)', () => {
    for (const app of exampleApps()) {
      const text = toYamlDocuments(app.objects);
      const docs = parseAllDocuments(text).map((d) => d.toJS());
      expect(docs).toEqual(app.objects);
      const docs11 = parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS());
      expect(docs11).toEqual(app.objects);
    }
  });

  test('round-trips fuzzed JSON values (fixed seed)', () => {
    fc.assert(fc.property(json, (value) => {
      const text = toYaml(value);
      const normalized = JSON.parse(JSON.stringify(value));
      expect(parse(text)).toEqual(normalized);
      expect(parse(text, { version: '1.1' })).toEqual(normalized);
    }), { seed: 20261123, numRuns: 3000 });
  });

  test('multi-line strings become literal blocks, keeping scripts and queries readable', () => {
    expect(toYaml({ query: 'sum(x)\n/\nsum(y)\n' })).toBe('query: |\n  sum(x)\n  /\n  sum(y)\n');
    expect(toYaml({ s: 'a\nb' })).toBe('s: |-\n  a\n  b\n');
  });
});
