'use strict';
// What every implementation must agree on: the workloads of spec.json, their data, initial weights,
// learning rates and FLOPs. python_tf.py mirrors the PRNG, data, weights and learning rates exactly
// (run.js compares checksums of both before it measures anything).
const crypto = require('node:crypto');
const spec = require('./spec.json');

/** The workload with its `like` base merged in; throws on an unknown name. */
function workload(name) {
  const own = spec.workloads[name];
  if (!own) throw new Error(`unknown workload '${name}' (known: ${Object.keys(spec.workloads).join(', ')})`);
  const { like, ...rest } = own;
  return { name, ...(like ? spec.workloads[like] : {}), ...rest };
}

/**
 * mulberry32: value n (1-based) of stream `seed` is a hash of the 32-bit counter seed + n * 0x6D2B79F5,
 * which lets numpy compute the same stream vectorised. Returns doubles in [0, 1).
 */
function uniform(seed, count) {
  const out = new Float64Array(count);
  let a = seed | 0;
  for (let i = 0; i < count; ++i) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return out;
}

/** Shapes through the network (batch dimension left out), and each parametric layer's kernel shape. */
function layerShapes(w) {
  let shape = w.input.slice();
  const layers = [];
  for (const layer of w.layers) {
    const input = shape;
    let kernel = null;
    if (layer.type === 'dense') {
      if (shape.length !== 1) throw new Error('dense needs a flat input');
      kernel = [shape[0], layer.units];
      shape = [layer.units];
    } else if (layer.type === 'conv2d') {
      kernel = [layer.kernel, layer.kernel, shape[2], layer.filters];
      shape = [shape[0] - layer.kernel + 1, shape[1] - layer.kernel + 1, layer.filters];
    } else if (layer.type === 'maxpool') {
      shape = [Math.floor(shape[0] / layer.size), Math.floor(shape[1] / layer.size), shape[2]];
    } else if (layer.type === 'flatten') {
      shape = [shape.reduce((p, d) => p * d, 1)];
    } else {
      throw new Error(`unknown layer type '${layer.type}'`);
    }
    layers.push({ ...layer, input, output: shape, kernel });
  }
  return layers;
}

const size = (shape) => shape.reduce((p, d) => p * d, 1);

/**
 * The 60 batches as one array each for inputs and targets (batch b is rows b*batch .. (b+1)*batch-1).
 * classify: label = floor(10u); x = 0.95u, plus 0.05 where feature % classes == label (learnable, not trivially).
 * regress:  x = 2u - 1; y = x0*x1 + x2 - x3, each operation rounded to float32.
 */
function makeData(w) {
  const rows = spec.batches * w.batch;
  const features = size(w.input);
  const outputs = w.layers[w.layers.length - 1].units;
  const u = uniform(spec.seed + 2, rows * features);
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows * outputs);
  if (w.data === 'classify') {
    const labels = uniform(spec.seed + 1, rows);
    for (let r = 0; r < rows; ++r) {
      const label = Math.floor(labels[r] * outputs);
      y[r * outputs + label] = 1;
      for (let f = 0; f < features; ++f) x[r * features + f] = 0.95 * u[r * features + f] + (f % outputs === label ? 0.05 : 0);
    }
  } else {
    for (let i = 0; i < x.length; ++i) x[i] = 2 * u[i] - 1;
    const f32 = Math.fround;
    for (let r = 0; r < rows; ++r) {
      const v = x.subarray(r * features, r * features + 4);
      y[r] = f32(f32(f32(v[0] * v[1]) + v[2]) - v[3]);
    }
  }
  return { x, y, features, outputs, rows };
}

/** Glorot-uniform kernels (stream seed + 100 + index of the parametric layer), zero biases; Keras order. */
function initialWeights(w) {
  const weights = [];
  layerShapes(w)
    .filter((l) => l.kernel)
    .forEach((l, index) => {
      const receptive = l.kernel.length === 4 ? l.kernel[0] * l.kernel[1] : 1;
      const fanIn = receptive * l.kernel[l.kernel.length - 2];
      const fanOut = receptive * l.kernel[l.kernel.length - 1];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const u = uniform(spec.seed + 100 + index, size(l.kernel));
      weights.push({ shape: l.kernel, values: Float32Array.from(u, (v) => (2 * v - 1) * limit) });
      const units = l.kernel[l.kernel.length - 1];
      weights.push({ shape: [units], values: new Float32Array(units) });
    });
  return weights;
}

/** Learning rate of the update that follows `step` earlier updates (warm-up included). */
function learningRate(w, step) {
  const base = spec.adam.learningRate;
  if (w.lr === 'cosine') return base * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, w.decaySteps)) / w.decaySteps));
  if (w.lr === 'assign') return base / (1 + step / 1000);
  return base;
}

/**
 * FLOPs of one training step: 2 per multiply-add of every dense and conv layer's forward pass, times 3
 * for forward + backward (input and weight gradients); activations, pooling and Adam are left out.
 */
function stepFlops(w) {
  let forward = 0;
  for (const l of layerShapes(w)) {
    if (l.type === 'dense') forward += 2 * l.kernel[0] * l.kernel[1];
    if (l.type === 'conv2d') forward += 2 * l.output[0] * l.output[1] * size(l.kernel);
  }
  return 3 * forward * w.batch;
}

/** SHA-256 (first 16 hex digits) of the data and initial weights, to prove every implementation uses the same. */
function checksum(w) {
  const hash = crypto.createHash('sha256');
  const { x, y } = makeData(w);
  hash.update(Buffer.from(x.buffer)).update(Buffer.from(y.buffer));
  for (const weight of initialWeights(w)) hash.update(Buffer.from(weight.values.buffer));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Parses `WORKLOAD MODE WARMUP STEPS [--flag[=value]...]`, the argv protocol of every worker.
 * In fit mode a step count above one epoch (60 batches) is rounded up to whole epochs.
 */
function parseArgs(argv) {
  const positional = argv.filter((a) => !a.startsWith('--'));
  const flags = Object.fromEntries(
    argv
      .filter((a) => a.startsWith('--'))
      .map((a) => {
        const [k, v] = a.slice(2).split('=');
        return [k, v === undefined ? true : v];
      }),
  );
  const [name, mode, warmup, steps] = positional;
  if (!['loop', 'fit'].includes(mode) || !(Number(steps) > 0) || !(Number(warmup) >= 0)) {
    throw new Error('usage: WORKLOAD loop|fit WARMUP_STEPS MEASURED_STEPS [flags]');
  }
  return { w: workload(name), mode, warmup: fitSteps(mode, Number(warmup)), steps: fitSteps(mode, Number(steps)), flags };
}

function fitSteps(mode, steps) {
  return mode === 'fit' && steps > spec.batches ? Math.ceil(steps / spec.batches) * spec.batches : steps;
}

module.exports = { spec, workload, uniform, layerShapes, makeData, initialWeights, learningRate, stepFlops, checksum, parseArgs };
