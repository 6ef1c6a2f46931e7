// The eager fuzz's child process: runs cases from --from on until --deadline (epoch ms), writing
// "S <index> <op>" before each case and "E <index> <outcome>" after it to --log with synchronous
// writes, so that when a case kills the process the parent still reads which one it was.
import * as fs from 'node:fs';
import { makeCase, runCase } from './eager_fuzz_cases';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) throw new Error(`missing --${name}`);
  return process.argv[i + 1];
}

const seed = Number(arg('seed'));
const deadline = Number(arg('deadline'));
const log = fs.openSync(arg('log'), 'a');
for (let index = Number(arg('from')); Date.now() < deadline; index++) {
  const c = makeCase(seed, index);
  fs.writeSync(log, `S ${index} ${c.op}\n`);
  const outcome = runCase(c);
  fs.writeSync(log, `E ${index} ${outcome.replace(/\n/g, ' ')}\n`);
}
fs.closeSync(log);
