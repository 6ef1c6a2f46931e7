import * as fs from 'node:fs';
import {
  booleanOption,
  checkClassOptions,
  type OptionsClass,
  stringOption,
  PositionalArgs,
  positionalOptions,
} from '../utils/argument_validation';
import { Callback, type Logs } from './callback';
import { pythonFloatRepr } from './python_float_repr';

export interface CSVLoggerOptions {
  /** The CSV file, e.g. 'run/log.csv'. */
  filename: string;
  /** The field separator (one character). Default ','. */
  separator?: string;
  /** Append to an existing file (its header is kept) instead of overwriting it. Default false. */
  append?: boolean;
}

/** A logged value as Python's str() writes it: numbers as Python floats, arrays as Keras' "[a, b]". */
function cellText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return pythonFloatRepr(value);
  if (typeof value === 'bigint') return String(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>, (v) => (typeof v === 'number' ? pythonFloatRepr(v) : String(v)));
    return `"[${items.join(', ')}]"`;
  }
  return String(value);
}

const OPTIONS = ['filename', 'separator', 'append'] as const;

/**
 * Streams each epoch's logs to a CSV file (Keras' `keras.callbacks.CSVLogger`), in the bytes
 * Python's csv module writes for Keras: the header `epoch` then the sorted log keys (with `val_`
 * twins added when the first epoch has no validation keys), floats as Python prints them, missing
 * values as NA, quoting where needed, and `\r\n` line ends.
 */
export class CSVLogger extends Callback {
  static readonly optionKeys: readonly string[] = OPTIONS;
  /** Keras' parameters in its order: every option can also be given positionally. */
  static readonly positional: readonly string[] = OPTIONS;
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  /** The columns after `epoch`, fixed by the first epoch's logs. */
  keys: string[] | null = null;
  /** Whether the header is written (false when appending to a file that has one). */
  appendHeader = true;
  private fd: number | null = null;
  private headerWritten = false;

  constructor(...args: PositionalArgs<CSVLoggerOptions, typeof OPTIONS>) {
    super();
    const o = checkClassOptions(new.target as OptionsClass, positionalOptions(new.target, args));
    this.filename = stringOption('filename', o.filename);
    this.separator = stringOption('separator', o.separator ?? ',');
    if (this.separator.length !== 1) {
      throw new TypeError(`"delimiter" must be a 1-character string. Received: separator=${JSON.stringify(this.separator)}`);
    }
    this.append = booleanOption('append', o.append ?? false);
  }

  override onTrainBegin(): void {
    // An existing file that has a first line keeps its header.
    if (this.append && fs.existsSync(this.filename)) this.appendHeader = fs.statSync(this.filename).size === 0;
    this.closeFile();
    this.fd = fs.openSync(this.filename, this.append ? 'a' : 'w');
    this.keys = null;
    this.headerWritten = false;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (this.keys === null) {
      const keys = Object.keys(logs).sort();
      if (keys.length > 0 && !keys.some((key) => key.startsWith('val_'))) keys.push(...keys.map((key) => `val_${key}`));
      this.keys = keys;
    }
    if (this.fd === null) throw new Error('CSVLogger: the file is not open (fit() opens it in onTrainBegin)');
    let text = '';
    if (!this.headerWritten) {
      if (this.appendHeader) text += this.row(['epoch', ...this.keys]);
      this.headerWritten = true;
    }
    const record = logs as Record<string, unknown>;
    text += this.row([String(epoch), ...this.keys.map((key) => (key in record ? cellText(record[key]) : 'NA'))]);
    fs.writeSync(this.fd, text);
  }

  override onTrainEnd(): void {
    this.closeFile();
  }

  /** One line as Python's csv.writer (excel dialect, minimal quoting) writes it. */
  private row(fields: readonly string[]): string {
    const quoted = fields.map((field) => {
      const special = field.includes(this.separator) || field.includes('"') || field.includes('\r') || field.includes('\n');
      return special ? `"${field.replaceAll('"', '""')}"` : field;
    });
    // The csv module quotes a lone empty field, so the line is not read back as no fields.
    if (quoted.length === 1 && quoted[0] === '') return '""\r\n';
    return `${quoted.join(this.separator)}\r\n`;
  }

  private closeFile(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
  }
}
