// Python's tf.clip_by_global_norm and tf.linalg.global_norm, op for op (clip_ops.py), so the numbers
// match Python's, eagerly and inside tf.function.
import { DType, isFloating } from '../dtypes';
import { Tensor, TensorLike, isReadAsTensor } from '../tensor';
import { Variable } from '../variable';
import { AddV2, Cast, Identity, L2Loss, Minimum, Mul, Pack, RealDiv, Sqrt, Sub, Sum } from './generated';
import { KeywordArgs, keywordArgs, requiredArg } from '../utils/argument_validation';
import { convertToTensor } from './convert';
import { constantTensor } from './run_op';
import { HostValue } from '../host_data';

type Clippable = Tensor | Variable | null | undefined;

function checkList(fn: string, tList: unknown): readonly Clippable[] {
  if (!Array.isArray(tList)) {
    const what = tList instanceof Tensor ? 'a tf.Tensor' : tList instanceof Variable ? 'a tf.Variable' : typeof tList;
    throw new TypeError(`${fn}: \`tList\` should be an array of tensors. Received ${what}.`);
  }
  tList.forEach((t, i) => {
    if (t !== null && t !== undefined && !(t instanceof Tensor) && !(t instanceof Variable)) {
      throw new TypeError(`${fn}: tList[${i}] is not a tf.Tensor, a tf.Variable or null`);
    }
  });
  return tList as readonly Clippable[];
}

function clippableValue(t: Clippable): Tensor | null {
  if (t === null || t === undefined) return null;
  return t instanceof Variable ? t.value() : t;
}

function scalarOf(value: TensorLike, dtype: DType): Tensor {
  return value instanceof Tensor || isReadAsTensor(value) ? convertToTensor(value) : constantTensor(value as HostValue, dtype);
}

function norm(values: readonly (Tensor | null)[]): Tensor {
  const halfSquaredNorms = values.filter((v): v is Tensor => v !== null).map((t) => L2Loss({ t }));
  const halfSquaredNorm = Sum({ input: Pack({ values: halfSquaredNorms }), reductionIndices: constantTensor([0], 'int32', [1]) });
  return Sqrt({ x: Mul({ x: halfSquaredNorm, y: constantTensor(2, halfSquaredNorm.dtype) }) });
}

/** Python's `tf.linalg.global_norm(t_list)`: sqrt(sum of squares of every element of every tensor); nulls are skipped. */
export function globalNorm(tList: readonly Clippable[]): Tensor {
  return norm(checkList('tf.linalg.globalNorm', tList).map(clippableValue));
}

export interface ClipByGlobalNormOptions {
  clipNorm?: TensorLike;
  useNorm?: TensorLike;
  name?: string;
}

/**
 * Python's `tf.clip_by_global_norm(t_list, clip_norm, use_norm=None)`: each tensor scaled by
 * `clipNorm / max(globalNorm, clipNorm)`; returns `[clipped, globalNorm]`, nulls kept in place (a
 * gradient list with unconnected entries). An infinite or NaN norm makes every value NaN, as in TF.
 */
export function clipByGlobalNorm(
  tList: readonly Clippable[],
  ...args: KeywordArgs<
    [clipNorm: TensorLike | undefined, useNorm: TensorLike | undefined, name: string | undefined],
    ClipByGlobalNormOptions
  >
): [(Tensor | null)[], Tensor] {
  // name is accepted for Python's signature; the clipped values keep their op names.
  const { clipNorm, useNorm } = keywordArgs<ClipByGlobalNormOptions>('tf.clipByGlobalNorm', ['clipNorm', 'useNorm', 'name'], args);
  requiredArg('tf.clipByGlobalNorm', 'clipNorm', clipNorm);
  const values = checkList('tf.clipByGlobalNorm', tList).map(clippableValue);
  const first = values.find((v): v is Tensor => v !== null);
  const useNormTensor =
    useNorm === undefined || useNorm === null
      ? norm(values)
      : scalarOf(useNorm, first && isFloating(first.dtype) ? first.dtype : 'float32');
  const dtype = useNormTensor.dtype;
  const clip = scalarOf(clipNorm as TensorLike, dtype);
  const scaleForFinite = Mul({
    x: clip,
    y: Minimum({ x: RealDiv({ x: constantTensor(1, dtype), y: useNormTensor }), y: RealDiv({ x: constantTensor(1, dtype), y: clip }) }),
  });
  // A no-op for any finite norm; NaN for inf/-inf/NaN.
  const scale = AddV2({ x: scaleForFinite, y: Sub({ x: useNormTensor, y: useNormTensor }) });
  const clipped = values.map((v) =>
    v === null ? null : Identity({ input: Mul({ x: v, y: v.dtype === dtype ? scale : Cast({ x: scale, DstT: v.dtype }) }) }),
  );
  return [clipped, useNormTensor];
}
