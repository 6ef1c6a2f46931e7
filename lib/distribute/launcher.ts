// `npx tf-napi-run --workers N script.js [args]`: a local cluster on 127.0.0.1 for trying
// multi-worker training on one machine: one process per worker with its TF_CONFIG, each output
// line prefixed with its task, and every process stopped at the first failure.
import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as readline from 'node:readline';

/** `count` distinct free ports on 127.0.0.1 (each bound to port 0 at once, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      servers.push(server);
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

export interface LaunchOptions {
  workers: number;
  /** The script each worker runs with node, and its arguments. */
  script: string;
  args?: readonly string[];
  /** Extra environment for every worker. */
  env?: NodeJS.ProcessEnv;
  /** Each output line, already prefixed ("[worker 1] ..."); default: the parent's stdout/stderr. */
  onLine?: (task: number, line: string, stream: 'stdout' | 'stderr') => void;
  /** Grace before SIGKILL when stopping the others (ms). */
  killAfterMs?: number;
  /** Stop the other workers at the first failure (default true; tests of fault handling turn it off). */
  stopOthersOnFailure?: boolean;
}

export interface LaunchResult {
  /** 0 when every worker exited 0; otherwise the first failure's exit code (1 for a signal). */
  code: number;
  /** The worker that failed first, or null. */
  failedTask: number | null;
  /** Each worker's stdout lines. */
  stdout: string[][];
  /** Each worker's exit code, or its signal's name. */
  exits: (number | string)[];
}

/** The TF_CONFIG of task `index` in a cluster of workers at `ports` on 127.0.0.1. */
export function localTFConfig(ports: readonly number[], index: number): string {
  return JSON.stringify({ cluster: { worker: ports.map((p) => `127.0.0.1:${p}`) }, task: { type: 'worker', index } });
}

/** Starts the cluster and waits for every worker; stops all at the first failure. */
export async function launch(options: LaunchOptions): Promise<LaunchResult> {
  const { workers, script, args = [], killAfterMs = 3000, stopOthersOnFailure = true } = options;
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`--workers must be a positive integer, got ${workers}`);
  const ports = await freePorts(workers);
  const children: ChildProcess[] = [];
  const stdout: string[][] = [];
  const exits: (number | string)[] = [];
  let failedTask: number | null = null;
  let code = 0;
  const stopAll = () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), killAfterMs).unref();
      }
    }
  };
  // No worker outlives the launcher, however it ends.
  const killOnExit = () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  const onLine =
    options.onLine ??
    ((_task: number, line: string, stream: 'stdout' | 'stderr') =>
      (stream === 'stdout' ? process.stdout : process.stderr).write(`${line}\n`));
  try {
    await Promise.all(
      Array.from({ length: workers }, (_, task) => {
        stdout.push([]);
        const child = spawn(process.execPath, [script, ...args], {
          env: { ...process.env, ...options.env, TF_CONFIG: localTFConfig(ports, task) },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        for (const stream of ['stdout', 'stderr'] as const) {
          readline.createInterface({ input: child[stream]! }).on('line', (line) => {
            if (stream === 'stdout') stdout[task].push(line);
            onLine(task, `[worker ${task}] ${line}`, stream);
          });
        }
        return new Promise<void>((resolve) => {
          child.on('exit', (exitCode, signal) => {
            exits[task] = signal ?? (exitCode as number);
            if ((exitCode !== 0 || signal !== null) && failedTask === null) {
              failedTask = task;
              code = exitCode ?? 1;
              if (stopOthersOnFailure) stopAll();
            }
            // Let the line readers drain.
            setImmediate(resolve);
          });
        });
      }),
    );
  } finally {
    process.off('exit', killOnExit);
  }
  return { code, failedTask, stdout, exits };
}

/** The command line: `tf-napi-run --workers N script.js [args...]`. */
export async function main(argv: readonly string[]): Promise<number> {
  let workers = 2;
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('--'); i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag !== '--workers') throw new TypeError(`Unknown option ${flag} (usage: tf-napi-run --workers N script.js [args...])`);
    workers = Number(inline ?? argv[++i]);
  }
  const script = argv[i];
  if (script === undefined) throw new TypeError('usage: tf-napi-run --workers N script.js [args...]');
  const result = await launch({ workers, script, args: argv.slice(i + 1) });
  if (result.failedTask !== null)
    process.stderr.write(`tf-napi-run: worker ${result.failedTask} failed (exit ${result.code}); stopped the others\n`);
  return result.code;
}
