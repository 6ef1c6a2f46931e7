// The process-wide graph and session that hold every variable and every traced function, so that
// eager code, tf.function graphs and optimizers all see the same variables.
import { DType, dtypeToEnum } from './dtypes';
import { NativeGraph, NativeOutput, binding } from './native';
import { Session, SessionOptions } from './raw/session';

class Runtime {
  readonly graph: NativeGraph = new binding.Graph();
  // Python TF2 places ops softly: an op without a kernel on the asked device runs where it can.
  private sessionOptions: SessionOptions = { allowSoftPlacement: true };
  private session_?: Session;
  private readonly nameCounts = new Map<string, number>();

  /** The global session, made on first use with the options set by tf.config. */
  get session(): Session {
    this.session_ ??= new Session(this.graph, this.sessionOptions);
    return this.session_;
  }

  get started(): boolean {
    return this.session_ !== undefined;
  }

  configure(options: SessionOptions): void {
    if (this.session_) throw new Error('TensorFlow is already initialized: set threading options before running any op');
    this.sessionOptions = { ...this.sessionOptions, ...options };
  }

  /** A Placeholder named `name` (made unique): the one place graph inputs are made. */
  placeholder(name: string, dtype: DType, shape: readonly (number | null)[]): NativeOutput {
    const op = this.graph.addOperation({
      type: 'Placeholder',
      name: this.uniqueName(name),
      attrs: [
        ['dtype', 'type', dtypeToEnum(dtype)],
        ['shape', 'shape', shape.map((d) => d ?? -1)],
      ],
    });
    return { op, index: 0 };
  }

  /** A graph-unique op name: `base`, then `base_1`, `base_2`, … */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_.\-/]/g, '_').replace(/^[^A-Za-z0-9.]+/, '') || 'op';
    let count = this.nameCounts.get(clean) ?? 0;
    let name = count === 0 ? clean : `${clean}_${count}`;
    while (this.graph.operation(name) !== null) name = `${clean}_${++count}`;
    this.nameCounts.set(clean, count + 1);
    return name;
  }
}

export const runtime = new Runtime();
