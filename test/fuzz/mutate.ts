/**
 * The fuzzers' raw material: random mutations of real examples (the vendor documents' examples
 * under `test/fixtures/<id>/`, the simulators' and the bench streams' frames), with fast-check.
 *
 * A mutation changes one place of a JSON value: a wrong type, a missing member, a huge string,
 * deep nesting, an unknown enum word, an odd number, an extra (or prototype-named) member, an
 * empty or very long list, a value swapped for another of the same document. One to three of them
 * make a case. Deep nesting is kept as a marker until the value is made (`valueOf`) or written as
 * text (`textOf`), so a nesting far deeper than `JSON.stringify` can write still reaches a parser
 * as the wire would bring it. Text and byte frames also get mutations of their own (cut, spliced,
 * doubled, split into chunks).
 *
 * How many cases each property runs: `FUZZ_RUNS` (the bench's long mode sets 100 000), else a few
 * thousand (`npm test`). `FUZZ_SEED` replays one run.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';

/** Cases per property. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);

/** fast-check's parameters for every property of the fuzzers. */
export function params(): fc.Parameters<unknown> {
  return { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}), endOnFailure: true };
}

/**
 * Runs a property over `arbitrary` and reports how many cases ran (the bench's table reads
 * `FUZZ_REPORT`, one JSON line per parser).
 */
export function check<T>(parser: string, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void): void {
  const started = performance.now();
  try {
    fc.assert(fc.property(arbitrary, predicate), params() as fc.Parameters<[T]>);
  } catch (error) {
    throw shortened(error);
  }
  if (process.env.FUZZ_REPORT) {
    appendFileSync(process.env.FUZZ_REPORT, `${JSON.stringify({ parser, cases: RUNS, ms: Math.round(performance.now() - started) })}\n`);
  }
}

/**
 * The async sibling of {@link check} (a property that awaits, e.g. a reader behind a fetch). In
 * `npm test` it runs a `weight`th of the cases (each case is dearer); with `FUZZ_RUNS` set, all.
 */
export async function checkAsync<T>(parser: string, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, weight = 1): Promise<void> {
  const runs = process.env.FUZZ_RUNS ? RUNS : Math.max(200, Math.round(RUNS / weight));
  const started = performance.now();
  try {
    await fc.assert(fc.asyncProperty(arbitrary, predicate), { ...params(), numRuns: runs } as fc.Parameters<[T]>);
  } catch (error) {
    throw shortened(error);
  }
  if (process.env.FUZZ_REPORT) {
    appendFileSync(process.env.FUZZ_REPORT, `${JSON.stringify({ parser, cases: runs, ms: Math.round(performance.now() - started) })}\n`);
  }
}

/** fast-check's failure with its counterexample cut to a readable length (the seed and path replay it whole). */
export function shortened(error: unknown): unknown {
  if (!(error instanceof Error) || error.message.length <= 4_000) return error;
  const short = new Error(`${error.message.slice(0, 3_000)} … [${error.message.length - 3_500} characters] … ${error.message.slice(-500)}`, { cause: error.cause });
  return short;
}

type Path = Array<string | number>;

/** Every place in a value, the root first. */
function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...at, i], out));
  else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) pathsOf((value as Record<string, unknown>)[key], [...at, key], out);
  return out;
}

/** Every leaf (and member) value of a document, for swaps. */
function valuesOf(value: unknown): unknown[] {
  return pathsOf(value).map((path) => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value));
}

const DEEP = '\u0000deep:';
const HUGE = '\u0000huge:';

/** A marker standing for `depth` levels of nesting (`o` objects, `a` arrays). */
function deepMarker(kind: 'o' | 'a', depth: number): string {
  return `${DEEP}${kind}:${depth}`;
}

/** A marker standing for a string of `length` characters. */
function hugeMarker(length: number): string {
  return `${HUGE}${length}`;
}

/** The largest case drawn, characters of JSON: a mutation that would make it larger is not applied. */
const MAX_CASE_CHARS = 4_000_000;

/** How long a value's JSON is once its markers are made. */
function writtenLength(value: unknown): number {
  const text = JSON.stringify(value) ?? '';
  let length = text.length;
  for (const m of text.matchAll(/"\\u0000(deep|huge):(?:[oa]:)?(\d+)"/g)) length += Number(m[2]) * (m[1] === 'deep' ? 6 : 1);
  return length;
}

