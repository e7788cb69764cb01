import { z } from 'zod';
import { KIND, LIBRARY_KIND } from './constants';
import type * as Library from './library';
import type * as Schema from './schema';

/** File name of the schema, as examples reference it (`# yaml-language-server: $schema=...`). */
export const SCHEMA_FILE = 'canaryapp.schema.json';
/** File name of the AnalysisLibrary schema. */
export const LIBRARY_SCHEMA_FILE = 'analysislibrary.schema.json';

// The zod schemas are required where they are used, not imported: see `schema()` in load/parse.ts.
/* eslint-disable @typescript-eslint/no-require-imports */

/** JSON Schema of a CanaryApp document, for editors (yaml-language-server) and other tools. */
export function documentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema((require('./schema') as typeof Schema).documentSchema, { unrepresentable: 'any' }),
    $id: 'https://canarykit.dev/schemas/canaryapp-v1alpha1.json',
    title: KIND,
  };
}

/** JSON Schema of an AnalysisLibrary document. */
export function libraryJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema((require('./library') as typeof Library).libraryDocumentSchema, { unrepresentable: 'any' }),
    $id: 'https://canarykit.dev/schemas/analysislibrary-v1alpha1.json',
    title: LIBRARY_KIND,
  };
}

/* eslint-enable @typescript-eslint/no-require-imports */

/** The published schemas: file name, kind, and how the schema is built (on demand: it builds the zod schemas). */
const PUBLISHED = [
  { file: SCHEMA_FILE, kind: KIND, build: documentJsonSchema },
  { file: LIBRARY_SCHEMA_FILE, kind: LIBRARY_KIND, build: libraryJsonSchema },
] as const;

/** The kinds with a published schema, known without building one (`canarykit schema --kind`). */
export const PUBLISHED_KINDS: readonly string[] = PUBLISHED.map((p) => p.kind);

/** Every published schema: its file name, its kind and the schema. */
export function publishedSchemas(): { file: string; kind: string; schema: Record<string, unknown> }[] {
  return PUBLISHED.map(({ file, kind, build }) => ({ file, kind, schema: build() }));
}
