// What the eager op checks of issue 12 cost per call: the attr checks against the OpDef (every
// eager op), and the shape function run first (only the ops of SHAPE_FUNCTION_FIRST, and ops given a
// huge empty input). Medians of interleaved rounds, so that a busy machine skews both sides alike.
//
//   npx tsc -p tsconfig.json && node dist/bench/eager_checks.js
import * as tf from '../lib';
import { binding, NativeAttr } from '../lib/native';
import { checkEagerCall, SHAPE_FUNCTION_FIRST } from '../lib/ops/eager_checks';
import { OpAttr, OpCall, nativeAttrs } from '../lib/ops/run_op';
import { opInfo } from '../lib/op_registry';

const F = (shape: number[]) => tf.ones(shape, 'float32');
const I = (values: number[]) => tf.constant(values, 'int32');

/** Valid calls of some SHAPE_FUNCTION_FIRST ops, and of ops that skip the shape function, for scale. */
const CALLS: OpCall[] = [
  { type: 'AddV2', inputs: [F([3]), F([3])], attrs: [], outputs: ['z'] },
  { type: 'MatMul', inputs: [F([2, 3]), F([3, 2])], attrs: [], outputs: ['product'] },
  {
    type: 'Conv2D',
    inputs: [F([1, 4, 4, 1]), F([2, 2, 1, 1])],
    attrs: [
      ['strides', 'list(int)', [1, 1, 1, 1]],
      ['padding', 'string', 'VALID'],
    ],
    outputs: ['output'],
  },
  {
    type: 'Conv2DBackpropInput',
    inputs: [I([1, 4, 4, 1]), F([2, 2, 1, 1]), F([1, 3, 3, 1])],
    attrs: [
      ['strides', 'list(int)', [1, 1, 1, 1]],
      ['padding', 'string', 'VALID'],
    ],
    outputs: ['output'],
  },
  {
    type: 'Conv2DBackpropFilter',
    inputs: [F([1, 4, 4, 1]), I([2, 2, 1, 1]), F([1, 3, 3, 1])],
    attrs: [
      ['strides', 'list(int)', [1, 1, 1, 1]],
      ['padding', 'string', 'VALID'],
    ],
    outputs: ['output'],
  },
  {
    type: 'DepthwiseConv2dNativeBackpropInput',
    inputs: [I([1, 4, 4, 1]), F([2, 2, 1, 1]), F([1, 3, 3, 1])],
    attrs: [
      ['strides', 'list(int)', [1, 1, 1, 1]],
      ['padding', 'string', 'VALID'],
    ],
    outputs: ['output'],
  },
  { type: 'FakeQuantWithMinMaxVarsPerChannel', inputs: [F([2, 3]), tf.zeros([3], 'float32'), F([3])], attrs: [], outputs: ['outputs'] },
  {
    type: 'QuantizeAndDequantizeV3',
    inputs: [F([4]), tf.constant(0, 'float32'), tf.constant(1, 'float32'), tf.constant(8, 'int32')],
    attrs: [],
    outputs: ['output'],
  },
  {
    type: 'AudioSpectrogram',
    inputs: [F([64, 1])],
    attrs: [
      ['window_size', 'int', 16],
      ['stride', 'int', 8],
    ],
    outputs: ['spectrogram'],
  },
  {
    type: 'LSTMBlockCell',
    inputs: [F([1, 2]), F([1, 3]), F([1, 3]), F([5, 12]), F([3]), F([3]), F([3]), F([12])],
    attrs: [],
    outputs: ['i', 'cs', 'f', 'o', 'ci', 'co', 'h'],
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function perCall(run: () => void, n: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; ++i) run();
  return Number(process.hrtime.bigint() - start) / 1e3 / n;
}

function execute(call: OpCall, attrs: NativeAttr[], inferShapes: boolean): void {
  const handles = binding.eagerExecute({
    type: call.type,
    inputs: call.inputs.map((x) => (x as tf.Tensor).handle),
    attrs,
    outputs: call.outputs,
    inferShapes,
  });
  for (const group of handles) for (const h of group) h.dispose();
}

function main(): void {
  const rounds = Number(process.argv[2] ?? 15);
  console.log('op                                           | attr checks | op, shape fn off | op, shape fn on | shape fn cost');
  for (const call of CALLS) {
    const attrs = nativeAttrs(call.attrs as OpAttr[]) as NativeAttr[];
    const info = opInfo(call.type);
    const checks: number[] = [];
    const off: number[] = [];
    const on: number[] = [];
    for (let r = 0; r < rounds; ++r) {
      checks.push(perCall(() => checkEagerCall(call, info), 20000));
      off.push(perCall(() => execute(call, attrs, false), 300));
      on.push(perCall(() => execute(call, attrs, true), 300));
    }
    const listed = SHAPE_FUNCTION_FIRST.has(call.type) ? ' (listed)' : '';
    console.log(
      `${(call.type + listed).padEnd(44)} | ${(median(checks) * 1000).toFixed(0).padStart(8)} ns | ${median(off).toFixed(1).padStart(13)} µs | ${median(on).toFixed(1).padStart(12)} µs | ${(median(on) - median(off)).toFixed(1).padStart(9)} µs`,
    );
  }
}

main();
