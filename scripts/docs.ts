/**
 * `npm run docs`: writes what the registry (`main/vendors/index.ts`) already knows into the docs, so
 * it is written once — the README's platform table (between `<!-- platforms -->` markers) and the
 * per-platform sections of `docs/configuration.md` (between `<!-- platform-fields -->` markers),
 * each built from a platform module's `shape` (zod: required, default, kind of value) and `form`
 * (the settings screen's label, help, and the longer `doc` words; a field the form leaves out, its
 * schema's `.describe()` words) — the policy table of `docs/deployment.md` (between
 * `<!-- policies -->` markers) from `POLICY_KEYS` (`main/policy.ts`), and the call work table of
 * `docs/using.md` (between `<!-- call-work -->` markers) from each platform's capabilities.
 * `test/unit/docs.test.ts` fails while a generated part and its source disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { POLICY_KEYS } from '../main/policy.js';
import { callWorkTable, platforms, platformTable, type AnyPlatform } from '../main/vendors/index.js';
import { isRequired, isSecretSchema } from '../main/vendors/kit/platform.js';

/** The files `npm run docs` writes, relative to the repository. */
export const GENERATED = { readme: 'README.md', configuration: 'docs/configuration.md', deployment: 'docs/deployment.md', using: 'docs/using.md' } as const;

/** Replaces what lies between `<!-- name -->` and `<!-- /name -->` with `body`. */
function between(text: string, name: string, body: string, file: string): string {
  const start = `<!-- ${name} -->`;
  const end = `<!-- /${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} has no ${start} … ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

/** The README with its platform table rewritten from the registry. */
export function withPlatformTable(readme: string): string {
  return between(readme, 'platforms', platformTable(), GENERATED.readme);
}

/** `docs/using.md` with its call work table (between `<!-- call-work -->` markers) rewritten from the registry. */
export function withCallWorkTable(using: string): string {
  return between(using, 'call-work', callWorkTable(), GENERATED.using);
}

/** A JSON Schema fragment, as much of it as the value column reads. */
interface JsonSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

const code = (value: unknown): string => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

/** What a field's value is, in words: from its zod schema (through JSON Schema's plain terms). */
function valueOf(schema: z.ZodType): string {
  if (isSecretSchema(schema)) return isRequired(schema) ? 'a [secret](#secrets); **required**' : 'a [secret](#secrets)';
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const words: string[] = [];
  if (json.anyOf?.some((s) => s.type === 'string') && json.anyOf.some((s) => s.type === 'array')) words.push('text, or a JSON list');
  else if (json.type === 'array' && json.items?.enum) words.push(`a list of ${json.items.enum.map(code).join(', ')}`);
  else if (json.enum) words.push(json.enum.map(code).join(' or '));
  else if (json.format === 'email') words.push('an email address');
  else if (json.format === 'uri') words.push('a URL');
  else if (json.type === 'string') words.push('text');
  else if (json.type) words.push(json.type);
  if (json.maxLength !== undefined) words.push(json.minLength ? `${json.minLength}–${json.maxLength} characters` : `at most ${json.maxLength} characters`);
  if (isRequired(schema)) words.push('**required**');
  else if (json.default !== undefined && !(Array.isArray(json.default) && json.default.length === 0)) words.push(`default ${code(json.default)}`);
  return words.join('; ');
}

/** A table cell: no line breaks, pipes escaped. */
const cell = (text: string): string => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');

/** One platform's section of `docs/configuration.md`: every field of its accounts. */
export function platformFields(platform: AnyPlatform): string {
  const shape = platform.shape as Record<string, z.ZodType>;
  const form = new Map(platform.form.map((field) => [field.key as string, field]));
  const keys = [...form.keys(), ...Object.keys(shape).filter((key) => !form.has(key))];
  const rows = keys.map((key) => {
    const field = form.get(key);
    const screen = field ? (field.help ? `${field.label}: *${field.help}*` : field.label) : '(config file only)';
    return `| \`${key}\` | ${cell(screen)} | ${cell(valueOf(shape[key]!))} | ${cell(field?.doc ?? shape[key]!.description ?? '')} |`;
  });
  return [
    `### ${platform.name}`,
    '',
    `\`"vendor": "${platform.id}"\` — ${platform.transport}; on the desk: ${platform.offers}. How sure we are of each behaviour: [${platform.name}](platforms/${platform.id}.md).`,
    '',
    '| field | on the settings screen | value | meaning |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** `docs/configuration.md` with its per-platform sections rewritten from the registry. */
export function withPlatformFields(configuration: string): string {
  return between(configuration, 'platform-fields', platforms().map(platformFields).join('\n\n'), GENERATED.configuration);
}

/** How each OS stores a policy of each kind. */
const POLICY_VALUE: Record<(typeof POLICY_KEYS)[keyof typeof POLICY_KEYS]['kind'], string> = {
  boolean: 'REG_DWORD 0/1 · `<true/>`/`<false/>` · `true`/`false`',
  number: 'REG_DWORD · `<integer>` · a number',
  string: 'REG_SZ · `<string>` · a string',
  list: 'REG_MULTI_SZ · `<array>` of `<string>` · a list of strings',
};

/** `docs/deployment.md` with its policy table rewritten from `POLICY_KEYS`. */
export function withPolicyTable(deployment: string): string {
  const rows = Object.entries(POLICY_KEYS).map(([name, key]) => `| \`${name}\` | \`${key.field}\` | ${POLICY_VALUE[key.kind]} | ${key.description} |`);
  const table = ['| policy | config field | Windows · macOS · Linux value | what it does |', '|---|---|---|---|', ...rows].join('\n');
  return between(deployment, 'policies', table, GENERATED.deployment);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const root = new URL('../', import.meta.url);
  for (const [file, rewrite] of [
    [GENERATED.readme, withPlatformTable],
    [GENERATED.configuration, withPlatformFields],
    [GENERATED.deployment, withPolicyTable],
    [GENERATED.using, withCallWorkTable],
  ] as const) {
    const url = new URL(file, root);
    writeFileSync(url, rewrite(readFileSync(url, 'utf8')));
    process.stdout.write(`${file}: written\n`);
  }
}
