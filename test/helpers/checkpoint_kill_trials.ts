// Random SIGKILLs of a process saving checkpoints in a loop: every kill must leave the path loading a
// whole generation (the last saved or the one in progress). Run after `npx tsc -p tsconfig.json`:
//   node dist/test/helpers/checkpoint_kill_trials.js [TRIALS=50] [MAX_DELAY_MS=150]
// TF_NAPI_CHECKPOINT_LIB=/path/to/dist/lib runs them against another build. Exits 1 on any failure.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type * as TF from '../../lib';
import { LIB, randomKillTrials } from './checkpoint_kill';

async function main(): Promise<void> {
  const trials = Number(process.argv[2] ?? 50);
  const maxDelayMs = Number(process.argv[3] ?? 150);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require(LIB) as typeof TF;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-kill-trials-'));
  try {
    const report = await randomKillTrials(tf, dir, trials, { maxDelayMs, log: (line) => console.log(line) });
    console.log(
      `${report.trials} trials, ${report.failures.length} failures; loaded the last saved generation ${report.old} times, ` +
        `the one in progress ${report.new} times (${report.rolledForward} completed from a commit record by the load)`,
    );
    for (const failure of report.failures) console.log(`  ${failure}`);
    process.exitCode = report.failures.length === 0 ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
