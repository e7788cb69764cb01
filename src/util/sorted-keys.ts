/**
 * `Object.keys(obj).sort()`, for the many small objects canonical specs and rendered manifests are made
 * of. `Array.prototype.sort` allocates a work array on every call, which at fleet scale was the largest
 * single source of garbage in synth; a handful of keys is sorted in place instead, with the same order
 * (UTF-16 code units, as the default comparison).
 */
export function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
  return keys;
}
