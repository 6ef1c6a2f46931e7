// tf.Tensor: an eager value (a TFE tensor handle) or, while tracing a tf.function, a graph output.
import { DType, TypedArray, dtypeToEnum, enumToDType } from './dtypes';
import { HostValue, NestedArray } from './host_data';
import { NativeOutput, NativeTensor, NativeTensorHandle, binding } from './native';
import { HostScalar, hostTensor, readFlat, readNested } from './raw/host_tensor';
import type { Variable } from './variable';

/** A static shape: null marks a dimension unknown until run time. */
export type Shape = (number | null)[];

/** What ops take as a tensor: a Tensor, a tf.Variable (read where the op runs), or host values. */
export type TensorLike = Tensor | Variable | HostValue;

/** Marks objects that ops read as tensors (tf.Variable): Python's tensor conversion registry, one entry. */
export const READ_AS_TENSOR: unique symbol = Symbol('tf-napi.readAsTensor');

/** Something ops read as a tensor through its `value()`: eagerly a recorded read, in a trace a ReadVariableOp. */
export interface ReadAsTensor {
  readonly [READ_AS_TENSOR]: true;
  readonly dtype: DType;
  readonly shape: readonly number[];
  value(): Tensor;
}

export function isReadAsTensor(value: unknown): value is ReadAsTensor {
  return typeof value === 'object' && value !== null && (value as Partial<ReadAsTensor>)[READ_AS_TENSOR] === true;
}

/** The dtype a TensorLike has without converting it: a tensor's or a variable's; undefined for host values. */
export function dtypeOfTensorLike(value: unknown): DType | undefined {
  return value instanceof Tensor || isReadAsTensor(value) ? value.dtype : undefined;
}

/** JavaScript's number for a scalar (valueOf); what to call instead for a larger value. */
export function scalarValueOf(what: string, shape: readonly (number | null)[], read: () => unknown): number | boolean | string | bigint {
  if (shape.length !== 0) {
    throw new TypeError(
      `${what} of shape ${formatShape(shape as Shape)} has no single number value; use .arraySync(), .dataSync() or .numpy() to read it`,
    );
  }
  const value = read();
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return value as number | boolean | string;
}

export class Tensor {
  private handle_?: NativeTensorHandle;
  /**
   * The host tensor behind a value made on the host or returned by a session run. Its TFE handle is
   * made only when an eager op needs one: feeding the value to a session or reading it needs none,
   * and each native object made per step costs a few microseconds (allocation plus GC finalization).
   */
  private host_?: NativeTensor;

  private constructor(
    handle: NativeTensorHandle | undefined,
    /** The graph output, for a symbolic tensor of a tf.function being traced. */
    readonly output?: NativeOutput,
    host?: NativeTensor,
  ) {
    this.handle_ = handle;
    this.host_ = host;
  }

  static fromHandle(handle: NativeTensorHandle): Tensor {
    return new Tensor(handle);
  }

  /** An eager tensor over a host tensor, which it takes over. */
  static fromNative(tensor: NativeTensor): Tensor {
    return new Tensor(undefined, undefined, tensor);
  }

  static symbolic(output: NativeOutput): Tensor {
    return new Tensor(undefined, output);
  }

  get isSymbolic(): boolean {
    return this.output !== undefined;
  }

  /** The eager handle; symbolic tensors have none. */
  get handle(): NativeTensorHandle {
    if (this.output) {
      throw new TypeError(`Tensor '${this.output.op.name}:${this.output.index}' is symbolic (inside tf.function) and has no value yet`);
    }
    // The handle shares the host tensor's buffer.
    this.handle_ ??= new binding.TensorHandle(this.host_ as NativeTensor);
    return this.handle_;
  }

  /**
   * The host tensor behind this value, if it has one, lent without a copy: valid until the tensor is
   * disposed, so only for synchronous use (an async run takes its own reference with toNative()).
   */
  get hostTensor(): NativeTensor | undefined {
    return this.host_;
  }

  get dtype(): DType {
    if (this.output) return enumToDType(this.output.op.outputType(this.output.index));
    return enumToDType(this.host_ ? this.host_.dtype : this.handle.dtype);
  }

  get shape(): Shape {
    if (this.output) {
      const dims = this.output.op.outputShape(this.output.index);
      if (dims === null) throw new TypeError(`The rank of '${this.output.op.name}:${this.output.index}' is unknown`);
      return dims.map((d) => (d < 0 ? null : d));
    }
    return this.host_ ? this.host_.shape : this.handle.shape;
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.shape.reduce<number>((a, b) => a * (b ?? NaN), 1);
  }

  get name(): string | undefined {
    return this.output ? `${this.output.op.name}:${this.output.index}` : undefined;
  }

  get device(): string {
    return this.output ? this.output.op.device : this.handle.device;
  }

  get isDisposed(): boolean {
    if (this.output) return false;
    return this.host_ ? this.host_.disposed : this.handle.disposed;
  }

  /** A host tensor with the value (sharing the buffer on the CPU); the caller disposes it. */
  toNative(): NativeTensor {
    return this.handle.resolve();
  }

  /** Calls `read` with a host tensor of the value: the backing one if there is one, else a resolved copy. */
  private withHost<T>(read: (native: NativeTensor) => T): T {
    if (this.host_ && !this.host_.disposed) return read(this.host_);
    const native = this.toNative();
    try {
      return read(native);
    } finally {
      native.dispose();
    }
  }

  /** The values, flat: a TypedArray for numbers (float16/bfloat16 decoded), else booleans or strings. */
  dataSync(): TypedArray | HostScalar[] {
    const flat = this.withHost(readFlat);
    const dtype = this.dtype;
    if (dtype === 'float16' || dtype === 'bfloat16') return Float32Array.from(flat as number[]);
    return flat as TypedArray | HostScalar[];
  }

  async data(): Promise<TypedArray | HostScalar[]> {
    return this.dataSync();
  }

  /** The values as nested arrays of the tensor's shape; a plain value for a scalar. */
  arraySync(): NestedArray<HostScalar> {
    return this.withHost(readNested);
  }

  async array(): Promise<NestedArray<HostScalar>> {
    return this.arraySync();
  }

  /** Python's `.numpy()`: the value as nested arrays (a plain value for a scalar). */
  numpy(): NestedArray<HostScalar> {
    return this.arraySync();
  }

  dispose(): void {
    this.handle_?.dispose();
    this.host_?.dispose();
  }

  /** A scalar's value, so `Number(t)` and `t * 0.5` work; a TypeError for other shapes and while tracing. */
  valueOf(): number | boolean | string | bigint {
    if (this.output) throw new TypeError(`Tensor '${this.name}' is symbolic (inside tf.function) and has no value yet`);
    return scalarValueOf('A tensor', this.shape, () => this.arraySync());
  }

  toString(): string {
    if (this.output) return `Tensor("${this.name}", shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
    return `tf.Tensor(${JSON.stringify(this.arraySync(), (_, v) => (typeof v === 'bigint' ? Number(v) : v))}, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }
}

function formatShape(shape: Shape): string {
  return `(${shape.map((d) => (d === null ? 'None' : d)).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** An eager tensor from host values (Python's tf.constant). */
export function constant(value: HostValue, dtype?: DType, shape?: readonly number[]): Tensor {
  if (dtype !== undefined) dtypeToEnum(dtype);
  return Tensor.fromNative(hostTensor(value, shape, dtype));
}
