// keras.layers.Bidirectional: a recurrent layer run forwards and a copy run backwards (goBackwards),
// the backward outputs flipped back into time order and merged with the forward ones.
import { int32Vector } from '../../../ops/convert';
import { AddV2, ConcatV2, Mul, RealDiv, ReverseV2 } from '../../../ops/generated';
import { constantTensor } from '../../../ops/run_op';
import { Shape, Tensor, TensorLike } from '../../../tensor';
import { kerasExport } from '../../saving/serialization_lib';
import { isPlainObject, PositionalArgs, positionalOptions } from '../../utils/argument_validation';
import { KerasTensor } from '../keras_tensor';
import { Layer, LayerOptions } from '../layer';
import { deserialize, serialize } from '../serialization';
import { applyWithStates, RNN, RNNCallOptions } from './rnn';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

export interface BidirectionalOptions extends LayerOptions {
  /** The recurrent layer (LSTM, GRU, SimpleRNN); its copies are made from its config. */
  layer: RNN;
  /** Default 'concat'. */
  mergeMode?: MergeMode;
  /** The backward layer (goBackwards true); default: a copy of `layer` with goBackwards flipped. */
  backwardLayer?: RNN;
}

const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'];

const POSITIONAL = ['layer', 'mergeMode'] as const;

function removePrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** A fresh layer of `layer`'s class from its config, with `changes` applied. */
function copyOf(layer: RNN, changes: Record<string, unknown>): RNN {
  const { build_config: _unbuilt, ...serialized } = serialize(layer);
  const copy = deserialize({ ...serialized, config: { ...serialized.config, ...changes } } as never);
  return copy as RNN;
}

export class Bidirectional extends Layer {
  static override readonly positional: readonly string[] = POSITIONAL;
  static override readonly optionKeys: readonly string[] = [...Layer.optionKeys, 'layer', 'mergeMode', 'backwardLayer'];
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;

  constructor(...args: PositionalArgs<BidirectionalOptions, typeof POSITIONAL>) {
    const options = positionalOptions<BidirectionalOptions>(new.target, args);
    const { layer, mergeMode = 'concat', backwardLayer, ...rest } = options;
    if (!(layer instanceof RNN)) {
      throw new TypeError(
        `Please initialize \`Bidirectional\` layer with a recurrent layer (LSTM, GRU, SimpleRNN). Received: ${String(layer)}`,
      );
    }
    if (!MERGE_MODES.includes(mergeMode as string)) {
      throw new RangeError(
        `Invalid merge mode. Merge mode should be one of {"sum", "mul", "ave", "concat"}. Received: merge_mode=${String(mergeMode)}`,
      );
    }
    if (backwardLayer !== undefined && !(backwardLayer instanceof RNN)) {
      throw new TypeError(`\`backward_layer\` need to be a recurrent layer. Received: backward_layer=${String(backwardLayer)}`);
    }
    super(rest);
    this.forwardLayer = copyOf(layer, { name: `forward_${removePrefix(layer.name, 'forward_')}` });
    this.backwardLayer =
      backwardLayer ?? copyOf(layer, { name: `backward_${removePrefix(layer.name, 'backward_')}`, go_backwards: !layer.goBackwards });
    if (this.forwardLayer.goBackwards === this.backwardLayer.goBackwards) {
      throw new RangeError('Forward layer and backward layer should have different `go_backwards` value.');
    }
    for (const [option, attribute] of [
      ['return_sequences', 'returnSequences'],
      ['return_state', 'returnState'],
    ] as const) {
      if (this.forwardLayer[attribute] !== this.backwardLayer[attribute]) {
        throw new RangeError(`Forward layer and backward layer should have the same \`${option}\` value.`);
      }
    }
    // Keras: masked steps of returned sequences are zeros.
    this.forwardLayer.zeroOutputForMask = this.forwardLayer.returnSequences;
    this.backwardLayer.zeroOutputForMask = this.backwardLayer.returnSequences;
    this.mergeMode = mergeMode;
    this.supportsMasking = true;
    this.inputSpec = { ndim: 3 };
  }

  get returnSequences(): boolean {
    return this.forwardLayer.returnSequences;
  }

  /** Keras: the wrapped layer's; apply() then gives [output, ...forward states, ...backward states]. */
  get returnState(): boolean {
    return this.forwardLayer.returnState;
  }

