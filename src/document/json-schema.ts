import { z } from 'zod';
import { documentSchema, KIND } from './schema';
import { LIBRARY_KIND, libraryDocumentSchema } from './library';

/** File name of the schema, as examples reference it (`# yaml-language-server: $schema=...`). */
export const SCHEMA_FILE = 'canaryapp.schema.json';
/** File name of the AnalysisLibrary schema. */
export const LIBRARY_SCHEMA_FILE = 'analysislibrary.schema.json';

/** JSON Schema of a CanaryApp document, for editors (yaml-language-server) and other tools. */
export function documentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(documentSchema, { unrepresentable: 'any' }),
    $id: 'https://canarykit.dev/schemas/canaryapp-v1alpha1.json',
    title: KIND,
  };
}

/** JSON Schema of an AnalysisLibrary document. */
export function libraryJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(libraryDocumentSchema, { unrepresentable: 'any' }),
    $id: 'https://canarykit.dev/schemas/analysislibrary-v1alpha1.json',
    title: LIBRARY_KIND,
  };
}

/** Every published schema: its file name, its kind and the schema. */
export function publishedSchemas(): { file: string; kind: string; schema: Record<string, unknown> }[] {
  return [
    { file: SCHEMA_FILE, kind: KIND, schema: documentJsonSchema() },
    { file: LIBRARY_SCHEMA_FILE, kind: LIBRARY_KIND, schema: libraryJsonSchema() },
  ];
}
