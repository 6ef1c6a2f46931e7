// keras.metrics.Metric: state in float32 variables, changed by updateState() (as graph ops inside
// a train/test step, or eagerly), read by result(), cleared by resetState(); apply() is Python's
// `metric(y_true, y_pred)`.
import { initScope } from '../../function';
import { DType } from '../../dtypes';
import { zeros } from '../../ops/creation';
import { convertToTensor } from '../../ops/convert';
import { Tensor, TensorLike } from '../../tensor';
import { Variable } from '../../variable';
import { optionsFromConfig } from '../saving/serialization_lib';
import { checkClassOptions } from '../utils/argument_validation';
import { autoName } from '../utils/naming';

export interface MetricOptions {
  name?: string;
  dtype?: DType;
}

export abstract class Metric {
  /** The options the constructor accepts, checked once for the class constructed; subclasses extend the list. */
  static readonly optionKeys: readonly string[] = ['name', 'dtype'];
  /** The options a subclass also takes positionally, in Keras' order (see positionalOptions): `new Mean('loss')`. */
  static readonly positional: readonly string[] = ['name', 'dtype'];
  readonly name: string;
  readonly dtype: DType;
  /** 'up' when higher is better (accuracies), 'down' for errors; read by ReduceLROnPlateau's auto mode. */
  direction?: 'up' | 'down';
  private readonly state: Variable[] = [];

  constructor(options: MetricOptions = {}) {
    checkClassOptions(new.target, options);
    this.name = options.name ?? autoName(this.constructor.name);
    this.dtype = options.dtype ?? 'float32';
  }

  abstract updateState(...args: Tensor[]): void;
  abstract result(): Tensor;

  /** A scalar state variable (zero), named '<metric>/<name>'. */
  protected addVariable(name: string): Variable {
    const variable = new Variable(() => initScope(() => zeros([], this.dtype)), {
      name: `${this.name}/${name}`,
      trainable: false,
      dtype: this.dtype,
    });
    this.state.push(variable);
    return variable;
  }

  get variables(): Variable[] {
    return [...this.state];
  }

  resetState(): void {
    for (const variable of this.state) variable.assign(zeros([], this.dtype));
  }

  /** Keras 2's name for resetState(). */
  resetStates(): void {
    this.resetState();
  }

  /**
   * Python's `metric(y_true, y_pred)` (Keras' `__call__`): updateState with the arguments, then the
   * result so far. Host values (numbers, nested arrays, TypedArrays) become tensors of the metric's
   * dtype, as Keras casts them.
   */
  apply(...args: TensorLike[]): Tensor {
    const tensors = args.map((a) => (a instanceof Tensor ? a : convertToTensor(a, undefined, this.dtype)));
    this.updateState(...tensors);
    return this.result();
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: this.dtype };
  }

  /** Keras' from_config: the config's keys camelCased, as constructor options. */
  static fromConfig<T extends Metric>(this: new (options: never) => T, config: Record<string, unknown>): T {
    return new this(optionsFromConfig(this.name, config) as never);
  }
}
