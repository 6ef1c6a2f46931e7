// tf.print: Python's tf.print(*inputs, output_stream, sep, end, summarize). The text is made by TF's
// StringFormat op and written by its PrintV2 op, eagerly as in Python and, inside tf.function, as a
// stateful op of the traced graph: it prints every time the function runs, with that run's values.
// PrintV2 writes from C++ (std::cerr / std::cout, flushed), so the text shares the Node process's
// stderr/stdout; 'log(info)' and friends go through TF's logging instead.
import { isTypedArray } from '../dtypes';
import { Tensor } from '../tensor';
import { Variable } from '../variable';
import { PrintV2, StringFormat } from './generated';
import { constantTensor } from './run_op';

type OutputStreamName = 'stderr' | 'stdout' | 'log(info)' | 'log(warning)' | 'log(error)';

export interface PrintOptions {
  /**
   * Where the text goes: 'stderr' (default) or 'stdout' (or `process.stderr` / `process.stdout`, as
   * Python takes sys.stderr), 'log(info)' / 'log(warning)' / 'log(error)' (TF's logging, with its
   * prefix and level filter: 'log(info)' shows only with TF_CPP_MIN_LOG_LEVEL=0 set), or
   * 'file://<path>' (appended to).
   */
  outputStream?: OutputStreamName | `file://${string}` | NodeJS.WriteStream;
  /** Between the inputs; default ' '. */
  sep?: string;
  /** After the last input; default '\n'. */
  end?: string;
  /** How many entries of each dimension to show at its start and at its end ('...' between); -1 for all. Default 3. */
  summarize?: number;
  name?: string;
}

const OPTION_KEYS: readonly string[] = ['outputStream', 'sep', 'end', 'summarize', 'name'];
const STREAMS: readonly string[] = ['stderr', 'stdout', 'log(info)', 'log(warning)', 'log(error)'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A trailing plain object of option names only (and no tensors) is the options; anything else is printed. */
function isOptions(value: unknown): value is PrintOptions {
  if (!isPlainObject(value)) return false;
  const entries = Object.entries(value);
  return entries.every(([k, v]) => OPTION_KEYS.includes(k) && !(v instanceof Tensor) && !(v instanceof Variable));
}

function streamName(stream: PrintOptions['outputStream']): string {
  if (stream === undefined || stream === process.stderr) return 'stderr';
  if (stream === process.stdout) return 'stdout';
  if (typeof stream === 'string' && (STREAMS.includes(stream) || stream.startsWith('file://'))) return stream;
  throw new RangeError(
    `Unsupported output stream, logging level, or file. ${String(stream)}. Supported streams are 'stderr', 'stdout' ` +
      `(or process.stderr, process.stdout), 'log(info)', 'log(warning)', 'log(error)'. File needs to be in the form of 'file://<filepath>'.`,
  );
}

/** Python's repr of a string, as pprint writes it inside a list or dict. */
function pythonStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const escaped = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}

/**
 * Builds the template for one input (Python's pprint of it, tensors as `placeholder`) and collects
 * its tensors in the same order. Strings at the top level are the template themselves.
 */
function templateOf(value: unknown, placeholder: string, tensors: Tensor[] | null, topLevel: boolean): string {
  if (value instanceof Tensor || value instanceof Variable || isTypedArray(value)) {
    if (tensors === null) return placeholder;
    tensors.push(value instanceof Tensor ? value : value instanceof Variable ? value.value() : constantTensor(value));
    return placeholder;
  }
  if (typeof value === 'string') return topLevel ? value : pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map((v) => templateOf(v, placeholder, tensors, false)).join(', ')}]`;
  if (isPlainObject(value)) {
    // pprint sorts a dict's keys (and nest.flatten takes its tensors in that order).
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${pythonStringRepr(k)}: ${templateOf(value[k], placeholder, tensors, false)}`).join(', ')}}`;
  }
  return String(value);
}

/** Python's _generate_placeholder_string: '{}', lengthened until it is not in the template's text. */
function placeholderFor(text: string): string {
  let placeholder = '{}';
  let digit = 5;
  while (text.includes(placeholder)) {
    placeholder += String(digit);
    digit = (digit * 7 + 3) % 10;
  }
  return placeholder;
}

/**
 * Python's `tf.print(*inputs, output_stream=sys.stderr, sep=' ', end='\n', summarize=3)`:
 * `tf.print('loss:', loss, {sep: ' ', summarize: -1})` (the options object last). Tensors print as
 * TF formats them (`[0 1 2 ... 7 8 9]`); strings as they are; arrays and plain objects in Python's
 * pprint layout on one line (dict keys sorted); other host values as JavaScript writes them. To
 * print a plain object whose keys are all option names, pass `{}` after it.
 */
export function print(...args: unknown[]): void {
  const last = args[args.length - 1];
  const options: PrintOptions = args.length > 0 && isOptions(last) ? (args.pop() as PrintOptions) : {};
  const { sep = ' ', end = '\n', summarize = 3, name } = options;
  if (typeof sep !== 'string') throw new TypeError(`tf.print: sep must be a string, got ${typeof sep}`);
  if (typeof end !== 'string') throw new TypeError(`tf.print: end must be a string, got ${typeof end}`);
  if (!Number.isSafeInteger(summarize)) throw new TypeError(`tf.print: summarize must be an integer, got ${String(summarize)}`);
  const outputStream = streamName(options.outputStream);
  const inputs = args;
  let formatted: Tensor;
  const only = inputs.length === 1 ? inputs[0] : undefined;
  if (only instanceof Tensor && only.dtype === 'string' && only.rank === 0) {
    formatted = only;
  } else {
    // The text of everything but the tensors, where the placeholder must not occur.
    const tensorFree = inputs.map((x) => templateOf(x, '', null, true)).join(' ');
    const placeholder = placeholderFor(tensorFree);
    const tensors: Tensor[] = [];
    const template = inputs.map((x) => templateOf(x, placeholder, tensors, true)).join(sep);
    formatted =
      tensors.length === 0 ? constantTensor(template, 'string') : StringFormat({ inputs: tensors, template, placeholder, summarize });
  }
  PrintV2({ input: formatted, outputStream, end, ...(name !== undefined ? { name } : {}) });
}
