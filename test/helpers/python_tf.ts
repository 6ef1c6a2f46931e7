// Python with TensorFlow, for interop tests that check what Python reads from us (CI has none: they skip).
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const PYTHON = process.env.TF_NAPI_PYTHON_TF ?? path.join(__dirname, '..', '..', '..', '.venv', 'bin', 'python');
const PYTHON_ENV = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' };
let pythonHasTF: boolean | undefined;

/** Why the Python interop tests skip, or undefined when Python TensorFlow is there. */
export function pythonTFMissing(): string | undefined {
  pythonHasTF ??= spawnSync(PYTHON, ['-c', 'import tensorflow'], { env: PYTHON_ENV, timeout: 120_000 }).status === 0;
  return pythonHasTF ? undefined : `no Python TensorFlow at ${PYTHON} (set TF_NAPI_PYTHON_TF to a python that can import tensorflow)`;
}

/** Runs `script` with `args` and returns what it printed. */
export function runPython(script: string, ...args: string[]): string {
  return execFileSync(PYTHON, ['-c', script, ...args], { env: PYTHON_ENV, encoding: 'utf8', timeout: 120_000 });
}
