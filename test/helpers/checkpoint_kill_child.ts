// A child process that saves or loads checkpoints and can SIGKILL itself at a chosen file operation.
//   node checkpoint_kill_child.js LIB save PREFIX GENERATION KILL_AT [partial]
//       saves generation GENERATION at PREFIX; killed before its KILL_AT-th counted fs call (0: never).
//       With `partial`, a writeFileSync it is killed at writes the first half of its data first.
//   node checkpoint_kill_child.js LIB load PREFIX KILL_AT
//       loads PREFIX (completing any interrupted switch), killed likewise.
//   node checkpoint_kill_child.js LIB loop PREFIX FIRST
//       saves FIRST, FIRST+1, ... at PREFIX until killed, printing `saved <g>` after each save.
// Counted calls (renameSync, writeFileSync, rmSync) are reported on stderr as `CALL ...`
// once done, and the one it is killed at as `KILL ...`; paths are shown by their base names.
import fs = require('node:fs');
import * as path from 'node:path';

import type * as TF from '../../lib';
import { assignGeneration, generationVariables } from './checkpoint_kill';

const [lib, mode, prefix, ...rest] = process.argv.slice(2);

const say = (line: string) => fs.writeSync(2, `${line}\n`);
const kill = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

/** Wraps fs's mutating calls (on the module object itself, which the library reads) to count them and kill this process before the `killAt`-th one. */
function armKill(killAt: number, partial: boolean): void {
  let count = 0;
  const mutable = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['renameSync', 'writeFileSync', 'rmSync']) {
    const original = mutable[name];
    mutable[name] = (...args: unknown[]) => {
      const paths = args.slice(0, name === 'renameSync' ? 2 : 1) as string[];
      const call = [name, ...paths.map((p) => path.basename(String(p)))].join(' ');
      count += 1;
      if (count === killAt) {
        say(`KILL ${call}`);
        if (partial && name === 'writeFileSync') {
          const data = Buffer.from(args[1] as string | Uint8Array);
          const fd = fs.openSync(args[0] as string, 'w');
          fs.writeSync(fd, data, 0, data.length >> 1);
          fs.closeSync(fd);
        }
        kill();
      }
      const result = original.apply(fs, args);
      say(`CALL ${call}`);
      return result;
    };
  }
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = require(lib) as typeof TF;

if (mode === 'save') {
  const [generation, killAt, partial] = rest;
  const variables = generationVariables(tf, Number(generation));
  armKill(Number(killAt), partial === 'partial');
  tf.train.saveVariables(prefix, variables);
  process.stdout.write('done\n');
} else if (mode === 'load') {
  const variables = generationVariables(tf, 1000);
  armKill(Number(rest[0]), false);
  tf.train.loadVariables(prefix, variables);
  process.stdout.write('done\n');
} else if (mode === 'loop') {
  let g = Number(rest[0]);
  const variables = generationVariables(tf, g);
  for (;;) {
    tf.train.saveVariables(prefix, variables);
    fs.writeSync(1, `saved ${g}\n`);
    g += 1;
    assignGeneration(tf, variables, g);
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
