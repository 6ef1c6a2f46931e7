// The eager rawOps fuzz (issue 12): seeded random calls of the generated rawOps, run in child
// processes so that a case that kills its process is observed, not suffered. The parent restarts a
// child after each death at the next case, and reports executions, outcomes and deaths by op and
// cause. test/fuzz_eager.test.ts runs a short one in npm test; by hand:
//
//   node dist/test/helpers/eager_fuzz.js [--seconds 300] [--seed 1] [--json report.json]
//   node dist/test/helpers/eager_fuzz.js --case <index>[,<index>...] [--seed 1]   (cases as JSON, to
//       replay in Python TF: .venv/bin/python test/helpers/eager_fuzz_replay.py < case.json)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeCase } from './eager_fuzz_cases';

export const DEFAULT_SEED = 1;

export interface Death {
  index: number;
  op: string;
  /** 'CHECK file.cc:line', 'FATAL file.cc:line', 'C++ exception std::bad_alloc', 'signal SIGSEGV', 'hang', ... */
  cause: string;
  /** The fatal log line or exception text, and the first frames of TF's stack trace. */
  detail: string;
}

export interface FuzzReport {
  seed: number;
  seconds: number;
  /** Cases started (each either finished or killed its process). */
  executions: number;
  /** Finished cases by outcome: 'ok', an error class, or 'unexpected ...'. */
  outcomes: Record<string, number>;
  deaths: Death[];
  /** The first few cases that threw something other than TypeError, RangeError or a tf.errors class. */
  unexpected: string[];
  children: number;
}

export interface FuzzOptions {
  seed?: number;
  seconds: number;
  /** The first case index (default 0). */
  from?: number;
  /** Data-segment limit of each child (ulimit -d), so a case that allocates wildly fails instead of swapping the machine. */
  memoryLimitMb?: number;
  /** A child with no case finished for this long is killed, and its case counted as a hang. */
  hangSeconds?: number;
  onDeath?: (death: Death) => void;
}

const CHILD = path.join(__dirname, 'eager_fuzz_child.js');

/** The last `limit` characters of a stream, kept as it arrives. */
function tail(limit: number) {
  let text = '';
  return {
    add(chunk: Buffer) {
      text = (text + chunk.toString('utf8')).slice(-limit);
    },
    get text() {
      return text;
    },
  };
}

/** Why a child died, from its stderr. */
export function causeOf(stderr: string, signal: string | null, code: number | null): { cause: string; detail: string } {
  const frames = [...stderr.matchAll(/^\s+@\s+0x[0-9a-f]+\s+(.+)$/gm)]
    .map((m) => m[1].trim())
    .filter((f) => !/absl::|LogMessage|tsl::|TensorShapeBase|CheckOpMessage|\(unknown\)/.test(f))
    .slice(0, 3);
  const fatal = /^F\d{4} \S+\s+\d+ (\S+:\d+)\] (.*)$/m.exec(stderr);
  if (fatal) {
    const kind = fatal[2].startsWith('Check failed') ? 'CHECK' : 'FATAL';
    return { cause: `${kind} ${fatal[1]}`, detail: [fatal[2].slice(0, 300), ...frames].join('\n') };
  }
  const thrown = /terminate called after throwing an instance of '([^']+)'(?:\s+what\(\):\s+(.*))?/.exec(stderr);
  if (thrown) return { cause: `C++ exception ${thrown[1]}`, detail: [thrown[2] ?? '', ...frames].join('\n') };
  if (signal) return { cause: `signal ${signal}`, detail: [stderr.trim().split('\n').slice(-3).join('\n'), ...frames].join('\n') };
  return { cause: `exit ${code}`, detail: stderr.trim().split('\n').slice(-3).join('\n') };
}

interface ChildResult {
  finished: { index: number; outcome: string }[];
  /** The case started and not finished, when the child died. */
  started?: { index: number; op: string };
  death?: { cause: string; detail: string };
}

