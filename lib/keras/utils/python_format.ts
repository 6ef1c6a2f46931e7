// Python's str.format for the file-path templates of Keras' callbacks ('ckpt-{epoch:02d}-{val_loss:.2f}.keras'):
// named fields with the format-spec mini-language's common part ([[fill]align][sign][0][width][,][.precision][type],
// types d f F e E g G % s and none). A value that would put a path separator or '..' into the result
// is refused, so values from logs cannot move a file out of the template's directory.
import { pythonFloatRepr } from '../callbacks/python_float_repr';

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(0)?(\d+)?(,)?(?:\.(\d+))?([dfFeEgGs%])?$/;

function pythonExponent(text: string): string {
  // JS writes 1.5e+0 and 1.5e-7; Python pads the exponent to two digits.
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

function formatNumber(value: number, type: string | undefined, precision: number | undefined, field: string): string {
  switch (type) {
    case 'd':
      if (!Number.isInteger(value)) throw new TypeError(`Unknown format code 'd' for a non-integer value in field '${field}': ${value}`);
      return String(Math.abs(value));
    case 'f':
    case 'F':
      return Number.isFinite(value) ? Math.abs(value).toFixed(precision ?? 6) : Number.isNaN(value) ? 'nan' : 'inf';
    case '%':
      return `${Math.abs(value * 100).toFixed(precision ?? 6)}%`;
    case 'e':
    case 'E': {
      const text = pythonExponent(Math.abs(value).toExponential(precision ?? 6));
      return type === 'E' ? text.toUpperCase() : text;
    }
    case 'g':
    case 'G': {
      const p = precision === 0 ? 1 : (precision ?? 6);
      const exponent = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(Number(Math.abs(value).toPrecision(p)))));
      let text: string;
      if (exponent < -4 || exponent >= p) {
        text = pythonExponent(Math.abs(value).toExponential(p - 1)).replace(/\.?0+e/, 'e');
      } else {
        text = Math.abs(value).toFixed(Math.max(0, p - 1 - exponent));
        if (text.includes('.')) text = text.replace(/\.?0+$/, '');
      }
      return type === 'G' ? text.toUpperCase() : text;
    }
    default:
      // A logged value is a Python float: 0.0, not 0 (integer fields come here as 'd').
      return precision === undefined ? pythonFloatRepr(Math.abs(value)) : formatNumber(value, 'g', precision, field);
  }
}

function applySpec(value: unknown, spec: string, field: string, isInteger: boolean): string {
  const m = SPEC.exec(spec);
  if (m === null) throw new RangeError(`Invalid format specifier '${spec}' for field '${field}'`);
  const [, fill = ' ', align, sign = '-', zero, widthText, comma, precisionText, type] = m;
  const width = widthText === undefined ? 0 : Number(widthText);
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  let body: string;
  let prefix = '';
  if (typeof value === 'number') {
    if (type === 's') throw new TypeError(`Unknown format code 's' for a number in field '${field}'`);
    const negative = value < 0 || Object.is(value, -0);
    body = formatNumber(value, type ?? (isInteger && precision === undefined ? 'd' : undefined), precision, field);
    if (comma) body = body.replace(/^(\d+)/, (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
    prefix = negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  } else {
    if (type !== undefined && type !== 's') throw new TypeError(`Unknown format code '${type}' for a string in field '${field}'`);
    body = String(value);
    if (precision !== undefined) body = body.slice(0, precision);
  }
  const padding = Math.max(0, width - prefix.length - body.length);
  if (zero && align === undefined) return prefix + '0'.repeat(padding) + body;
  const how = align ?? (typeof value === 'number' ? '>' : '<');
  if (how === '<') return prefix + body + fill.repeat(padding);
  if (how === '>') return fill.repeat(padding) + prefix + body;
  if (how === '=') return prefix + fill.repeat(padding) + body;
  const left = Math.floor(padding / 2);
  return fill.repeat(left) + prefix + body + fill.repeat(padding - left);
}

/**
 * `template.format(**values)` as Python does it for named fields; `{{` and `}}` are literal braces.
 * `integers` names the fields that are Python ints (e.g. epoch), which print without a decimal point.
 */
export function formatPath(template: string, values: Readonly<Record<string, unknown>>, integers: ReadonlySet<string> = new Set()): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, inner: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const colon = (inner as string).indexOf(':');
    const field = colon < 0 ? (inner as string) : (inner as string).slice(0, colon);
    const spec = colon < 0 ? '' : (inner as string).slice(colon + 1);
    if (!/^[A-Za-z_]\w*$/.test(field)) throw new RangeError(`Only named fields are supported in '${template}'; got '{${inner}}'`);
    if (!Object.hasOwn(values, field)) {
      throw new RangeError(`Failed to format this callback filepath: "${template}". Reason: '${field}' is not a logged value`);
    }
    const text = applySpec(values[field], spec, field, integers.has(field));
    if (/[/\\]/.test(text) || text === '..' || text === '.') {
      throw new RangeError(
        `Refusing to format '${template}': the value of '${field}' (${JSON.stringify(text)}) would change the file's directory`,
      );
    }
    return text;
  });
}
