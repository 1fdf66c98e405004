/**
 * Writes the automation API's OpenAPI document (`docs/automation-api.openapi.json`) from the
 * routes and their zod schemas (`main/api/openapi.ts`). `npm run docs`; a unit test fails while
 * the committed document and the code disagree.
 */
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../main/api/openapi.js';

/** Where the document is committed. */
export const OPENAPI_FILE = new URL('../docs/automation-api.openapi.json', import.meta.url);

/** The document as the file holds it: two-space JSON and a final newline. */
export function openApiText(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(OPENAPI_FILE, openApiText());
  process.stdout.write('docs/automation-api.openapi.json: written from main/api/\n');
}
