// tf.Variable: a resource variable in the global graph (VarHandleOp / AssignVariableOp /
// ReadVariableOp), created once and shared by eager code and every tf.function.
import { context } from './context';
import { DType, dtypeToEnum } from './dtypes';
import { HostValue } from './host_data';
import { NativeCallable, NativeOperation, NativeOutput } from './native';
import { addTraceOperation, symbolicOutput } from './ops/run_op';
import { opInfo } from './op_registry';
import { hostTensor } from './raw/host_tensor';
import { runtime } from './runtime';
import { READ_AS_TENSOR, Tensor, TensorLike, isReadAsTensor, scalarValueOf } from './tensor';

export interface VariableOptions {
  name?: string;
  trainable?: boolean;
  dtype?: DType;
}

/** An initial value, or a function that makes one (evaluated once, eagerly). */
export type InitialValue = TensorLike | (() => TensorLike);

type AssignKind = 'AssignVariableOp' | 'AssignAddVariableOp' | 'AssignSubVariableOp';

export class Variable {
  /** Ops take a variable wherever they take a tensor, reading it through value() (lib/ops/convert.ts). */
  readonly [READ_AS_TENSOR] = true as const;
  readonly name: string;
  readonly trainable: boolean;
  readonly dtype: DType;
  readonly shape: number[];
  /** The VarHandleOp: every read and write in any graph goes through it. */
  readonly handleOp: NativeOperation;
  private readonly readCallable: NativeCallable;
  private readonly valueFeed: NativeOutput;
  private readonly assignCallables = new Map<AssignKind, NativeCallable>();
  private writes = 0;

  constructor(initialValue: InitialValue, options: VariableOptions = {}) {
    const { trainable = true } = options;
    const value = context.initScope(() => toEagerTensor(typeof initialValue === 'function' ? initialValue() : initialValue, options.dtype));
    this.dtype = value.dtype;
    this.shape = value.shape as number[];
    this.trainable = trainable;
    const opName = runtime.uniqueName(options.name ?? 'Variable');
    this.name = `${opName}:0`;
    const graph = runtime.graph;
    const dtype = dtypeToEnum(this.dtype);
    this.handleOp = graph.addOperation({
      type: 'VarHandleOp',
      name: opName,
      attrs: [
        ['dtype', 'type', dtype],
        ['shape', 'shape', this.shape],
        ['shared_name', 'string', opName],
      ],
    });
    const read = graph.addOperation({
      type: 'ReadVariableOp',
      name: `${opName}/Read/ReadVariableOp`,
      inputs: [{ op: this.handleOp, index: 0 }],
      attrs: [['dtype', 'type', dtype]],
    });
    this.valueFeed = runtime.placeholder(`${opName}/value`, this.dtype, this.shape);
    this.readCallable = runtime.session.makeCallable([], [{ op: read, index: 0 }]);
    this.runAssign('AssignVariableOp', value);
  }

  private assignCallable(kind: AssignKind): NativeCallable {
    let callable = this.assignCallables.get(kind);
    if (!callable) {
      const op = runtime.graph.addOperation({
        type: kind,
        name: `${this.handleOp.name}/${kind}`,
        inputs: [{ op: this.handleOp, index: 0 }, this.valueFeed],
        attrs:
          kind === 'AssignVariableOp'
            ? [
                ['dtype', 'type', dtypeToEnum(this.dtype)],
                ['validate_shape', 'bool', true],
              ]
            : [['dtype', 'type', dtypeToEnum(this.dtype)]],
      });
      callable = runtime.session.makeCallable([this.valueFeed], [], [op]);
      this.assignCallables.set(kind, callable);
    }
    return callable;
  }

  /**
   * Counts writes through this object: eager assigns, and runs of traced functions that assign it
   * (a failed run counts too, since it may have written). Host caches of the value compare it to
   * know they are stale; writes by raw ops on the handle (e.g. optimizer apply kernels) do not count.
   */
  get writeCount(): number {
    return this.writes;
  }

  private runAssign(kind: AssignKind, value: Tensor): void {
    if (value.dtype !== this.dtype) {
      throw new TypeError(`Cannot assign a ${value.dtype} value to variable '${this.name}' of dtype ${this.dtype}`);
    }
    this.writes += 1;
    const lent = value.hostTensor;
    if (lent !== undefined) {
      this.assignCallable(kind).run([lent]);
      return;
    }
    const native = value.toNative();
    try {
      this.assignCallable(kind).run([native]);
    } finally {
      native.dispose();
    }
  }

