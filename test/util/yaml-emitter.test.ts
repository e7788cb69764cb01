import * as fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { toYaml, toYamlDocuments } from '../../src/util/yaml-emitter';
import { exampleApps, exampleLibraries } from '../support/examples';
import { synthLibrary } from '../../src/constructs/synth';
import { goYamlDocuments } from '../support/go-yaml';

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

  test("Go's YAML parser (kubectl, helm) reads every example object and fuzzed values back as they were", () => {
    for (const app of exampleApps()) expect(goYamlDocuments(toYamlDocuments(app.objects))).toEqual(app.objects);
    // The AnalysisLibrary's templates too: its queries are multi-line and full of {{args.x}}.
    for (const { model } of exampleLibraries()) {
      const objects = synthLibrary(model);
      expect(goYamlDocuments(toYamlDocuments(objects))).toEqual(objects);
    }
    // Any Unicode text (lone surrogates aside: no YAML or UTF-8 can carry them, the loader refuses them),
    // and each character a Go reader refuses or folds when written raw. One yamlcheck run for them all.
    const hard = fc.constantFrom('\x7f', '\x80', '\x85', '\x9f', '\u00a0', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\u{10ffff}', 'a\x7fb\nc', 'q\x85\n\n');
    const text = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }).filter((s) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)), hard, tricky);
    const value = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(text, tie('value'), { maxKeys: 4 })),
    })).value;
    const values = fc.sample(fc.dictionary(text, value, { minKeys: 1, maxKeys: 4 }), { seed: 20261128, numRuns: 2000 });
    expect(goYamlDocuments(toYamlDocuments(values))).toEqual(JSON.parse(JSON.stringify(values)));
  });

  test('characters Go refuses or folds are escaped, also in literal blocks; a lone surrogate is refused', () => {
    expect(toYaml({ s: 'a\x7fb' })).toBe('s: "a\\u007fb"\n');
    expect(toYaml({ s: 'q\u0085\u2028\ufffe' })).toBe('s: "q\\u0085\\u2028\\ufffe"\n');
    expect(toYaml({ s: 'line\n\x80\n' })).toBe('s: "line\\n\\u0080\\n"\n');
    expect(toYaml({ '\x9f': 1 })).toBe('"\\u009f": 1\n');
    expect(() => toYaml({ s: 'x\ud800' })).toThrow('lone UTF-16 surrogate');
  });

  test('multi-line strings become literal blocks, keeping scripts and queries readable', () => {
    expect(toYaml({ query: 'sum(x)\n/\nsum(y)\n' })).toBe('query: |\n  sum(x)\n  /\n  sum(y)\n');
    expect(toYaml({ s: 'a\nb' })).toBe('s: |-\n  a\n  b\n');
  });
});