const WRONG_TYPES: unknown[] = [null, true, false, 0, -1, 1.5, '', 'text', [], {}, [1, 'a', null], { a: 1 }];
const WORDS = ['', ' ', 'Unknown', 'UNKNOWN', 'unknown', 'null', 'undefined', 'NaN', '0', '-1', '%', '%E0%A4%A', '\uD800', '\u0000', '__proto__', 'constructor', 'toString', '../..', 'a'.repeat(300)];
const NUMBERS: unknown[] = [-1, 0, -0, 0.5, 1e20, -1e20, 1e308, -1e308, 1e-300, 2 ** 53 + 2, 4294967296, '99999999999999999999', '1e400', '-0', '0x10'];
const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'extra', ''];

/** One mutation, as drawn: where, what, and the material. */
interface Mutation {
  at: number;
  kind: 'wrong-type' | 'missing' | 'huge-string' | 'deep' | 'word' | 'number' | 'extra' | 'empty' | 'many' | 'swap' | 'case';
  pick: number;
  size: number;
  text: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom<Mutation['kind']>('wrong-type', 'missing', 'huge-string', 'deep', 'word', 'number', 'extra', 'empty', 'many', 'swap', 'case'),
  pick: fc.nat(),
  size: fc.nat(),
  text: fc.oneof(fc.string(), fc.string({ unit: 'binary' })),
});

/** 1–3 mutations. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, { minLength: 1, maxLength: 3 });

function replacement(m: Mutation, current: unknown, document: unknown): unknown | typeof REMOVE {
  const pick = <T>(list: readonly T[]): T => list[m.pick % list.length]!;
  switch (m.kind) {
    case 'wrong-type': {
      const others = WRONG_TYPES.filter((v) => typeof v !== typeof current || Array.isArray(v) !== Array.isArray(current) || (v === null) !== (current === null));
      return pick(others);
    }
    case 'missing':
      return REMOVE;
    case 'huge-string':
      // Mostly tens of kilobytes; now and then past the platforms' 1 MiB limits.
      return hugeMarker(pick([1_000, 10_000, 65_537, 100_000, 100_000, 1_100_000]));
    case 'deep':
      // Past the call stack of a recursive reader (about 10 000 frames) now and then.
      return deepMarker(m.pick % 2 === 0 ? 'o' : 'a', pick([40, 500, 2_000, 20_000]));
    case 'word':
      return m.pick % 3 === 0 ? m.text : pick(WORDS);
    case 'number':
      return pick(NUMBERS);
    case 'extra':
      return current; // handled by the caller (a member added beside)
    case 'empty':
      return Array.isArray(current) ? [] : current !== null && typeof current === 'object' ? {} : '';
    case 'many': {
      const item = Array.isArray(current) ? (current[0] ?? null) : current;
      // A long list of small items; of a large one (a huge string, deep nesting), a few.
      const written = JSON.stringify(item) ?? '';
      const large = written.length > 200 || written.includes('\\u0000');
      return Array.from({ length: large ? 3 : pick([100, 1_000, 5_000]) }, () => clone(item));
    }
    case 'swap':
      return clone(pick(valuesOf(document)));
    case 'case':
      return typeof current === 'string' ? (m.pick % 2 ? current.toUpperCase() : current.toLowerCase()) : current;
  }
}

const REMOVE = Symbol('remove');

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** `document` with the mutations applied (a copy; deep nesting and huge strings as markers, see {@link valueOf}). */
export function mutate(document: unknown, list: readonly Mutation[]): unknown {
  let root = clone(document);
  for (const m of list) {
    // Each mutation on a copy, kept only while the case stays within MAX_CASE_CHARS once written.
    const candidate = applyOne(clone(root), m);
    if (writtenLength(candidate) <= MAX_CASE_CHARS) root = candidate;
  }
  return root;
}

function applyOne(root: unknown, m: Mutation): unknown {
  const paths = pathsOf(root);
  const path = paths[m.at % paths.length]!;
  const key = path.at(-1);
  const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root) as Record<string | number, unknown> | unknown[] | undefined;
  const current = key === undefined ? root : (parent as Record<string | number, unknown>)[key];
  if (m.kind === 'extra') {
    if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
      const name = m.pick % 4 === 3 ? m.text : EXTRA_KEYS[m.pick % EXTRA_KEYS.length]!;
      // As JSON.parse makes it: an own member, even named __proto__.
      Object.defineProperty(current, name, { value: WRONG_TYPES[m.size % WRONG_TYPES.length], enumerable: true, writable: true, configurable: true });
    }
    return root;
  }
  const next = replacement(m, current, root);
  if (key === undefined) return next === REMOVE ? undefined : next;
  if (next === REMOVE) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, unknown>)[key];
  } else {
    (parent as Record<string | number, unknown>)[key] = next;
  }
  return root;
}

