// tf.function: traces `fn` once per input signature into the global graph, then runs each call as
// one pre-resolved session run (arguments fed, results fetched, stateful ops run as targets).
import { context, HostFeed, Trace } from './context';
import { DType, dtypeToEnum } from './dtypes';
import { HostValue, inferDType } from './host_data';
import { NativeCallable, NativeOutput, NativeTensor } from './native';
import { addTraceOperation, symbolicOutput } from './ops/run_op';
import { hostTensor } from './raw/host_tensor';
import { runtime } from './runtime';
import { Shape, Tensor, TensorLike } from './tensor';

/** Python's tf.TensorSpec: a dtype and a shape with null for dims that may vary (e.g. the batch). */
export class TensorSpec {
  constructor(
    readonly shape: Shape,
    readonly dtype: DType = 'float32',
    readonly name?: string,
  ) {
    dtypeToEnum(dtype);
  }

  isCompatibleWith(tensor: Tensor): boolean {
    const shape = tensor.shape;
    return tensor.dtype === this.dtype && shape.length === this.shape.length && this.shape.every((d, i) => d === null || d === shape[i]);
  }
}

export interface FunctionOptions {
  /** Fixes the signature (null dims accept any size); calls that do not fit are errors. */
  inputSignature?: readonly TensorSpec[];
  name?: string;
}

/** What a traced function may return: tensors, plain values, and arrays or objects of them. */
export type Structure = Tensor | number | string | boolean | null | undefined | readonly Structure[] | { readonly [key: string]: Structure };

/** Tensors in a returned structure replaced by tensors from `next()`. */
type Rebuild<R> = R;

class ConcreteFunction {
  private readonly callable: NativeCallable;
  private readonly capturedValues: NativeTensor[];
  private readonly template: Structure;
  private readonly hostFeeds: HostFeed[];
  private readonly fedHostFeeds: HostFeed[];
  readonly outputCount: number;

  constructor(
    readonly specs: readonly TensorSpec[],
    fn: (...args: Tensor[]) => Structure,
    name: string,
  ) {
    const trace: Trace = { scope: runtime.uniqueName(name), statefulOps: [], captures: new Map(), variableReads: new Map(), hostFeeds: [] };
    const placeholders: NativeOutput[] = specs.map((spec, i) => ({
      op: runtime.graph.addOperation({
        type: 'Placeholder',
        name: runtime.uniqueName(`${trace.scope}/${spec.name ?? `arg${i}`}`),
        attrs: [
          ['dtype', 'type', dtypeToEnum(spec.dtype)],
          ['shape', 'shape', spec.shape.map((d) => d ?? -1)],
        ],
      }),
      index: 0,
    }));
    const inputs = placeholders.map((p, i) => withStaticShape(p, specs[i]));
    const fetches: NativeOutput[] = [];
    this.template = context.withTrace(trace, () => {
      const result = fn(...inputs.map((p) => Tensor.symbolic(p)));
      return mapStructure(result, (t) => {
        fetches.push(symbolicOutput(trace, t));
        return TENSOR_SLOT as unknown as Structure;
      });
    });
    this.outputCount = fetches.length;
    this.hostFeeds = trace.hostFeeds;
    this.fedHostFeeds = trace.hostFeeds.filter((f) => f.output !== undefined);
    const captures = [...trace.captures.entries()];
    // TF refuses to fetch a tensor it is fed: a returned argument or capture goes through Identity.
    const fed = new Set([...placeholders, ...captures.map(([, output]) => output)].map((o) => o.op.name));
    fetches.forEach((output, i) => {
      if (!fed.has(output.op.name)) return;
      const identity = addTraceOperation(trace, { type: 'Identity', inputs: [output], attrs: [], stateful: false });
      fetches[i] = { op: identity, index: 0 };
    });
    this.capturedValues = captures.map(([tensor]) => tensor.toNative());
    this.callable = runtime.session.makeCallable(
      [...placeholders, ...captures.map(([, output]) => output), ...this.fedHostFeeds.map((f) => f.output as NativeOutput)],
      fetches,
      trace.statefulOps,
      { runInCallerThread: true },
    );
  }

  /** The run's feeds; `lend` (sync runs only) feeds host-backed arguments as they are, without a new reference. */
  private feeds(args: readonly TensorLike[], lend: boolean): { natives: NativeTensor[]; owned: NativeTensor[] } {
    const owned: NativeTensor[] = [];
    const natives: NativeTensor[] = [];
    let taken = 0;
    try {
      for (let i = 0; i < args.length; ++i) {
        const arg = args[i];
        const lent = lend && arg instanceof Tensor ? arg.hostTensor : undefined;
        if (lent !== undefined) {
          natives.push(lent);
          continue;
        }
        const native = arg instanceof Tensor ? arg.toNative() : hostTensor(arg as HostValue, undefined, this.specs[i].dtype);
        owned.push(native);
        natives.push(native);
      }
      natives.push(...this.capturedValues);
      for (const feed of this.fedHostFeeds) {
        const value = (feed.value as () => NativeTensor)();
        taken += 1;
        owned.push(value);
        natives.push(value);
      }
      return { natives, owned };
    } catch (e) {
      for (const t of owned) t.dispose();
      this.fedHostFeeds.slice(0, taken).forEach((f) => f.abort?.());
      throw e;
    }
  }

  private abort(): void {
    for (const feed of this.fedHostFeeds) feed.abort?.();
  }

  private commit(): void {
    for (const feed of this.hostFeeds) feed.commit?.();
  }

  private results(outputs: NativeTensor[]): Structure {
    let next = 0;
    return mapStructure(this.template, () => Tensor.fromNative(outputs[next++]));
  }

