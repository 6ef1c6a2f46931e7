#!/usr/bin/env node
// @ts-check
'use strict';
// Generates lib/ops/generated/: one typed wrapper per op in libtensorflow's registry (Python's
// tf.raw_ops, exposed as tf.rawOps). Plain JavaScript so it runs without a TypeScript build.
//
//   node scripts/generate-ops.js     rewrites lib/ops/generated/ from the built addon's opList()
//
// Wrapper rules (the generated files' contract with their callers):
//   - function name: the op's registered name (MatMul); ops with a ref input/output and ops whose
//     name starts with '_' are left out;
//   - one options object; its keys are the OpDef's arg and attr names in camelCase: each '_' before
//     a lowercase letter or digit is dropped and that character upper-cased (transpose_a ->
//     transposeA, T_threshold -> TThreshold); other names (T, Tidx, RAGGED_RANK) stay as they are;
//   - inputs are required (TensorLike, or readonly TensorLike[] for list args); attrs TF infers from
//     the inputs (type_attr, number_attr and type_list_attr of an input arg) are left out; other
//     attrs are required unless the OpDef gives a default (documented with @default);
//   - `name?: string` names the op (`opName` instead when the op has an arg or attr called name);
//   - result: void (no outputs), Tensor (one output), Tensor[] (one list output), or an object
//     keyed by the camelCased output names.

const fs = require('node:fs');
const path = require('node:path');
const protobuf = require('protobufjs');

const REPO_ROOT = path.join(__dirname, '..');
const OUT_DIR = 'lib/ops/generated';
/** Files beyond this size are split further, to keep editors and tsc comfortable. */
const MAX_FILE_BYTES = 800 * 1024;

/** TF's DataType enum names -> lib/dtypes.ts names (types missing there are not offered). */
const DTYPE_OF = {
  DT_FLOAT: 'float32',
  DT_DOUBLE: 'float64',
  DT_INT32: 'int32',
  DT_UINT8: 'uint8',
  DT_INT16: 'int16',
  DT_INT8: 'int8',
  DT_STRING: 'string',
  DT_COMPLEX64: 'complex64',
  DT_INT64: 'int64',
  DT_BOOL: 'bool',
  DT_QINT8: 'qint8',
  DT_QUINT8: 'quint8',
  DT_QINT32: 'qint32',
  DT_BFLOAT16: 'bfloat16',
  DT_QINT16: 'qint16',
  DT_QUINT16: 'quint16',
  DT_UINT16: 'uint16',
  DT_COMPLEX128: 'complex128',
  DT_HALF: 'float16',
  DT_RESOURCE: 'resource',
  DT_VARIANT: 'variant',
  DT_UINT32: 'uint32',
  DT_UINT64: 'uint64',
};

/** Names the generated files import; an op of the same name would shadow them. */
const RESERVED = new Set(['Tensor', 'TensorLike', 'DType', 'callOp']);

