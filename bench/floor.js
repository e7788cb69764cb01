'use strict';
/**
 * The floor: what synth cannot avoid. Builds the same plain objects canarykit emits (a deep copy of one
 * app's objects per app, names changed), JSON.stringify's them and writes one file per app. Run as its
 * own process so wall time and RSS compare with the CLI's.
 *
 * With `cdk8s` as last argument it is the cdk8s floor: each object also becomes a bare cdk8s ApiObject,
 * in one App and Chart per app, and is rendered by `chart.toJson()`. That is what keeping cdk8s
 * constructs as the model costs before any spec is read or checked.
 */
const fs = require('fs');
const path = require('path');
const [, , objectsFile, n, outDir, mode] = process.argv;
const cdk8s = mode === 'cdk8s' ? require('cdk8s') : undefined;
const templates = JSON.parse(fs.readFileSync(objectsFile, 'utf8'));
fs.mkdirSync(outDir, { recursive: true });
for (let i = 0; i < Number(n); i++) {
  const app = templates[i % templates.length];
  let objects = structuredClone(app.objects);
  for (const o of objects) o.metadata.name = `${o.metadata.name}-${i}`;
  if (cdk8s) {
    const chart = new cdk8s.Chart(new cdk8s.App(), `${app.name}-${i}`, { disableResourceNameHashes: true });
    objects.forEach((o, j) => new cdk8s.ApiObject(chart, `o${j}`, o));
    objects = chart.toJson();
  }
  fs.writeFileSync(path.join(outDir, `${app.name}-${i}.json`), objects.map((o) => JSON.stringify(o)).join('\n'));
}