  get units(): number {
    return this.forwardLayer.units;
  }

  override apply(inputs: KerasTensor, options?: RNNCallOptions): KerasTensor;
  override apply(inputs: TensorLike, options?: RNNCallOptions): Tensor;
  override apply(inputs: TensorLike | KerasTensor, options: RNNCallOptions = {}): Tensor | KerasTensor {
    if (inputs instanceof KerasTensor && options.initialState !== undefined && options.initialState !== null) {
      throw new TypeError(
        `Layer '${this.name}': initialState in a functional model is not supported; call the layer on tensors to pass initial states`,
      );
    }
    if (!this.returnState) return super.apply(inputs as never, options);
    const stateCount = 2 * this.forwardLayer.cell.stateCount;
    return applyWithStates(this, inputs, options, stateCount, (x, o) => this.callWithStates(x, o));
  }

  override build(inputShape: Shape): void {
    this.forwardLayer.maybeBuild(inputShape);
    this.backwardLayer.maybeBuild(inputShape);
  }

  override call(inputs: Tensor, options: RNNCallOptions): Tensor {
    return this.callWithStates(inputs, options)[0];
  }

  /** [merged output, ...forward states, ...backward states] (the states only with returnState). */
  callWithStates(inputs: Tensor, options: RNNCallOptions): Tensor[] {
    const { initialState, ...rest } = options;
    let forwardState: RNNCallOptions['initialState'] = null;
    let backwardState: RNNCallOptions['initialState'] = null;
    if (initialState !== undefined && initialState !== null) {
      // Keras: the first half of the states start the forward layer, the second half the backward one.
      const states = Array.isArray(initialState) && initialState.every((s) => s instanceof Tensor) ? (initialState as Tensor[]) : null;
      if (states === null || states.length !== 2 * this.forwardLayer.cell.stateCount) {
        throw new RangeError(
          `Layer '${this.name}' expects ${2 * this.forwardLayer.cell.stateCount} initial states (the forward layer's, then the backward layer's) as a list of tensors`,
        );
      }
      forwardState = states.slice(0, states.length / 2);
      backwardState = states.slice(states.length / 2);
    }
    const outputsOf = (result: Tensor | Tensor[]): Tensor[] => (Array.isArray(result) ? result : [result]);
    const [forward, ...forwardStates] = outputsOf(this.forwardLayer.apply(inputs, { ...rest, initialState: forwardState }));
    let [backward, ...backwardStates] = outputsOf(this.backwardLayer.apply(inputs, { ...rest, initialState: backwardState }));
    if (this.returnSequences) backward = ReverseV2({ tensor: backward, axis: int32Vector([1]) });
    return [this.merge(forward, backward), ...forwardStates, ...backwardStates];
  }

  private merge(forward: Tensor, backward: Tensor): Tensor {
    switch (this.mergeMode) {
      case 'concat':
        return ConcatV2({ values: [forward, backward], axis: constantTensor(-1, 'int32') });
      case 'sum':
        return AddV2({ x: forward, y: backward });
      case 'ave':
        return RealDiv({ x: AddV2({ x: forward, y: backward }), y: constantTensor(2, forward.dtype) });
      default:
        return Mul({ x: forward, y: backward });
    }
  }

  override computeMask(_inputs: Tensor, mask: Tensor | null): Tensor | null {
    return this.returnSequences ? mask : null;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const shape = this.forwardLayer.computeOutputShape(inputShape);
    if (this.mergeMode !== 'concat') return shape;
    const last = shape[shape.length - 1];
    return [...shape.slice(0, -1), last === null ? null : last * 2];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      merge_mode: this.mergeMode,
      layer: serialize(this.forwardLayer),
      backward_layer: serialize(this.backwardLayer),
    };
  }

  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: Record<string, unknown>): T {
    const { layer, backward_layer, merge_mode, name, trainable, dtype } = config;
    if (!isPlainObject(layer)) throw new TypeError('Bidirectional config needs a `layer` dict');
    return new this({
      name,
      trainable,
      dtype: isPlainObject(dtype) && isPlainObject(dtype.config) ? dtype.config.name : dtype,
      layer: deserialize(layer as never),
      mergeMode: merge_mode,
      ...(isPlainObject(backward_layer) ? { backwardLayer: deserialize(backward_layer as never) } : {}),
    } as never);
  }
}

kerasExport('keras.layers', [Bidirectional]);
