/**
 * Question 7 — fuzzing, as the bench runs it: the fuzz tests (`test/fuzz/`) with `FUZZ_RUNS`
 * cases per parser (100 000 in `--long`; the `npm test` count otherwise), two files at a time,
 * each parser's cases and time read back from `FUZZ_REPORT`. A parser whose property failed has no
 * line there: it is listed as failed, with the test runner's words.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FuzzRow {
  parser: string;
  cases: number;
  seconds: number;
}

const ROOT = new URL('../../', import.meta.url).pathname;

export async function runFuzz(options: { runs?: number }): Promise<{ rows: FuzzRow[]; passed: boolean; failures: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-'));
  const report = join(dir, 'report.jsonl');
  const files = readdirSync(join(ROOT, 'test/fuzz'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/fuzz/${f}`);
  const env = { ...process.env, FUZZ_REPORT: report, ...(options.runs ? { FUZZ_RUNS: String(options.runs) } : {}) };
  let output = '';
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=0', '--test-reporter=spec', ...files], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (status) => resolve(status ?? 1));
  });
  let rows: FuzzRow[];
  try {
    rows = readFileSync(report, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { parser: string; cases: number; ms: number })
      .map((r) => ({ parser: r.parser, cases: r.cases, seconds: Math.round(r.ms / 100) / 10 }))
      .sort((a, b) => a.parser.localeCompare(b.parser));
  } catch {
    rows = [];
  }
  rmSync(dir, { recursive: true, force: true });
  const failures = output
    .split('\n')
    .filter((line) => /^\s*✖/.test(line))
    .map((line) => line.trim());
  return { rows, passed: code === 0, failures: [...new Set(failures)] };
}
