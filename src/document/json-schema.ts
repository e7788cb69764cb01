import { z } from 'zod';
import type * as Schema from './schema';

/** File name of the schema, as examples reference it (`# yaml-language-server: $schema=...`). */
export const SCHEMA_FILE = 'canaryapp.schema.json';

/** JSON Schema of a CanaryApp document, for editors (yaml-language-server) and other tools. */
export function documentJsonSchema(): Record<string, unknown> {
  return {
    // Required here, not imported: see `schema()` in load/parse.ts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ...z.toJSONSchema((require('./schema') as typeof Schema).documentSchema, { unrepresentable: 'any' }),
    $id: 'https://canarykit.dev/schemas/canaryapp-v1alpha1.json',
    title: 'CanaryApp',
  };
}
