// Killing a process that saves checkpoints, for test/checkpoint_atomic.test.ts and checkpoint_kill_trials.ts.
// A generation g is a set of variables that all hold g; a load must find one whole generation.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type * as TF from '../../lib';

type TFModule = typeof TF;

/** The child process script (compiled next to this file). */
export const CHILD = path.join(__dirname, 'checkpoint_kill_child.js');
/** The library the children load: ours, unless TF_NAPI_CHECKPOINT_LIB names another build (e.g. an older one, to compare). */
export const LIB = process.env.TF_NAPI_CHECKPOINT_LIB ?? path.join(__dirname, '..', '..', 'lib');

const KERNEL_SHAPE = [128, 256];

/** The variables of generation `g`: floats, an int64 and a string whose length (so the data file's size) varies with g. */
export function generationValues(tf: TFModule, g: number): Record<string, TF.Tensor> {
  return {
    'dense/kernel': tf.tensor(new Float32Array(KERNEL_SHAPE[0] * KERNEL_SHAPE[1]).fill(g), KERNEL_SHAPE, 'float32'),
    'dense/bias': tf.tensor(new Float32Array(KERNEL_SHAPE[1]).fill(-g), [KERNEL_SHAPE[1]], 'float32'),
    step: tf.tensor(BigInt(g), undefined, 'int64'),
    name: tf.tensor(`generation ${g} ${'x'.repeat(g % 5)}`, undefined, 'string'),
  };
}

export function generationVariables(tf: TFModule, g: number): Record<string, TF.Variable> {
  return Object.fromEntries(Object.entries(generationValues(tf, g)).map(([key, value]) => [key, new tf.Variable(value)]));
}

/** Sets every variable to generation g. */
export function assignGeneration(tf: TFModule, variables: Record<string, TF.Variable>, g: number): void {
  for (const [key, value] of Object.entries(generationValues(tf, g))) {
    variables[key].assign(value);
    value.dispose();
  }
}

/** The generation each variable holds, or NaN where it is not one whole generation. */
export function generationsOf(variables: Record<string, TF.Variable>): Record<string, number> {
  const uniform = (values: number[]) => (values.every((v) => v === values[0]) ? values[0] : NaN);
  const name = /^generation (\d+) (x*)$/.exec(String(variables.name.numpy()));
  return {
    'dense/kernel': uniform((variables['dense/kernel'].numpy() as number[][]).flat()),
    'dense/bias': -uniform(variables['dense/bias'].numpy() as number[]),
    step: Number(variables.step.numpy()),
    name: name && name[2].length === Number(name[1]) % 5 ? Number(name[1]) : NaN,
  };
}

/**
 * Loads the checkpoint at `prefix` into variables of generation -1 and returns the one generation it
 * holds; throws (with the generations found) where it holds a mix.
 */
export function loadGeneration(tf: TFModule, prefix: string, into?: Record<string, TF.Variable>): number {
  const variables = into ?? generationVariables(tf, 1000);
  tf.train.loadVariables(prefix, variables);
  const found = generationsOf(variables);
  const values = Object.values(found);
  if (!values.every((g) => g === values[0]) || Number.isNaN(values[0])) throw new Error(`a mix of generations: ${JSON.stringify(found)}`);
  return values[0];
}

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The file operations the child completed, e.g. `renameSync model_temp.commit model.commit`. */
  calls: string[];
  /** The operation it was killed at (before it ran), if a kill was asked for. */
  killedAt?: string;
}

/** Runs the child script to its end (or its kill). */
export function runChild(args: string[], options: { onStdout?: (line: string, child: ChildProcess) => void } = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, LIB, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() as string;
      for (const line of lines) options.onStdout?.(line, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status, signal) => {
      const calls = [...stderr.matchAll(/^CALL (.*)$/gm)].map((m) => m[1]);
      const killedAt = /^KILL (.*)$/m.exec(stderr)?.[1];
      resolve({ status, signal, stdout, stderr, calls, killedAt });
    });
  });
}

export interface TrialsReport {
  trials: number;
  /** Trials whose load failed or found a mix, with why. */
  failures: string[];
  /** Loads that found the generation saved last, and the one being saved when killed. */
  old: number;
  new: number;
  /** Loads that found a commit record and completed the switch. */
  rolledForward: number;
}

/**
 * Trials of random kills: a child saves generations in a loop at one path; it is SIGKILLed at a
 * random moment; the path must then load the last generation it finished or the one it was saving.
 */
export async function randomKillTrials(
  tf: TFModule,
  dir: string,
  trials: number,
  { maxDelayMs = 150, log }: { maxDelayMs?: number; log?: (line: string) => void } = {},
): Promise<TrialsReport> {
  const prefix = path.join(dir, 'model');
  const report: TrialsReport = { trials, failures: [], old: 0, new: 0, rolledForward: 0 };
  const into = generationVariables(tf, 1000);
  let next = 1;
  for (let trial = 0; trial < trials; ++trial) {
    let timer: NodeJS.Timeout | undefined;
    let lastSaved = -1;
    const delay = Math.random() * maxDelayMs;
    const result = await runChild(['loop', prefix, String(next)], {
      onStdout: (line, child) => {
        const saved = /^saved (\d+)$/.exec(line);
        if (!saved) return;
        lastSaved = Number(saved[1]);
        timer ??= setTimeout(() => child.kill('SIGKILL'), delay);
      },
    });
    clearTimeout(timer);
    // The child reports a generation only after its save returned; stdout arrives in full before 'close'.
    const committed = fs.existsSync(`${prefix}.commit`);
    let outcome: string;
    if (result.signal !== 'SIGKILL' || lastSaved < 0) {
      outcome = `child ended without the kill (status ${result.status}, signal ${result.signal}): ${result.stderr.slice(-500)}`;
      report.failures.push(outcome);
    } else {
      try {
        const g = loadGeneration(tf, prefix, into);
        if (g === lastSaved) report.old += 1;
        else if (g === lastSaved + 1) report.new += 1;
        else throw new Error(`loaded generation ${g}, but the last saved was ${lastSaved}`);
        if (committed) report.rolledForward += 1;
        outcome = `ok: generation ${g} (last saved ${lastSaved}${committed ? ', rolled forward' : ''})`;
        next = lastSaved + 2;
      } catch (e) {
        outcome = `FAILED after generation ${lastSaved}: ${String(e)}`;
        report.failures.push(outcome);
        // A broken path stays broken; the next trial starts a fresh one.
        for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
        next = lastSaved + 2;
      }
    }
    log?.(`trial ${trial + 1}/${trials}: killed after ${delay.toFixed(1)} ms: ${outcome}`);
  }
  return report;
}