function runChild(seed: number, from: number, deadline: number, dir: string, options: FuzzOptions): Promise<ChildResult> {
  const log = path.join(dir, `child_${from}.log`);
  const limitKb = (options.memoryLimitMb ?? 3072) * 1024;
  const args = ['--seed', String(seed), '--from', String(from), '--deadline', String(deadline), '--log', log];
  // exec keeps the child's pid and signal; the limit is best effort (ulimit -d is Linux's data segment).
  const child = spawn('/bin/sh', ['-c', `ulimit -d ${limitKb} 2>/dev/null; exec "$0" "$@"`, process.execPath, CHILD, ...args], {
    cwd: dir,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = tail(64 * 1024);
  child.stderr.on('data', (c: Buffer) => stderr.add(c));
  child.stdout.on('data', () => {});
  const hangMs = (options.hangSeconds ?? 30) * 1000;
  let lastSize = -1;
  let lastChange = Date.now();
  let hung = false;
  const watchdog = setInterval(() => {
    const size = fs.existsSync(log) ? fs.statSync(log).size : 0;
    if (size !== lastSize) {
      lastSize = size;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > hangMs) {
      hung = true;
      child.kill('SIGKILL');
    }
  }, 500);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearInterval(watchdog);
      const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n') : [];
      fs.rmSync(log, { force: true });
      const finished: ChildResult['finished'] = [];
      let started: ChildResult['started'];
      for (const line of lines) {
        const m = /^([SE]) (\d+) (.*)$/.exec(line);
        if (!m) continue;
        if (m[1] === 'S') started = { index: Number(m[2]), op: m[3] };
        else {
          finished.push({ index: Number(m[2]), outcome: m[3] });
          started = undefined;
        }
      }
      if (code === 0 && !hung) return resolve({ finished });
      const death = hung ? { cause: 'hang', detail: `no case finished for ${hangMs / 1000} s` } : causeOf(stderr.text, signal, code);
      resolve({ finished, started, death });
    });
  });
}

export async function runEagerFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const seed = options.seed ?? DEFAULT_SEED;
  const deadline = Date.now() + options.seconds * 1000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-eager-fuzz-'));
  const report: FuzzReport = { seed, seconds: options.seconds, executions: 0, outcomes: {}, deaths: [], unexpected: [], children: 0 };
  let next = options.from ?? 0;
  try {
    while (Date.now() < deadline) {
      const result = await runChild(seed, next, deadline, dir, options);
      report.children++;
      for (const { index, outcome } of result.finished) {
        const key = outcome.startsWith('unexpected') ? outcome.slice(0, outcome.indexOf(':')) : outcome;
        report.outcomes[key] = (report.outcomes[key] ?? 0) + 1;
        if (key !== outcome && report.unexpected.length < 20) report.unexpected.push(`#${index} ${outcome}`);
        next = index + 1;
      }
      report.executions += result.finished.length;
      if (!result.death) break;
      if (!result.started) {
        // Died between cases (at start-up or exit): a finding of its own, not tied to an op.
        report.deaths.push({ index: next, op: '(between cases)', ...result.death });
        options.onDeath?.(report.deaths[report.deaths.length - 1]);
        if (result.finished.length === 0) break;
        continue;
      }
      report.executions++;
      const death = { index: result.started.index, op: result.started.op, ...result.death };
      report.deaths.push(death);
      options.onDeath?.(death);
      next = result.started.index + 1;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/** Deaths grouped by op and cause: "Op: cause (n cases, first #i)". */
export function summarizeDeaths(deaths: readonly Death[]): string[] {
  const groups = new Map<string, Death[]>();
  for (const d of deaths) {
    const key = `${d.op}: ${d.cause}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups].map(([key, ds]) => `${key} (${ds.length} case${ds.length > 1 ? 's' : ''}, first #${ds[0].index})`);
}

async function main(): Promise<void> {
  const flag = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i < 0 ? undefined : process.argv[i + 1];
  };
  const seed = Number(flag('seed') ?? DEFAULT_SEED);
  const single = flag('case');
  if (single !== undefined) {
    // JSON has no NaN, Infinity or -0: they travel as strings, which the replay turns back.
    const nonFinite = (_: string, v: unknown) =>
      typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? (Object.is(v, -0) ? '-0' : String(v)) : v;
    const cases = single.split(',').map((i) => makeCase(seed, Number(i)));
    console.log(JSON.stringify(cases.length === 1 ? cases[0] : cases, nonFinite));
    return;
  }
  const seconds = Number(flag('seconds') ?? 300);
  const from = Number(flag('from') ?? 0);
  const report = await runEagerFuzz({
    seed,
    seconds,
    from,
    onDeath: (d) => console.error(`death #${d.index} ${d.op}: ${d.cause}\n  ${d.detail.replace(/\n/g, '\n  ')}`),
  });
  const json = flag('json');
  if (json) fs.writeFileSync(json, JSON.stringify(report, null, 2));
  console.log(`eager fuzz, seed ${seed}, ${seconds} s: ${report.executions} executions in ${report.children} processes`);
  console.log(`outcomes: ${JSON.stringify(report.outcomes)}`);
  for (const line of report.unexpected) console.log(`unexpected: ${line}`);
  console.log(`deaths: ${report.deaths.length}`);
  for (const line of summarizeDeaths(report.deaths)) console.log(`  ${line}`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
