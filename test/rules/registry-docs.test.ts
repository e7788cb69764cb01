/**
 * docs/validation.md names the rules of the registry: each row of its tables says `rule:<name>` for the
 * rule that emits the message, and "Rules by name" lists every rule in `RULES` order with its module.
 * These tests keep the doc and the registry in step: a renamed, added or removed rule fails here.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { RULES } from '../../src/rules/registry';

const root = join(__dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'validation.md'), 'utf8');
const names = RULES.map((r) => r.name);

/** The "Rules by name" section: from its heading to the next `## ` heading or the end. */
function rulesByName(): string {
  const start = doc.indexOf('\n## Rules by name\n');
  expect(start).toBeGreaterThanOrEqual(0);
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

/** The rows of the "Rules by name" table: rule name and module, in order. */
function listed(): { name: string; module: string }[] {
  return [...rulesByName().matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)].map((m) => ({ name: m[1], module: m[2] }));
}

describe('docs/validation.md and the rule registry', () => {
  test('rule names are unique and kebab-case', () => {
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  test('"Rules by name" lists every rule, in RULES order, with the module that defines it', () => {
    const rows = listed();
    expect(rows.map((r) => r.name)).toEqual(names);
    for (const { name, module } of rows) {
      const source = readFileSync(join(root, 'src', 'rules', module), 'utf8');
      expect({ name, module, defined: source.includes(`name: '${name}'`) }).toEqual({ name, module, defined: true });
    }
  });

  test('every rule:<name> reference names a registered rule', () => {
    const refs = [...doc.matchAll(/\brule:([^\s`,;()]+)/g)].map((m) => m[1]).filter((n) => n !== '<name>');
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((n) => !names.includes(n))).toEqual([]);
  });

  test('every synth:<function> reference names a function of src/constructs/synth.ts', () => {
    const synth = readFileSync(join(root, 'src', 'constructs', 'synth.ts'), 'utf8');
    const refs = [...doc.matchAll(/\bsynth:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((f) => !new RegExp(`function\\*? ${f}\\(`).test(synth))).toEqual([]);
  });

  test('no references to the rule files and functions before the registry', () => {
    expect(doc.match(/\b(validate|controller|analysis):[A-Za-z]/g)).toBeNull();
    expect(doc).not.toContain('src/spec/');
    expect(doc).not.toContain('src/analysis/rules.ts');
    const gone = ['validateCanary', 'validateServices', 'validateAnalysisRef', 'validateTemplates', 'strategyRules', 'analysisRefRules', 'integerRanges', 'durationRanges', 'balancedJsonPath', 'objectCollisions'];
    expect(gone.filter((f) => doc.includes(f))).toEqual([]);
  });

  test('the test files the doc names exist', () => {
    const files = [...doc.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => { try { readFileSync(join(root, f)); return false; } catch { return true; } })).toEqual([]);
  });
});
