import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST, writeOutput } from '../../src/targets/output';
import { readTree } from '../support/files';
import { tmp } from '../support/tmp';

describe('writeOutput (files written by a worker thread, then moved into place)', () => {
  test('writes every file of a large lazy output, nested paths included, and the manifest', () => {
    const out = path.join(tmp(), 'out');
    function* files(): Generator<[string, string]> {
      for (let i = 0; i < 500; i++) yield [i % 5 === 0 ? `chart-${i}/templates/rollout.yaml` : `app-${i}.k8s.yaml`, `content ${i}\n`.repeat(50)];
    }
    const result = writeOutput(out, files());
    const expected = Object.fromEntries([...files()]);
    const written = readTree(out);
    expect(JSON.parse(written[MANIFEST]).files).toEqual(Object.keys(expected).sort());
    delete written[MANIFEST];
    expect(written).toEqual(expected);
    expect(result.written).toEqual(Object.keys(expected).sort());
  });

  test('when producing the files throws: the error propagates, the previous output stays as it was', () => {
    const out = path.join(tmp(), 'out');
    writeOutput(out, new Map([['a.yaml', 'first\n']]));
    const before = readTree(out);
    function* failing(): Generator<[string, string]> {
      yield ['a.yaml', 'second\n'];
      yield ['b.yaml', 'new\n'];
      throw new Error('two apps collide');
    }
    expect(() => writeOutput(out, failing())).toThrow('two apps collide');
    expect(readTree(out)).toEqual(before);
  });

  test('a failed first run leaves no trace, not even the output directories it created', () => {
    const parent = tmp();
    function* failing(): Generator<[string, string]> {
      yield ['a.yaml', 'x\n'];
      throw new Error('invalid');
    }
    expect(() => writeOutput(path.join(parent, 'out', 'nested'), failing())).toThrow('invalid');
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  // Small outputs are written on the calling thread, large ones by the writer thread.
  test.each([['small', 'y\n'], ['large', 'y'.repeat(300_000)]])('a %s file that cannot be written fails the run, naming it; nothing is moved into place', (_, content) => {
    const out = path.join(tmp(), 'out');
    // `a` is written as a file, so `a/b.yaml` cannot be.
    writeOutput(out, new Map([['kept.yaml', 'kept\n']]));
    const before = readTree(out);
    expect(() => writeOutput(out, new Map([['a', 'x\n'], ['a/b.yaml', content]]))).toThrow(/cannot write .*a\/b\.yaml: /);
    expect(readTree(out)).toEqual(before);
  });
});
