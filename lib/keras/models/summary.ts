// model.summary(): Keras 3's table, laid out as its rich.Table is (column widths from `positions`
// of the line length, shrunk to fit the borders as rich does), then the parameter totals.
import { DType } from '../../dtypes';
import type { Shape } from '../../tensor';
import { formatShape } from '../../ops/convert';
import { Variable } from '../../variable';
import { Layer } from '../layers/layer';
import { checkOptions } from '../utils/argument_validation';
import type { Model } from './model';

export interface SummaryOptions {
  /** Total width; default min(88 or 108, terminal columns - 4), as in Keras. */
  lineLength?: number;
  /** Column end positions as fractions of the line (Keras' default [0.45, 0.8, 1] or [0.3, 0.56, 0.74, 1]). */
  positions?: readonly number[];
  /** Receives the whole summary text; default: written to stdout. */
  printFn?: (text: string) => void;
}

const BYTES: Partial<Record<DType, number>> = {
  float16: 2,
  bfloat16: 2,
  float32: 4,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1,
};

function countParams(weights: readonly Variable[]): number {
  return weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
}

function memoryBytes(weights: readonly Variable[]): number {
  return [...new Set(weights)].reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * (BYTES[w.dtype] ?? 4), 0);
}

/** Python's '{:.2f}' (ties to even, which matters for sizes like 1.125 KB). */
function fixed2(x: number): string {
  const scaled = x * 100;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5) return ((floor % 2 === 0 ? floor : floor + 1) / 100).toFixed(2);
  return x.toFixed(2);
}

/** Keras' readable_memory_size. */
function readableSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${fixed2(size)} ${unit}`;
    size /= 1024;
  }
  return `${fixed2(size)} PB`;
}

function withCommas(n: number): string {
  return n.toLocaleString('en-US');
}

/** rich's ratio_reduce with equal ratios (Python's round: ties to even). */
function ratioReduce(total: number, widths: readonly number[]): number[] {
  let remaining = total;
  let ratioLeft = widths.length;
  return widths.map((width) => {
    const exact = remaining / ratioLeft;
    const floor = Math.floor(exact);
    const rounded = exact - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(exact);
    const distributed = Math.min(width, rounded);
    remaining -= distributed;
    ratioLeft -= 1;
    return width - distributed;
  });
}

/** Words of `text` in lines of at most `width` characters (rich's wrapping; long words are cut with '…'). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const fitted = word.length > width ? `${word.slice(0, width - 1)}…` : word;
    if (line === '') line = fitted;
    else if (line.length + 1 + fitted.length <= width) line += ` ${fitted}`;
    else {
      lines.push(line);
      line = fitted;
    }
  }
  lines.push(line);
  return lines;
}

/** Keras' format_layer_shape: the latest call's output, else the shape the layer was built for. */
function layerOutputShape(layer: Layer): string {
  const node = layer.inboundNodes[layer.inboundNodes.length - 1];
  if (node !== undefined) return formatShape(node.outputs[0].shape);
  if (layer.buildInputShape === undefined) return '?';
  try {
    return formatShape(layer.computeOutputShape(layer.buildInputShape) as Shape);
  } catch {
    return '?';
  }
}

/** 'inp[0][0], shared[0][0]': the tensors each call of `layer` in this model read. */
function connections(model: Model, layer: Layer): string {
  const parts = model.nodesOf(layer).flatMap((node) => node.inputs.map((t) => `${t.node.layer.name}[${t.node.index}][${t.index}]`));
  return parts.length ? parts.join(', ') : '-';
}

function terminalColumns(): number {
  const fromEnv = Number(process.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return process.stdout.columns || 80;
}

/** The summary text, as Keras prints it without a terminal. */
export function summaryText(model: Model, options: SummaryOptions = {}): string {
  checkOptions('summary()', options, ['lineLength', 'positions', 'printFn']);
  const sequentialLike = model.isSequentialLike;
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(sequentialLike ? [] : ['Connected to'])];
  const rightAligned = [false, false, true, false];
  const positions = options.positions ?? (sequentialLike ? [0.45, 0.8, 1.0] : [0.3, 0.56, 0.74, 1.0]);
  const lineLength = options.lineLength ?? Math.min(sequentialLike ? 88 : 108, terminalColumns() - 4);
  const fixedWidths: number[] = [];
  let current = 0;
  for (const position of positions) {
    const width = Math.floor(position * lineLength) - current;
    if (width < 4) throw new RangeError('Insufficient console width to print summary.');
    fixedWidths.push(width);
    current += width;
  }
  // rich: each column is its width plus 1 padding each side, shrunk evenly to fit inside the borders.
  const padded = fixedWidths.map((w) => w + 2);
  const available = lineLength - (header.length + 1);
  const excess = padded.reduce((a, b) => a + b, 0) - available;
  const widths = excess > 0 ? ratioReduce(excess, padded).map((w, i) => Math.min(w, padded[i])) : padded;

  const layers = model.layers;
  const rows = layers.map((layer) => {
    const params = layer.built ? withCommas(layer.countParams()) : '0 (unbuilt)';
    const fields = [`${layer.name} (${layer.constructor.name})`, layerOutputShape(layer), params];
    if (!sequentialLike) fields.push(connections(model, layer));
    return fields;
  });

  const rule = (left: string, fill: string, join: string, right: string) => left + widths.map((w) => fill.repeat(w)).join(join) + right;
  const renderRow = (cells: readonly string[], edge: string) => {
    const wrapped = cells.map((cell, i) => wrap(cell, widths[i] - 2));
    const height = Math.max(...wrapped.map((lines) => lines.length));
    const out: string[] = [];
    for (let r = 0; r < height; ++r) {
      const parts = wrapped.map((lines, i) => {
        const text = lines[r] ?? '';
        return ` ${rightAligned[i] ? text.padStart(widths[i] - 2) : text.padEnd(widths[i] - 2)} `;
      });
      out.push(edge + parts.join(edge) + edge);
    }
    return out;
  };

  const lines = [`Model: "${model.name}"`, rule('┏', '━', '┳', '┓'), ...renderRow(header, '┃'), rule('┡', '━', '╇', '┩')];
  rows.forEach((row, i) => {
    if (i > 0) lines.push(rule('├', '─', '┼', '┤'));
    lines.push(...renderRow(row, '│'));
  });
  lines.push(rule('└', '─', '┴', '┘'));

  const trainable = model.trainableWeights;
  const nonTrainable = model.nonTrainableWeights;
  const optimizerVariables = model.compiled && model.optimizerBuilt ? model.optimizer.variables : null;
  const all = [...trainable, ...nonTrainable, ...(optimizerVariables ?? [])];
  lines.push(
    ` Total params: ${withCommas(countParams(all))} (${readableSize(memoryBytes(trainable) + memoryBytes(nonTrainable) + memoryBytes(optimizerVariables ?? []))})`,
  );
  lines.push(` Trainable params: ${withCommas(countParams(trainable))} (${readableSize(memoryBytes(trainable))})`);
  lines.push(` Non-trainable params: ${withCommas(countParams(nonTrainable))} (${readableSize(memoryBytes(nonTrainable))})`);
  if (optimizerVariables !== null)
    lines.push(` Optimizer params: ${withCommas(countParams(optimizerVariables))} (${readableSize(memoryBytes(optimizerVariables))})`);
  return `${lines.join('\n')}\n`;
}

export function printSummary(model: Model, options: SummaryOptions): void {
  const text = summaryText(model, options);
  if (options.printFn) options.printFn(text);
  else process.stdout.write(text);
}
