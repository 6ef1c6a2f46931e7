// Python with TensorFlow and Keras, for the interop tests that check what Python reads from us and
// what we read from Python at run time (CI has none: those tests skip with the reason below).
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const PYTHON = process.env.TF_NAPI_PYTHON_TF ?? path.join(__dirname, '..', '..', '..', '.venv', 'bin', 'python');
const PYTHON_ENV = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', TF_ENABLE_ONEDNN_OPTS: '0', KERAS_BACKEND: 'tensorflow' };
let pythonHasTF: boolean | undefined;

/** Why the Python interop tests skip, or undefined when Python with TensorFlow and Keras is there. */
export function pythonTFMissing(): string | undefined {
  pythonHasTF ??= spawnSync(PYTHON, ['-c', 'import tensorflow, keras'], { env: PYTHON_ENV, timeout: 120_000 }).status === 0;
  return pythonHasTF ? undefined : `no Python TensorFlow + Keras at ${PYTHON} (set TF_NAPI_PYTHON_TF to a python that has them)`;
}

/** Runs `script` with `args` and returns what it printed. */
export function runPython(script: string, ...args: string[]): string {
  return execFileSync(PYTHON, ['-c', script, ...args], { env: PYTHON_ENV, encoding: 'utf8', timeout: 180_000 });
}

/** Runs a Python script; its last stdout line is parsed as JSON. */
export function runPythonJson<T>(script: string, ...args: string[]): T {
  const lines = runPython(script, ...args)
    .trim()
    .split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}
