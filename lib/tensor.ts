// tf.Tensor: an eager value (a TFE tensor handle) or, while tracing a tf.function, a graph output.
import { DType, TypedArray, dtypeToEnum, enumToDType } from './dtypes';
import { HostValue, NestedArray } from './host_data';
import { NativeOutput, NativeTensor, NativeTensorHandle, binding } from './native';
import { HostScalar, hostTensor, readFlat, readNested } from './raw/host_tensor';

/** A static shape: null marks a dimension unknown until run time. */
export type Shape = (number | null)[];

export type TensorLike = Tensor | HostValue;

export class Tensor {
  private handle_?: NativeTensorHandle;

  private constructor(
    handle: NativeTensorHandle | undefined,
    /** The graph output, for a symbolic tensor of a tf.function being traced. */
    readonly output?: NativeOutput,
  ) {
    this.handle_ = handle;
  }

  static fromHandle(handle: NativeTensorHandle): Tensor {
    return new Tensor(handle);
  }

  /** An eager tensor over a host tensor (the handle shares its buffer). */
  static fromNative(tensor: NativeTensor): Tensor {
    const handle = new binding.TensorHandle(tensor);
    tensor.dispose();
    return new Tensor(handle);
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
      throw new TypeError(
        `Tensor '${this.output.op.name}:${this.output.index}' is symbolic (inside tf.function) and has no value yet`,
      );
    }
    return this.handle_ as NativeTensorHandle;
  }

  get dtype(): DType {
    return enumToDType(this.output ? this.output.op.outputType(this.output.index) : this.handle.dtype);
  }

  get shape(): Shape {
    if (this.output) {
      const dims = this.output.op.outputShape(this.output.index);
      if (dims === null) throw new TypeError(`The rank of '${this.output.op.name}:${this.output.index}' is unknown`);
      return dims.map((d) => (d < 0 ? null : d));
    }
    return this.handle.shape;
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
    return this.output === undefined && this.handle.disposed;
  }

  /** A host tensor with the value (sharing the buffer on the CPU); the caller disposes it. */
  toNative(): NativeTensor {
    return this.handle.resolve();
  }

  /** The values, flat: a TypedArray for numbers (float16/bfloat16 decoded), else booleans or strings. */
  dataSync(): TypedArray | HostScalar[] {
    const native = this.toNative();
    try {
      const flat = readFlat(native);
      const dtype = this.dtype;
      if (dtype === 'float16' || dtype === 'bfloat16') return Float32Array.from(flat as number[]);
      return flat as TypedArray | HostScalar[];
    } finally {
      native.dispose();
    }
  }

  async data(): Promise<TypedArray | HostScalar[]> {
    return this.dataSync();
  }

  /** The values as nested arrays of the tensor's shape; a plain value for a scalar. */
  arraySync(): NestedArray<HostScalar> {
    const native = this.toNative();
    try {
      return readNested(native);
    } finally {
      native.dispose();
    }
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
