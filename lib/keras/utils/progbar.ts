// Keras' Progbar text (`938/938 ━━━━━━━━━━━━━━━━━━━━ 3s 3ms/step - accuracy: 0.9000 - loss: 0.3000`),
// drawn in place on a terminal by cli-progress (which throttles redraws and owns the cursor); off a
// terminal only the final line is printed. verbose 2 prints Keras' one-line epoch summary.
import { SingleBar } from 'cli-progress';
import type { Logs } from '../callbacks/callback';

/** Where progress goes: process.stdout, or anything with write() (and isTTY for in-place drawing). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR_WIDTH = 20;
const BOLD = '\x1b[1m';
const GREEN = '\x1b[32m';
const WHITE = '\x1b[37m';
const RESET = '\x1b[0m';

function seconds(): number {
  return performance.now() / 1000;
}

/** Python's `f"{x:.4e}"`: the exponent has at least two digits. */
function exponential4(x: number): string {
  return x.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Keras' metric value: 4 decimals, or scientific at or below 1e-3 (of |x| on a live bar). */
function formatValue(value: number, useAbs: boolean): string {
  if (Number.isNaN(value)) return 'nan';
  return (useAbs ? Math.abs(value) : value) > 1e-3 ? value.toFixed(4) : exponential4(value);
}

/** Keras' `_format_time`: ' 3ms/step'. */
function formatTimePerUnit(timePerUnit: number, unitName: string): string {
  if (timePerUnit >= 1 || timePerUnit === 0) return ` ${timePerUnit.toFixed(0)}s/${unitName}`;
  if (timePerUnit >= 1e-3) return ` ${(timePerUnit * 1000).toFixed(0)}ms/${unitName}`;
  return ` ${(timePerUnit * 1e6).toFixed(0)}us/${unitName}`;
}

function formatEta(eta: number): string {
  const pad = (n: number) => String(Math.floor(n)).padStart(2, '0');
  if (eta > 3600) return `${Math.floor(eta / 3600)}:${pad((eta % 3600) / 60)}:${pad(eta % 60)}`;
  if (eta > 60) return `${Math.floor(eta / 60)}:${pad(eta % 60)}`;
  return `${Math.floor(eta)}s`;
}

export class Progbar {
  private readonly start = seconds();
  private timeAfterFirstStep: number | null = null;
  private current = 0;
  private updatedAt = this.start;
  /** Values of the last finished step, read only when a line is drawn. */
  private logs: Logs = {};
  private readonly order: string[] = [];
  private bar?: SingleBar;
  private finalized = false;

  constructor(
    public target: number | null,
    readonly verbose: number,
    private readonly stream: ProgressStream = process.stdout,
    private readonly unitName = 'step',
  ) {}

  private get dynamic(): boolean {
    return this.stream.isTTY === true;
  }

  /** Records step `current` (1-based); the line is drawn at most at cli-progress' frame rate. */
  update(current: number, logs: Logs = {}, finalize = this.target !== null && current >= this.target): void {
    const now = seconds();
    if (current === 1) this.timeAfterFirstStep ??= now;
    this.current = current;
    this.updatedAt = now;
    this.logs = logs;
    if (this.verbose !== 1 && !(this.verbose === 2 && finalize)) return;
    if (finalize) this.finish();
    else if (this.dynamic) this.liveBar().update(current);
  }

  private liveBar(): SingleBar {
    if (this.bar === undefined) {
      this.bar = new SingleBar({
        format: () => this.line(true),
        stream: this.stream as NodeJS.WriteStream,
        fps: 20,
        clearOnComplete: false,
        stopOnComplete: false,
        hideCursor: false,
        linewrap: false,
        gracefulExit: true,
      });
      this.bar.start(this.target ?? 0, this.current);
    }
    return this.bar;
  }

  private finish(): void {
    if (this.finalized) return;
    this.finalized = true;
    if (this.verbose === 2) {
      this.stream.write(this.summaryLine());
    } else if (this.dynamic) {
      const bar = this.liveBar();
      bar.update(this.current);
      bar.stop();
    } else {
      this.stream.write(`${this.line(false)}\n`);
    }
  }

  /** Keras' `_estimate_step_duration`: the first step (often slow) is left out once there are more. */
  private timePerUnit(): number {
    if (this.current === 0) return 0;
    if (this.timeAfterFirstStep !== null && this.current > 1) return (this.updatedAt - this.timeAfterFirstStep) / (this.current - 1);
    return (this.updatedAt - this.start) / this.current;
  }

  private keys(): string[] {
    for (const key of Object.keys(this.logs)) if (!this.order.includes(key)) this.order.push(key);
    return this.order.filter((key) => key in this.logs);
  }

  /** The verbose-1 line; ANSI styling only on a terminal. */
  line(styled: boolean): string {
    const style = (code: string, text: string) => (styled ? `${code}${text}${RESET}` : text);
    const timePerUnit = this.timePerUnit();
    let bar: string;
    if (this.target !== null && this.target > 0) {
      const digits = Math.floor(Math.log10(this.target)) + 1;
      bar = `${style(BOLD, `${String(this.current).padStart(digits)}/${this.target}`)} `;
      const done = Math.floor((BAR_WIDTH * this.current) / this.target);
      if (done > 0) bar += style(GREEN, '━'.repeat(done));
      bar += style(WHITE, '━'.repeat(BAR_WIDTH - done));
    } else {
      bar = `${String(this.current).padStart(7)}/Unknown`;
    }
    const elapsedOrEta =
      this.target !== null && this.target > 0 && !this.finalized
        ? formatEta(timePerUnit * (this.target - this.current))
        : `${(seconds() - this.start).toFixed(0)}s`;
    let info = ` ${style(BOLD, elapsedOrEta)}${formatTimePerUnit(timePerUnit, this.unitName)}`;
    for (const key of this.keys()) info += ` - ${key}: ${formatValue(this.logs[key], true)}`;
    return bar + info;
  }

  /** The verbose-2 line: `938/938 - 3s - 3ms/step - loss: 0.3000`. */
  private summaryLine(): string {
    const target = this.target ?? this.current;
    const digits = Math.floor(Math.log10(Math.max(target, 1))) + 1;
    let info = `${String(this.current).padStart(digits)}/${target} - ${(seconds() - this.start).toFixed(0)}s -${formatTimePerUnit(this.timePerUnit(), this.unitName)}`;
    for (const key of this.keys()) info += ` - ${key}: ${formatValue(this.logs[key], false)}`;
    return `${info}\n`;
  }
}
