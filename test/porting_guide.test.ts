// docs/PORTING.md is checked, row by row: every TypeScript cell of its tables runs after the
// guide's setup block (both transpiled from TypeScript as written there), and a row whose notes say
// "throws `Class: message`" must throw exactly that. The guide cannot drift from the library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

import * as tf from '../lib';

const GUIDE = path.join(__dirname, '..', '..', 'docs', 'PORTING.md');
const text = fs.readFileSync(GUIDE, 'utf8');

/** The ```ts block right after the `<!-- setup -->` marker. */
function setupCode(): string {
  const match = /<!-- setup -->\s*```ts\n([\s\S]*?)```/.exec(text);
  assert.ok(match, 'docs/PORTING.md needs a <!-- setup --> ```ts block');
  return match[1];
}

interface Row {
  line: number;
  python: string;
  code: string;
  notes: string;
}

/** Splits a table row on unescaped pipes; `\|` inside code stays a pipe. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));
}

function rows(): Row[] {
  const out: Row[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) return;
    const [python, typescript, notes = ''] = cells(line);
    const code = /^`(.+)`$/.exec(typescript ?? '');
    if (!code || python === 'Python') return;
    out.push({ line: i + 1, python, code: code[1], notes });
  });
  return out;
}

function transpile(source: string): string {
  return ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
const setup = setupCode();
const all = rows();

test('docs/PORTING.md has its tables', () => {
  assert.ok(all.length >= 50, `only ${all.length} rows`);
});

for (const row of all) {
  test(`PORTING.md line ${row.line}: ${row.python}`, async () => {
    const body = transpile(`${setup}\n;${row.code};`);
    const run = new AsyncFunction('tf', 'require', body);
    const expected = /throws `(\w+): ([^`]+)`/.exec(row.notes);
    const log = console.log;
    console.log = () => {};
    try {
      if (expected) {
        await assert.rejects(run(tf, require), (e: Error) => {
          assert.equal(e.name, expected[1]);
          assert.ok(e.message.includes(expected[2]), `message '${e.message}' lacks '${expected[2]}'`);
          return true;
        });
      } else {
        await run(tf, require);
      }
    } finally {
      console.log = log;
    }
  });
}
