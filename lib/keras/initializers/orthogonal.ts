// keras.initializers.Orthogonal: the Q of a normal matrix's QR (signs fixed by R's diagonal), times
// `gain`. The recurrent kernels' default.
import { DType } from '../../dtypes';
import { FloatDType, normal } from '../../random';
import { int32Vector } from '../../ops/convert';
import { MatrixDiagPartV3, Mul, Qr, Reshape, Sign, Transpose } from '../../ops/generated';
import { constantTensor } from '../../ops/run_op';
import { Tensor } from '../../tensor';
import { checkOptions, finiteNumber, PositionalArgs, positionalOptions } from '../utils/argument_validation';
import { checkShape, InitializerConfig } from './initializer';
import { RandomInitializer } from './random_initializer';

export interface OrthogonalOptions {
  /** Multiplies the orthogonal matrix; default 1. */
  gain?: number;
  seed?: number | null;
}

const POSITIONAL = ['gain', 'seed'] as const;

export class Orthogonal extends RandomInitializer {
  static override readonly positional: readonly string[] = POSITIONAL;
  readonly gain: number;

  constructor(...args: PositionalArgs<OrthogonalOptions, typeof POSITIONAL>) {
    const o = checkOptions('Orthogonal', positionalOptions(new.target, args), POSITIONAL);
    super(o.seed as number | null | undefined);
    this.gain = finiteNumber('gain', o.gain ?? 1);
  }

  call(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    checkShape('Orthogonal', shape);
    if (shape.length < 2) {
      throw new RangeError(`Orthogonal initializer requires a 2D (or higher) shape. Received: shape=(${shape.join(', ')})`);
    }
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape[shape.length - 1];
    const a = normal([Math.max(rows, cols), Math.min(rows, cols)], { dtype: dtype as FloatDType, seed: this.seed });
    const { q, r } = Qr({ input: a });
    const d = MatrixDiagPartV3({ input: r, k: constantTensor(0, 'int32'), paddingValue: constantTensor(0, dtype) });
    let m = Mul({ x: q, y: Sign({ x: d }) });
    if (rows < cols) m = Transpose({ x: m, perm: int32Vector([1, 0]) });
    return Mul({ x: Reshape({ tensor: m, shape: int32Vector([...shape]) }), y: constantTensor(this.gain, dtype) });
  }

  override getConfig(): InitializerConfig {
    return { ...super.getConfig(), gain: this.gain };
  }
}