/** @param {string} name */
function camel(name) {
  return name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/** @param {string} key */
function propertyKey(key) {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

/** A single-quoted TS string literal. @param {string} text */
function quote(text) {
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** @param {Uint8Array} bytes */
function utf8(bytes) {
  return Buffer.from(bytes).toString('utf8');
}

/** The shortest decimal that reads back as the same float32 (0.001, not 0.0010000000474974513). */
function float32Text(/** @type {number} */ f) {
  if (!Number.isFinite(f)) return String(f);
  for (let digits = 1; digits < 17; digits++) {
    const text = Number(f.toPrecision(digits));
    if (Math.fround(text) === Math.fround(f)) return String(text);
  }
  return String(f);
}

/** Decodes a serialized tensorflow.OpList with the vendored op_def.proto. */
function decodeOpList(/** @type {Uint8Array} */ bytes) {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(REPO_ROOT, 'proto', target);
  root.loadSync('tensorflow/core/framework/op_def.proto');
  const OpList = root.resolveAll().lookupType('tensorflow.OpList');
  const list = OpList.toObject(OpList.decode(bytes), {
    longs: Number,
    enums: String,
    defaults: true,
    arrays: true,
    oneofs: true,
  });
  return /** @type {any[]} */ (list.op);
}

/** @param {string | number} dt */
function dtypeLiteral(dt) {
  const name = DTYPE_OF[/** @type {keyof typeof DTYPE_OF} */ (dt)];
  return name === undefined ? undefined : `'${name}'`;
}

/**
 * The TS type of one value of an attr kind ('int', 'type', ...), narrowed by allowed_values.
 * @param {string} kind
 * @param {any} allowed the AttrDef's allowed_values.list, or null
 */
function scalarType(kind, allowed) {
  switch (kind) {
    case 'int':
    case 'float':
      return 'number';
    case 'bool':
      return 'boolean';
    case 'type': {
      if (!allowed) return 'DType';
      const names = allowed.type.map(dtypeLiteral).filter(Boolean);
      return names.length ? names.join(' | ') : 'never';
    }
    case 'shape':
      return 'readonly number[] | null';
    case 'string':
      return allowed ? allowed.s.map((/** @type {Uint8Array} */ s) => quote(utf8(s))).join(' | ') : 'string';
    case 'tensor':
      return 'TensorLike';
    case 'func':
      return 'string';
    default:
      throw new Error(`unsupported attr kind '${kind}'`);
  }
}

/** @param {string} kind @param {any} allowedValues */
function attrType(kind, allowedValues) {
  const list = kind.match(/^list\((.*)\)$/);
  const allowed = allowedValues?.list;
  if (!list) return scalarType(kind, allowed);
  const item = scalarType(list[1], allowed);
  return /[ |]/.test(item) ? `readonly (${item})[]` : `readonly ${item}[]`;
}

/** @param {any} shape TensorShapeProto object */
function shapeText(shape) {
  return shape.unknownRank ? 'null' : `[${shape.dim.map((/** @type {any} */ d) => d.size).join(', ')}]`;
}

/** An attr default as the TS value a caller would pass. @param {string} kind @param {any} v */
function valueText(kind, v) {
  switch (kind) {
    case 'int':
      return String(v.i);
    case 'float':
      return float32Text(v.f);
    case 'bool':
      return String(v.b);
    case 'type':
      return dtypeLiteral(v.type) ?? v.type;
    case 'shape':
      return shapeText(v.shape);
    case 'string':
      return quote(utf8(v.s));
    case 'func':
      return quote(v.func.name);
    case 'tensor':
      return `<${dtypeLiteral(v.tensor.dtype) ?? v.tensor.dtype} tensor of shape ${shapeText(v.tensor.tensorShape)}>`;
    default: {
      const item = kind.slice(5, -1);
      const field = { int: 'i', float: 'f', bool: 'b', type: 'type', shape: 'shape', string: 's', tensor: 'tensor', func: 'func' }[item];
      if (field === undefined) throw new Error(`unsupported attr kind '${kind}'`);
      const items = v.list[field].map((/** @type {any} */ x) => valueText(item, { [field]: x }));
      return `[${items.join(', ')}]`;
    }
  }
}

/** A JSDoc block (indented) from paragraphs; empty when there is nothing to say. */
function jsdoc(/** @type {string} */ indent, /** @type {(string | undefined)[]} */ paragraphs) {
  const text = paragraphs.filter(Boolean).join('\n\n').replace(/\*\//g, '*\\/').trim();
  if (!text) return '';
  if (!text.includes('\n') && indent.length + text.length < 90) return `${indent}/** ${text} */\n`;
  const lines = text.split('\n').map((line) => (line ? `${indent} * ${line}` : `${indent} *`));
  return `${indent}/**\n${lines.join('\n')}\n${indent} */\n`;
}

/**
 * The wrapper source for one op, and which imported type names it uses.
 * @param {any} op
 * @returns {{ text: string, uses: Set<string> }}
 */
function wrapper(op) {
  const isList = (/** @type {any} */ arg) => Boolean(arg.numberAttr || arg.typeListAttr);
  const inferred = new Set(op.inputArg.flatMap((/** @type {any} */ a) => [a.typeAttr, a.numberAttr, a.typeListAttr]).filter(Boolean));
  const attrs = op.attr.filter((/** @type {any} */ a) => !inferred.has(a.name));
  const keys = [...op.inputArg, ...attrs].map((a) => camel(a.name));
  if (new Set(keys).size !== keys.length) throw new Error(`${op.name}: two args share a camelCase key`);
  const nameKey = keys.includes('name') ? 'opName' : 'name';
  const required = op.inputArg.length > 0 || attrs.some((/** @type {any} */ a) => a.defaultValue === null);

  const members = [];
  for (const arg of op.inputArg) {
    members.push(
      jsdoc('  ', [arg.description]) + `  ${propertyKey(camel(arg.name))}: ${isList(arg) ? 'readonly TensorLike[]' : 'TensorLike'};`,
    );
  }
  for (const attr of attrs) {
    const optional = attr.defaultValue !== null;
    const doc = jsdoc('  ', [attr.description, optional ? `@default ${valueText(attr.type, attr.defaultValue)}` : undefined]);
    members.push(doc + `  ${propertyKey(camel(attr.name))}${optional ? '?' : ''}: ${attrType(attr.type, attr.allowedValues)};`);
  }
  members.push(`  /** A name for the op${nameKey === 'name' ? '' : ' (`name` is one of its args)'}. */\n  ${nameKey}?: string;`);

  const outputs = op.outputArg;
  let result;
  if (outputs.length === 0) result = 'void';
  else if (outputs.length === 1) result = isList(outputs[0]) ? 'Tensor[]' : 'Tensor';
  else {
    result = `{ ${outputs.map((/** @type {any} */ o) => `${propertyKey(camel(o.name))}: ${isList(o) ? 'Tensor[]' : 'Tensor'}`).join('; ')} }`;
  }

  const list = (/** @type {string[]} */ items) => `[${items.map((s) => `'${s}'`).join(', ')}]`;
  const call = [
    `'${op.name}'`,
    'args',
    list(op.inputArg.map((/** @type {any} */ a) => a.name)),
    list(attrs.map((/** @type {any} */ a) => `${a.name}:${a.type}`)),
    list(outputs.map((/** @type {any} */ o) => (isList(o) ? `${o.name}*` : o.name))),
    ...(nameKey === 'name' ? [] : [`'${nameKey}'`]),
  ].join(', ');

  const outputDocs = outputs
    .filter((/** @type {any} */ o) => o.description)
    .map((/** @type {any} */ o) => `${outputs.length > 1 ? `\`${camel(o.name)}\`: ` : ''}${o.description}`);
  const doc = jsdoc('', [
    op.summary,
    op.description,
    op.deprecation
      ? `@deprecated ${op.deprecation.explanation} (not allowed in GraphDefs from version ${op.deprecation.version} on)`
      : undefined,
    outputDocs.length ? `@returns ${outputDocs.join('\n')}` : undefined,
  ]);
  const attrKinds = attrs.map((/** @type {any} */ a) => a.type.replace(/^list\((.*)\)$/, '$1'));
  const uses = new Set();
  if (op.inputArg.length || attrKinds.includes('tensor')) uses.add('TensorLike');
  if (attrs.some((/** @type {any} */ a, /** @type {number} */ i) => attrKinds[i] === 'type' && !a.allowedValues)) uses.add('DType');
  if (outputs.length) uses.add('Tensor');
  return {
    text:
      `export interface ${op.name}Args {\n${members.join('\n')}\n}\n\n` +
      doc +
      `export function ${op.name}(args: ${op.name}Args${required ? '' : ' = {}'}): ${result} {\n` +
      `  return callOp(${call});\n}\n`,
    uses,
  };
}

/** The shared runner every wrapper calls; fixed text, generated so the folder is self-contained. */
const CALL_OP = `import type { Tensor, TensorLike } from '../../tensor';
import { runOp, type AttrKind, type OpAttr } from '../run_op';

/** The wrappers' key rule: '_' + lowercase letter or digit becomes that character upper-cased. */
function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Runs a wrapper's op. \`attrs\` are 'tf_name:kind' (passed on only when the caller gave them);
 * \`outputs\` ending in '*' are list args. The result has the shape of the wrapper's declared
 * return type (void, Tensor, Tensor[] or an object of outputs), which infers R.
 */
export function callOp<R>(
  type: string,
  args: object,
  inputs: readonly string[],
  attrs: readonly string[],
  outputs: readonly string[],
  nameKey = 'name',
): R {
  const given = args as Record<string, unknown>;
  const opAttrs: OpAttr[] = [];
  for (const spec of attrs) {
    const colon = spec.indexOf(':');
    const value = given[camel(spec.slice(0, colon))];
    if (value !== undefined) opAttrs.push([spec.slice(0, colon), spec.slice(colon + 1) as AttrKind, value]);
  }
  const names = outputs.map((o) => o.replace('*', ''));
  const result = runOp({
    type,
    inputs: inputs.map((i) => given[camel(i)] as TensorLike | readonly TensorLike[]),
    attrs: opAttrs,
    outputs: names,
    name: given[nameKey] as string | undefined,
  });
  const pick = (i: number): Tensor | Tensor[] => (outputs[i].endsWith('*') ? result[i] : result[i][0]);
  if (outputs.length === 0) return undefined as R;
  if (outputs.length === 1) return pick(0) as R;
  return Object.fromEntries(names.map((n, i) => [camel(n), pick(i)])) as R;
}
`;

/**
 * All files of lib/ops/generated/, keyed by path relative to the repository root.
 * @param {Uint8Array} opListBytes a serialized tensorflow.OpList (the addon's opList())
 * @param {string} tfVersion libtensorflow's version, for the header
 * @returns {Map<string, string>}
 */
/**
 * The OpDef's attr checks, for eager ops (graph mode has TF run them): per attr 'name:kind', then
 * '!' when the caller must give it (no default, and no input it is inferred from), '@min' for
 * has_minimum (an int's least value, a list's least length), '=a|b|c' for allowed_values (dtype
 * names as lib/dtypes.ts spells them, or strings).
 * @param {any} op
 */
function attrRules(op) {
  const inferred = new Set(op.inputArg.flatMap((/** @type {any} */ a) => [a.typeAttr, a.numberAttr, a.typeListAttr]).filter(Boolean));
  return op.attr
    .map((/** @type {any} */ attr) => {
      let rule = `${attr.name}:${attr.type}`;
      if (attr.defaultValue === null && !inferred.has(attr.name)) rule += '!';
      if (attr.hasMinimum) rule += `@${attr.minimum}`;
      const allowed = attr.allowedValues?.list;
      if (allowed) {
        const values =
          attr.type.endsWith('type)') || attr.type === 'type'
            ? allowed.type.map((/** @type {string} */ t) => DTYPE_OF[/** @type {keyof typeof DTYPE_OF} */ (t)]).filter(Boolean)
            : allowed.s.map(utf8);
        for (const v of values) if (/[ |]/.test(v)) throw new Error(`${op.name}.${attr.name}: allowed value '${v}' has a ' ' or '|'`);
        rule += `=${values.join('|')}`;
      }
      return rule;
    })
    .join(' ');
}

/**
 * What runOp needs of each op, so that nothing decodes the registry at run time: per arg its name,
 * then '=dtype' (fixed type), ':T' (type attr), '*N' (number attr) or '+T' (type-list attr); and
 * the attr rules of attrRules().
 * @param {any[]} ops
 */
function signatures(ops) {
  /** @param {any} arg */
  const argText = (arg) => {
    const fixed = DTYPE_OF[/** @type {keyof typeof DTYPE_OF} */ (arg.type)];
    return (
      arg.name +
      (fixed ? `=${fixed}` : '') +
      (arg.typeAttr ? `:${arg.typeAttr}` : '') +
      (arg.numberAttr ? `*${arg.numberAttr}` : '') +
      (arg.typeListAttr ? `+${arg.typeListAttr}` : '')
    );
  };
  /** @param {any[]} args */
  const list = (args) => quote(args.map(argText).join(' '));
  const rows = ops.map(
    (op) => `  ${op.name}: [${list(op.inputArg)}, ${list(op.outputArg)}, ${op.isStateful ? 1 : 0}, ${quote(attrRules(op))}],\n`,
  );
  return (
    '// Per op: input args, output args, stateful, attrs. An arg is its name, then =dtype (fixed type),\n' +
    '// :attr (type attr), *attr (number attr) or +attr (type-list attr). An attr is name:kind, then\n' +
    '// ! (required: no default, not inferred from an input), @min (least value or list length) and\n' +
    '// =a|b (allowed values).\n' +
    'export const OP_SIGNATURES: Readonly<Record<string, readonly [string, string, 0 | 1, string]>> = {\n' +
    rows.join('') +
    '};\n'
  );
}

function generate(opListBytes, tfVersion) {
  const header =
    `// Generated by scripts/generate-ops.js from the op registry of libtensorflow ${tfVersion}.\n` +
    '// Do not edit by hand: run `node scripts/generate-ops.js` to regenerate.\n\n';
  const ops = decodeOpList(opListBytes)
    .filter((op) => !op.name.startsWith('_'))
    .filter((op) => ![...op.inputArg, ...op.outputArg].some((a) => a.isRef))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const exported = new Set();
  for (const op of ops) {
    for (const name of [op.name, `${op.name}Args`]) {
      if (exported.has(name) || RESERVED.has(name)) throw new Error(`generated name '${name}' is not unique`);
      exported.add(name);
    }
  }

  /** @type {Map<string, { text: string, uses: Set<string> }[]>} */
  const byLetter = new Map();
  for (const op of ops) {
    const letter = op.name[0].toLowerCase();
    byLetter.set(letter, [...(byLetter.get(letter) ?? []), wrapper(op)]);
  }

  const files = new Map([[`${OUT_DIR}/call_op.ts`, header + CALL_OP]]);
  /** @type {string[]} */
  const modules = [];
  for (const [letter, wrappers] of byLetter) {
    // Chunks under MAX_FILE_BYTES: raw_ops_s.ts, or raw_ops_s1.ts, raw_ops_s2.ts, ... when larger.
    const chunks = [[wrappers[0]]];
    let size = wrappers[0].text.length;
    for (const w of wrappers.slice(1)) {
      size += w.text.length + 1;
      if (size > MAX_FILE_BYTES) {
        chunks.push([]);
        size = w.text.length;
      }
      chunks[chunks.length - 1].push(w);
    }
    chunks.forEach((chunk, i) => {
      const module = `raw_ops_${letter}${chunks.length > 1 ? i + 1 : ''}`;
      // Only the types the chunk uses: strict noUnusedLocals rejects the rest.
      const uses = new Set(chunk.flatMap((w) => [...w.uses]));
      const tensorTypes = ['Tensor', 'TensorLike'].filter((t) => uses.has(t));
      const imports =
        (uses.has('DType') ? "import type { DType } from '../../dtypes';\n" : '') +
        (tensorTypes.length ? `import type { ${tensorTypes.join(', ')} } from '../../tensor';\n` : '') +
        "import { callOp } from './call_op';\n\n";
      files.set(`${OUT_DIR}/${module}.ts`, header + imports + chunk.map((w) => w.text).join('\n'));
      modules.push(module);
    });
  }
  files.set(`${OUT_DIR}/op_signatures.ts`, header + signatures(ops));
  const index = modules.map((m) => `export * from './${m}';\n`).join('');
  files.set(`${OUT_DIR}/index.ts`, header + "// The namespace tf.rawOps: one wrapper per op, as Python's tf.raw_ops.\n" + index);
  return files;
}

function main() {
  /** @type {{ opList(): Uint8Array; version(): string }} */
  const addon = require('node-gyp-build')(REPO_ROOT);
  const files = generate(addon.opList(), addon.version());
  const dir = path.join(REPO_ROOT, OUT_DIR);
  fs.mkdirSync(dir, { recursive: true });
  for (const stale of fs.readdirSync(dir)) {
    if (!files.has(`${OUT_DIR}/${stale}`)) fs.rmSync(path.join(dir, stale), { recursive: true });
  }
  for (const [file, text] of files) fs.writeFileSync(path.join(REPO_ROOT, file), text);
  console.log(`wrote ${files.size} files to ${OUT_DIR}/`);
}

module.exports = { generate, camel, DTYPE_OF };

if (require.main === module) main();