  /** The resource handle as a graph tensor, for ops that take the variable itself (only while tracing). */
  get handle(): Tensor {
    if (!context.trace) throw new TypeError(`The handle of variable '${this.name}' is only usable inside tf.function`);
    return Tensor.symbolic({ op: this.handleOp, index: 0 });
  }

  /** The current value: eager, or a ReadVariableOp when tracing. */
  value(): Tensor {
    const trace = context.trace;
    if (trace) {
      const op = addTraceOperation(trace, {
        type: 'ReadVariableOp',
        name: `${this.handleOp.name}/ReadVariableOp`,
        inputs: [{ op: this.handleOp, index: 0 }],
        attrs: [['dtype', 'type', dtypeToEnum(this.dtype)]],
        stateful: opInfo('ReadVariableOp').isStateful,
      });
      const output = { op, index: 0 };
      const reads = trace.variableReads.get(this.handleOp.name) ?? [];
      reads.push(output);
      trace.variableReads.set(this.handleOp.name, reads);
      return Tensor.symbolic(output);
    }
    const [native] = this.readCallable.run([]);
    const value = Tensor.fromNative(native);
    for (const tape of context.tapes) tape.recordRead(this.handleOp.name, value);
    return value;
  }

  /** Python's `read_value()`. */
  readValue(): Tensor {
    return this.value();
  }

  numpy(): ReturnType<Tensor['numpy']> {
    return context.initScope(() => {
      const value = this.value();
      try {
        return value.numpy();
      } finally {
        value.dispose();
      }
    });
  }

  assign(value: TensorLike): this {
    return this.write('AssignVariableOp', value);
  }

  assignAdd(delta: TensorLike): this {
    return this.write('AssignAddVariableOp', delta);
  }

  assignSub(delta: TensorLike): this {
    return this.write('AssignSubVariableOp', delta);
  }

  private write(kind: AssignKind, value: TensorLike): this {
    if (isReadAsTensor(value)) value = value.value();
    const trace = context.trace;
    if (trace) {
      const input = value instanceof Tensor ? value : Tensor.fromNative(hostTensor(value as HostValue, undefined, this.dtype));
      if (input.dtype !== this.dtype) {
        throw new TypeError(`Cannot assign a ${input.dtype} value to variable '${this.name}' of dtype ${this.dtype}`);
      }
      const attrs: [string, string, unknown][] = [['dtype', 'type', dtypeToEnum(this.dtype)]];
      if (kind === 'AssignVariableOp') attrs.push(['validate_shape', 'bool', true]);
      addTraceOperation(trace, {
        type: kind,
        inputs: [{ op: this.handleOp, index: 0 }, symbolicOutput(trace, input)],
        attrs,
        stateful: true,
      });
      const counted = () => void (this.writes += 1);
      trace.runHooks.push({ commit: counted, abort: counted });
      return this;
    }
    const tensor = toEagerTensor(value, this.dtype);
    try {
      this.runAssign(kind, tensor);
    } finally {
      if (tensor !== value) tensor.dispose();
    }
    return this;
  }

  /** A scalar variable's current value, so `Number(lr)` and `lr * 0.5` work; a TypeError for other shapes. */
  valueOf(): number | boolean | string | bigint {
    return scalarValueOf(`Variable '${this.name}'`, this.shape, () => this.numpy());
  }

  toString(): string {
    return `<tf.Variable '${this.name}' shape=(${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''}) dtype=${this.dtype}>`;
  }
}

function toEagerTensor(value: TensorLike, dtype?: DType): Tensor {
  if (isReadAsTensor(value)) value = value.value();
  if (value instanceof Tensor) {
    if (value.isSymbolic) throw new TypeError('A variable needs an eager value; got a symbolic tensor');
    if (dtype !== undefined && value.dtype !== dtype) {
      throw new TypeError(`Cannot use a ${value.dtype} tensor as a ${dtype} variable value`);
    }
    return value;
  }
  return Tensor.fromNative(hostTensor(value, undefined, dtype));
}
