/**
 * constants.ts holds what the resolver, constructs and targets need of the spec format without building
 * its zod schemas, which is half of the CLI's start-up; the schema modules build from the same constants.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EXTERNAL_PROVIDER_KEYS } from '../../src/document/constants';
import { externalProviders } from '../../src/document/providers';
import { EXAMPLES_DIR } from '../support/examples';
import { specYaml } from '../support/specs';

const LIBRARY_YAML = fs.readFileSync(path.join(EXAMPLES_DIR, 'platform-analysis.yaml'), 'utf8');

test('the provider keys are those of providers.ts, in its order (the order the AnalysisTemplate target and the resolver use)', () => {
  expect([...EXTERNAL_PROVIDER_KEYS]).toEqual(Object.keys(externalProviders));
});

test('the CLI builds the zod schemas on its first parse, not when it is loaded', () => {
  const built: string[] = [];
  jest.isolateModules(() => {
    for (const name of ['schema', 'library', 'providers', 'notifications', 'production']) {
      jest.doMock(`../../src/document/${name}`, () => {
        built.push(name);
        return jest.requireActual(`../../src/document/${name}`);
      });
    }
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded inside the isolated registry */
    require('../../src/cli/main');
    expect(built).toEqual([]);
    const { loadText } = require('../../src/load/load') as typeof import('../../src/load/load');
    /* eslint-enable @typescript-eslint/no-require-imports */
    expect(loadText(specYaml(), 'web.yaml').issues).toEqual([]);
    // The parser requires the schema, which builds the others; the AnalysisLibrary schemas wait for a library.
    expect(built[0]).toBe('schema');
    expect([...built].sort()).toEqual(['notifications', 'production', 'providers', 'schema']);
    expect(loadText(LIBRARY_YAML, 'platform.yaml').issues).toEqual([]);
    expect(built).toContain('library');
  });
});