  /** After a run: feeds freed, host feeds committed (aborted when the run failed), results wrapped. */
  private complete(owned: NativeTensor[], outputs?: NativeTensor[]): Structure {
    for (const t of owned) t.dispose();
    if (outputs === undefined) {
      this.abort();
      return undefined;
    }
    this.commit();
    return this.results(outputs);
  }

  call(args: readonly TensorLike[]): Structure {
    const { natives, owned } = this.feeds(args, true);
    let outputs: NativeTensor[];
    try {
      outputs = this.callable.run(natives);
    } catch (e) {
      this.complete(owned);
      throw e;
    }
    return this.complete(owned, outputs);
  }

  async callAsync(args: readonly TensorLike[]): Promise<Structure> {
    const { natives, owned } = this.feeds(args, false);
    let outputs: NativeTensor[];
    try {
      outputs = await this.callable.runAsync(natives);
    } catch (e) {
      this.complete(owned);
      throw e;
    }
    return this.complete(owned, outputs);
  }
}

/**
 * Grappler trusts no fed tensor's shape, so shapes computed from a bare Placeholder (the C++ gradients'
 * Shape/BroadcastGradientArgs/DynamicStitch chains) would stay in the graph and run every step.
 * EnsureShape restates the signature's shape where grappler believes it, and those chains fold away.
 */
function withStaticShape(placeholder: NativeOutput, spec: TensorSpec): NativeOutput {
  if (spec.dtype === 'resource' || spec.dtype === 'variant') return placeholder;
  const op = runtime.graph.addOperation({
    type: 'EnsureShape',
    name: runtime.uniqueName(`${placeholder.op.name}/EnsureShape`),
    inputs: [placeholder],
    attrs: [
      ['shape', 'shape', spec.shape.map((d) => d ?? -1)],
      ['T', 'type', dtypeToEnum(spec.dtype)],
    ],
  });
  return { op, index: 0 };
}

/** Marks where a returned tensor goes in the output template. */
const TENSOR_SLOT = Symbol('tensor slot');

/** Replaces each tensor of a structure, or each tensor slot of a template. */
function mapStructure(value: Structure, f: (t: Tensor) => Structure): Structure {
  if (value instanceof Tensor || (value as unknown) === TENSOR_SLOT) return f(value as Tensor);
  if (Array.isArray(value)) return value.map((v) => mapStructure(v, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStructure(v as Structure, f)]));
  }
  return value;
}

export interface TracedFunction<A extends TensorLike[], R extends Structure> {
  (...args: A): Rebuild<R>;
  /** The same call on the libuv pool: the event loop stays free while TF runs the graph. */
  callAsync(...args: A): Promise<Rebuild<R>>;
  /** How many graphs have been traced (one per distinct input signature). */
  readonly tracingCount: number;
}

function specOf(arg: TensorLike, i: number): TensorSpec {
  if (arg instanceof Tensor) {
    if (arg.isSymbolic) throw new TypeError(`Argument ${i} is a symbolic tensor; call tf.function with eager values`);
    return new TensorSpec(arg.shape, arg.dtype);
  }
  const t = hostTensor(arg as HostValue, undefined, inferDType(arg as HostValue));
  try {
    return new TensorSpec(t.shape, inferDType(arg as HostValue));
  } finally {
    t.dispose();
  }
}

/** Python's tf.function. */
export function tfFunction<A extends TensorLike[], R extends Structure>(
  fn: (...args: Tensor[]) => R,
  options: FunctionOptions = {},
): TracedFunction<A, R> {
  const concretes = new Map<string, ConcreteFunction>();
  const name = options.name ?? (fn.name || 'function');
  const keyOf = (specs: readonly TensorSpec[]) => specs.map((s) => `${s.dtype}[${s.shape.join(',')}]`).join(';');
  const signatureKey = options.inputSignature && keyOf(options.inputSignature);
  const concreteFor = (args: readonly TensorLike[]): ConcreteFunction => {
    let specs: readonly TensorSpec[];
    if (options.inputSignature) {
      const signature = options.inputSignature;
      if (args.length !== signature.length) {
        throw new TypeError(`${name} takes ${signature.length} arguments (its inputSignature), got ${args.length}`);
      }
      args.forEach((arg, i) => {
        const actual = specOf(arg, i);
        const spec = signature[i];
        const fits = actual.dtype === spec.dtype && actual.shape.length === spec.shape.length && spec.shape.every((d, j) => d === null || d === actual.shape[j]);
        if (!fits) {
          throw new TypeError(
            `${name}: argument ${i} (dtype ${actual.dtype}, shape [${actual.shape.join(', ')}]) does not match its ` +
              `inputSignature (dtype ${spec.dtype}, shape [${spec.shape.map((d) => d ?? 'null').join(', ')}])`,
          );
        }
      });
      specs = signature;
    } else {
      specs = args.map(specOf);
    }
    const key = signatureKey ?? keyOf(specs);
    let concrete = concretes.get(key);
    if (!concrete) {
      concrete = new ConcreteFunction(specs, fn as (...args: Tensor[]) => Structure, name);
      concretes.set(key, concrete);
    }
    return concrete;
  };
  // Called while another function is being traced, the body is inlined into that graph, as in Python.
  const traced = ((...args: A) => (context.trace ? fn(...(args as Tensor[])) : concreteFor(args).call(args))) as TracedFunction<A, R>;
  traced.callAsync = (...args: A) => {
    try {
      return concreteFor(args).callAsync(args) as Promise<Rebuild<R>>;
    } catch (e) {
      return Promise.reject(e);
    }
  };
  Object.defineProperty(traced, 'tracingCount', { get: () => concretes.size });
  return traced;
}
