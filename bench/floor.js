'use strict';
/**
 * The floor: what synth cannot avoid. Builds the same plain objects canarykit emits (a deep copy of one
 * app's objects per app, names changed), JSON.stringify's them and writes one file per app. Run as its
 * own process so wall time and RSS compare with the CLI's.
 */
const fs = require('fs');
const path = require('path');
const [, , objectsFile, n, outDir] = process.argv;
const templates = JSON.parse(fs.readFileSync(objectsFile, 'utf8'));
fs.mkdirSync(outDir, { recursive: true });
for (let i = 0; i < Number(n); i++) {
  const app = templates[i % templates.length];
  const objects = structuredClone(app.objects);
  for (const o of objects) o.metadata.name = `${o.metadata.name}-${i}`;
  fs.writeFileSync(path.join(outDir, `${app.name}-${i}.json`), objects.map((o) => JSON.stringify(o)).join('\n'));
}