/** Draws one of `documents`, mutated. */
export function mutated(documents: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.tuple(fc.nat({ max: documents.length - 1 }), mutations).map(([i, list]) => mutate(documents[i], list));
}

/** Deep nesting, made for real (iteratively: no recursion however deep). */
function nested(kind: 'o' | 'a', depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'o' ? { a: value } : [value];
  return value;
}

/** The value with its deep-nesting markers made into nesting (what `JSON.parse` of the wire gives). */
export function valueOf(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(DEEP)) {
    const [kind, depth] = value.slice(DEEP.length).split(':');
    return nested(kind as 'o' | 'a', Number(depth));
  }
  if (typeof value === 'string' && value.startsWith(HUGE)) return 'x'.repeat(Number(value.slice(HUGE.length)));
  if (Array.isArray(value)) return value.map(valueOf);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: valueOf((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** The value as JSON text, deep-nesting markers written as nesting (as deep as drawn). */
export function textOf(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text
    .replace(/"\\u0000deep:([oa]):(\d+)"/g, (_, kind: string, depth: string) => {
      const n = Number(depth);
      return kind === 'o' ? `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` : `${'['.repeat(n)}1${']'.repeat(n)}`;
    })
    .replace(/"\\u0000huge:(\d+)"/g, (_, length: string) => `"${'x'.repeat(Number(length))}"`);
}

/** A text frame's own mutations: cut, a piece spliced in, a piece taken out, doubled, emptied. */
export function mutatedText(frames: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat({ max: frames.length - 1 }), fc.constantFrom('cut', 'splice', 'remove', 'double', 'empty', 'bytes'), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 8 }))
    .map(([i, kind, a, b, piece]) => {
      const text = frames[i]!;
      const at = a % (text.length + 1);
      switch (kind) {
        case 'cut':
          return text.slice(0, at);
        case 'splice':
          return text.slice(0, at) + piece + text.slice(at);
        case 'remove':
          return text.slice(0, at) + text.slice(at + 1 + (b % 8));
        case 'double':
          return text + text;
        case 'empty':
          return '';
        default:
          return text.slice(0, at) + String.fromCharCode(b % 0x10000) + text.slice(at + 1);
      }
    });
}

/** A byte frame's own mutations: bytes flipped, cut, doubled, or garbage before it. */
export function mutatedBytes(frames: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.nat({ max: frames.length - 1 }), fc.constantFrom('flip', 'cut', 'double', 'garbage'), fc.nat(), fc.uint8Array({ maxLength: 16 })).map(([i, kind, a, bytes]) => {
    const frame = Buffer.from(frames[i]!);
    const at = a % Math.max(1, frame.length);
    switch (kind) {
      case 'flip':
        frame[at] = (frame[at] ?? 0) ^ (1 + (a % 255));
        return frame;
      case 'cut':
        return frame.subarray(0, at);
      case 'double':
        return Buffer.concat([frame, frame]);
      default:
        return Buffer.concat([Buffer.from(bytes), frame]);
    }
  });
}

/** Lines a logger wrote, parsed (tests pass {@link captureLog}'s destination to `createLogger`). */
export function captureLog(): { destination: { write(line: string): void }; lines: Array<{ level: number; msg: string }>; clear(): void } {
  const lines: Array<{ level: number; msg: string }> = [];
  return {
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) },
    lines,
    clear: () => void (lines.length = 0),
  };
}

/** pino's warn level. */
export const WARN = 40;

/**
 * Why `value` is not plain JSON data (what the desk state and the wire may hold): a function, a
 * class instance, a symbol, a number that is not finite. `undefined` when it is plain.
 */
export function notPlain(value: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `${at || '(root)'} is ${v}`;
      continue;
    }
    if (typeof v !== 'object') return `${at || '(root)'} is a ${typeof v}`;
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${at}[${i}]`]));
      continue;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return `${at || '(root)'} is not a plain object`;
    for (const key of Object.keys(v)) stack.push([(v as Record<string, unknown>)[key], `${at}.${key}`]);
  }
  return undefined;
}
