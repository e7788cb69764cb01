import * as fc from 'fast-check';
import { sortedKeys } from '../../src/util/sorted-keys';

describe('sortedKeys', () => {
  test('orders keys exactly as Object.keys(obj).sort() does, integer-like and non-ASCII keys included', () => {
    const key = fc.oneof(fc.string(), fc.nat().map(String), fc.constantFrom('a', 'B', 'é', '\u{1F600}', '10', '9', '-1', ''));
    fc.assert(fc.property(fc.dictionary(key, fc.constant(1), { maxKeys: 40 }), (obj) => {
      expect(sortedKeys(obj)).toEqual(Object.keys(obj).sort());
    }), { seed: 20261123, numRuns: 2000 });
  });
});
