// One parser fuzz run (test/fuzz_parsers.test.ts): valid seed files made here are damaged with a
// seeded generator (bit flips, byte overwrites, truncation, insertion, chunk duplication) and fed to
// a parser of untrusted bytes; each try must load or throw one of the typed errors. Prints a JSON
// summary: tries, loads, errors by class, and any untyped failure.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as tf from '../../lib';
import { readCheckpointIndex } from '../../lib/train/checkpoint';

const TYPED = new Set([
  'TypeError',
  'RangeError',
  'DataLossError',
  'InvalidArgumentError',
  'NotFoundError',
  'PermissionDeniedError',
  'FailedPreconditionError',
  'OutOfRangeError',
  'UnimplementedError',
]);

/** xorshift32: the same damage on every machine for a seed. */
function generator(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

function damage(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = Buffer.from(bytes);
  const at = () => Math.floor(random() * out.length);
  const kind = Math.floor(random() * 5);
  if (kind === 0) {
    for (let i = 0, n = 1 + Math.floor(random() * 8); i < n; i++) out[at()] ^= 1 << Math.floor(random() * 8);
    return out;
  }
  if (kind === 1) {
    const start = at();
    for (let i = start; i < Math.min(out.length, start + 1 + Math.floor(random() * 64)); i++) out[i] = Math.floor(random() * 256);
    return out;
  }
  if (kind === 2) return out.subarray(0, at());
  if (kind === 3) {
    const start = at();
    const junk = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 32) }, () => Math.floor(random() * 256)));
    return Buffer.concat([out.subarray(0, start), junk, out.subarray(start)]);
  }
  const start = at();
  const chunk = out.subarray(start, Math.min(out.length, start + 1 + Math.floor(random() * 256)));
  return Buffer.concat([out.subarray(0, start), chunk, out.subarray(start)]);
}

function smallModel(): tf.keras.Model {
  const m = new tf.keras.Sequential([
    tf.keras.Input([3]),
    new tf.keras.layers.Dense(4, { activation: 'relu' }),
    new tf.keras.layers.Dense(2),
  ]);
  m.compile({ optimizer: 'adam', loss: 'mse' });
  return m;
}

interface Parser {
  /** Writes the valid seed files into `dir` and returns the one to damage. */
  seed(dir: string): Promise<string>;
  /** Parses the (damaged) file at `file`. */
  parse(file: string, dir: string): Promise<unknown>;
}

const PARSERS: Record<string, Parser> = {
  keras_zip: {
    async seed(dir) {
      const m = smallModel();
      await m.fit(tf.ones([4, 3]), tf.ones([4, 2]), { verbose: 0 });
      await m.save(path.join(dir, 'seed.keras'));
      return path.join(dir, 'seed.keras');
    },
    parse: (file) => tf.keras.models.loadModel(file),
  },
  weights_h5: {
    async seed(dir) {
      const m = smallModel();
      await m.fit(tf.ones([4, 3]), tf.ones([4, 2]), { verbose: 0 });
      await m.saveWeights(path.join(dir, 'seed.weights.h5'));
      return path.join(dir, 'seed.weights.h5');
    },
    parse: (file) => smallModel().loadWeights(file),
  },
  checkpoint_index: {
    async seed(dir) {
      await smallModel().saveWeights(path.join(dir, 'seed'));
      return path.join(dir, 'seed.index');
    },
    async parse(file) {
      readCheckpointIndex(file.replace(/\.index$/, ''));
    },
  },
  saved_model_pb: {
    async seed(dir) {
      smallModel().export(path.join(dir, 'sm'), { verbose: false });
      return path.join(dir, 'sm', 'saved_model.pb');
    },
    async parse(file) {
      tf.savedModel.load(path.dirname(file)).dispose();
    },
  },
  event_file: {
    async seed(dir) {
      const writer = tf.summary.createFileWriter(path.join(dir, 'logs'));
      for (let step = 0; step < 5; step++) writer.scalar('loss', 1 / (step + 1), step);
      writer.close();
      const [name] = fs.readdirSync(path.join(dir, 'logs'));
      return path.join(dir, 'logs', name);
    },
    async parse(file) {
      tf.summary.readEventFile(file);
    },
  },
};

async function main(): Promise<void> {
  const [name, seedText, triesText] = process.argv.slice(2);
  const parser = PARSERS[name];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fuzz-${name}-`));
  const file = await parser.seed(dir);
  const original = fs.readFileSync(file);
  const random = generator(Number(seedText));
  const summary = { parser: name, tries: 0, loads: 0, errors: {} as Record<string, number>, untyped: [] as string[] };
  const only = process.env.FUZZ_ONLY === undefined ? undefined : Number(process.env.FUZZ_ONLY);
  for (let i = 0; i < Number(triesText); i++) {
    const damaged = damage(original, random);
    if (only !== undefined && i !== only) continue;
    if (process.env.FUZZ_FROM !== undefined && i < Number(process.env.FUZZ_FROM)) continue;
    if (process.env.FUZZ_TRACE) process.stderr.write(`try ${i}\n`);
    fs.writeFileSync(file, damaged);
    if (process.env.FUZZ_KEEP) fs.writeFileSync(process.env.FUZZ_KEEP, damaged);
    summary.tries += 1;
    try {
      await parser.parse(file, dir);
      summary.loads += 1;
    } catch (e) {
      const error = e as Error;
      const kind = error?.name ?? typeof e;
      summary.errors[kind] = (summary.errors[kind] ?? 0) + 1;
      if (!TYPED.has(kind) && summary.untyped.length < 5)
        summary.untyped.push(`try ${i}: ${kind}: ${String(error?.message).slice(0, 200)}`);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify(summary));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
