/**
 * The README and `docs/` say what the code holds: the parts `npm run docs` writes from the registry
 * are current, every config field is documented, every registered platform has its page, every
 * relative link and anchor resolves, every file a page names in backticks exists, and the README
 * stays a newcomer's page (the two commands first, short).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import GithubSlugger from 'github-slugger';
import { z } from 'zod';
import { configSchema } from '../../main/config.js';
import { platforms } from '../../main/vendors/index.js';
import { accountBase } from '../../main/vendors/kit/account.js';
import { GENERATED, withCallWorkTable, withPlatformFields, withPlatformTable, withPolicyTable } from '../../scripts/docs.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/** README.md and every Markdown file under docs/, relative to the repository. */
function pages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
  return ['README.md', ...docs.sort()];
}

/** The text outside fenced code blocks (links and headings there are examples, not links). */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
}

/** The anchors GitHub makes for a page's headings. */
function anchors(markdown: string): Set<string> {
  const slugger = new GithubSlugger();
  const out = new Set<string>();
  for (const match of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) out.add(slugger.slug(match[1]!.replace(/`/g, '')));
  return out;
}

/** Every leaf field path of an object schema: `display.toasts.calls`. */
function leafPaths(schema: z.ZodType, prefix = ''): string[] {
  let inner: unknown = schema;
  for (let depth = 0; depth < 8; depth++) {
    if (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional) inner = inner.unwrap();
    else if (inner instanceof z.ZodPipe) inner = inner.in;
    else break;
  }
  if (!(inner instanceof z.ZodObject)) return [prefix];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, value]) => leafPaths(value, prefix ? `${prefix}.${key}` : key));
}

describe('the docs', () => {
  it('show what the registry holds: the README’s platform table, each platform’s fields and the call work table (run `npm run docs`)', () => {
    const readme = read(GENERATED.readme);
    assert.equal(readme, withPlatformTable(readme), 'README.md is out of date: run `npm run docs`');
    const configuration = read(GENERATED.configuration);
    assert.equal(configuration, withPlatformFields(configuration), 'docs/configuration.md is out of date: run `npm run docs`');
    const deployment = read(GENERATED.deployment);
    assert.equal(deployment, withPolicyTable(deployment), 'docs/deployment.md’s policy table is out of date: run `npm run docs`');
    const using = read(GENERATED.using);
    assert.equal(using, withCallWorkTable(using), 'docs/using.md’s call work table is out of date: run `npm run docs`');
  });

  it('document every field of the config file', () => {
    const configuration = read(GENERATED.configuration);
    const fields = [
      ...leafPaths(configSchema).filter((path) => path !== 'accounts'),
      'accounts',
      ...leafPaths(accountBase).map((path) => `accounts[].${path}`),
    ];
    const missing = fields.filter((field) => !configuration.includes(`\`${field}\``));
    assert.deepEqual(missing, [], 'docs/configuration.md, "Every field", names each field of main/config.ts');
  });

  it('give every registered platform a page of its protocol confidence', () => {
    for (const platform of platforms()) {
      const page = `docs/platforms/${platform.id}.md`;
      assert.ok(existsSync(join(ROOT, page)), `${page} is missing`);
      assert.match(read(page), /\| (Doc|Public|Inferred|\*\*Inferred\*\*)/, `${page} lists behaviours with their sources`);
    }
  });

  it('link only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const page of pages()) {
      const text = prose(read(page));
      const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g), ...text.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
      for (const target of targets) {
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const file = path ? relative(ROOT, resolve(ROOT, dirname(page), path)) : page;
        if (!existsSync(join(ROOT, file))) broken.push(`${page}: ${target} (no ${file})`);
        else if (anchor && file.endsWith('.md') && !anchors(read(file)).has(anchor)) broken.push(`${page}: ${target} (no heading #${anchor} in ${file})`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('name only files that exist', () => {
    const missing: string[] = [];
    for (const page of pages()) {
      for (const match of prose(read(page)).matchAll(/`((?:main|common|preload|renderer|scripts|test|docs|assets|\.ci)\/[\w./-]*)`/g)) {
        const path = match[1]!;
        if (!existsSync(join(ROOT, path))) missing.push(`${page}: ${path}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('let a newcomer start from the README: the two commands early, the rest in docs/', () => {
    const readme = read('README.md');
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme);
    assert.ok(firstBlock, 'the README has a shell block');
    assert.match(firstBlock[1]!, /npm install && npm start/);
    assert.match(firstBlock[1]!, /npm test/);
    assert.ok(readme.indexOf('```sh') < 2500, 'the commands come before the 2 500th character');
    assert.ok(Buffer.byteLength(readme) < 8 * 1024, `README.md is ${Buffer.byteLength(readme)} bytes: move reference text to docs/`);
  });
});
