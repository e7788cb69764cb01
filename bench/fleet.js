'use strict';
/**
 * Generates a fleet of N app specs from the examples (names and namespaces suffixed with the index), 50 apps per file
 * unless told otherwise, so every benchmarked tool reads the same input.
 */
const fs = require('fs');
const path = require('path');
const { parseAllDocuments, stringify } = require('yaml');

const EXAMPLES = path.join(__dirname, '..', 'examples');

/**
 * The examples' CanaryApp documents that stand alone: an AnalysisLibrary, and the apps that reference one
 * (`{ name, library }`), are left out, since the fleet renames every document and a renamed app would
 * name a library that is not there.
 */
function exampleDocs() {
  return fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(EXAMPLES, f), 'utf8')).map((d) => d.toJS()))
    .filter((doc) => doc.kind === 'CanaryApp' && !JSON.stringify(doc).includes('"library":'));
}

function writeFleet(dir, n, perFile = 50) {
  const docs = exampleDocs();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (let start = 0; start < n; start += perFile) {
    const chunk = [];
    for (let i = start; i < Math.min(n, start + perFile); i++) {
      const doc = structuredClone(docs[i % docs.length]);
      doc.metadata.name = `${doc.metadata.name.slice(0, 38)}-${i}`;
      // One namespace per app, as in a real fleet: some examples name their Services explicitly, and two
      // apps defining one Service in one namespace is an error.
      doc.metadata.namespace = `${doc.metadata.namespace ?? 'default'}-${i}`;
      chunk.push(stringify(doc));
    }
    fs.writeFileSync(path.join(dir, `fleet-${String(start).padStart(5, '0')}.yaml`), chunk.join('---\n'));
  }
}

module.exports = { writeFleet, exampleDocs };
