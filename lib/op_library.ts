// tf-napi's custom-op library (tf_napi_ops.so, built from native/ops/ where TF's C++ headers were
// provisioned), loaded with TF_LoadLibrary through the small tf_napi_op_loader.node binding when
// the addon loads. Everything here is policy: where the files are, what a missing or refused
// library means (the ops are simply unavailable, and callers use TF's own kernels), and which
// device types and dtypes have kernels.
//
// TF_NAPI_OP_LIBRARY: unset or '1' loads the library built with the addon; '0' loads none; any
// other value is the path of the library to load instead.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import { DType, dtypeToEnum } from './dtypes';
import { createError } from './errors';
import { PACKAGE_ROOT } from './loader';

export const OP_LIBRARY_FILE = 'tf_napi_ops.so';
const LOADER_FILE = 'tf_napi_op_loader.node';

type Failure = { code: number; message: string };
interface LoaderBinding {
  loadLibrary(path: string): { opList: Buffer } | Failure;
  registeredKernels(op: string): Buffer | Failure;
}

export interface OpLibraryStatus {
  /** Whether the library is loaded and its ops registered. */
  loaded: boolean;
  /** The library file tried (or loaded). */
  path: string | null;
  /** The ops it registered. */
  ops: string[];
  /** Why it is not loaded: not built, disabled, or TF's refusal. */
  reason?: string;
}

/** Folders the addon is found in, in node-gyp-build's order; the op library sits beside it. */
function addonFolders(root: string): string[] {
  return [
    path.join(root, 'build', 'Release'),
    path.join(root, 'build', 'Debug'),
    path.join(root, 'prebuilds', `${process.platform}-${process.arch}`),
  ];
}

function firstExisting(files: string[]): string | null {
  return files.find((f) => fs.existsSync(f)) ?? null;
}

function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

let loader: LoaderBinding | null = null;
let status: OpLibraryStatus | undefined;

function loadLoader(root: string): LoaderBinding | string {
  const file = firstExisting(addonFolders(root).map((dir) => path.join(dir, LOADER_FILE)));
  if (!file) return `no ${LOADER_FILE} beside the addon`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as LoaderBinding;
  } catch (e) {
    return `${file} did not load: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Loads the op library once per process (TF cannot unload one); later calls return the same status. */
export function loadOpLibrary(root: string = PACKAGE_ROOT, env: NodeJS.ProcessEnv = process.env): OpLibraryStatus {
  if (status) return status;
  const setting = env.TF_NAPI_OP_LIBRARY;
  if (setting === '0') {
    status = { loaded: false, path: null, ops: [], reason: 'disabled by TF_NAPI_OP_LIBRARY=0' };
    return status;
  }
  const file =
    setting && setting !== '1' ? path.resolve(setting) : firstExisting(addonFolders(root).map((dir) => path.join(dir, OP_LIBRARY_FILE)));
  if (!file || !fs.existsSync(file)) {
    status = {
      loaded: false,
      path: file,
      ops: [],
      reason: file
        ? `${file} does not exist`
        : `no ${OP_LIBRARY_FILE} beside the addon (it is built only where TF's C++ headers were provisioned)`,
    };
    return status;
  }
  const binding = loadLoader(root);
  if (typeof binding === 'string') {
    status = { loaded: false, path: file, ops: [], reason: binding };
    return status;
  }
  const result = binding.loadLibrary(file);
  if (isFailure(result)) {
    const error = createError(result.code, result.message);
    status = { loaded: false, path: file, ops: [], reason: `TF_LoadLibrary(${file}) failed: ${error.name}: ${error.message}` };
    // A library that is there but refused is a broken build, worth a word; a missing one is not.
    process.emitWarning(`tf-napi: the custom-op library was not loaded; TF's own kernels are used instead. ${status.reason}`);
    return status;
  }
  loader = binding;
  status = { loaded: true, path: file, ops: decodeOpNames(result.opList), reason: undefined };
  return status;
}

/** The op library's state (loading it first if nothing has yet). */
export function opLibraryStatus(): OpLibraryStatus {
  return status ?? loadOpLibrary();
}

export interface KernelInfo {
  deviceType: string;
  /** Per constrained type attr, the dtypes (as TF enums) the kernel takes. */
  typeConstraints: Record<string, number[]>;
}

const kernelCache = new Map<string, KernelInfo[]>();

/** The kernels registered for `op` (any op, from any library), from TF's KernelList. */
export function registeredKernels(op: string): KernelInfo[] {
  let kernels = kernelCache.get(op);
  if (kernels) return kernels;
  if (!loader) return [];
  const bytes = loader.registeredKernels(op);
  if (isFailure(bytes)) throw createError(bytes.code, bytes.message);
  kernels = decodeKernelList(bytes);
  kernelCache.set(op, kernels);
  return kernels;
}

/** Whether `op` has a kernel for `deviceType` ('CPU', 'GPU') taking `dtype` for its type attr `attr`. */
export function hasKernel(op: string, deviceType: string, attr: string, dtype: DType): boolean {
  const wanted = dtypeToEnum(dtype);
  return registeredKernels(op).some(
    (k) => k.deviceType === deviceType && (k.typeConstraints[attr] === undefined || k.typeConstraints[attr].includes(wanted)),
  );
}

// Hand-decoded protobuf (a few fields; no .proto parsing at load time):
//   OpList { repeated OpDef op = 1 }, OpDef { string name = 1 };
//   KernelList { repeated KernelDef kernel = 1 }, KernelDef { string device_type = 2; repeated AttrConstraint constraint = 3 },
//   AttrConstraint { string name = 1; AttrValue allowed_values = 2 }, AttrValue { ListValue list = 1 },
//   ListValue { repeated DataType type = 6 (packed) }.
const LEN = 2;
const VARINT = 0;

/** Calls onField(field number, wire type, reader) for each field of the message in `bytes`. */
function fields(bytes: Uint8Array, onField: (field: number, wire: number, r: protobuf.Reader) => boolean): void {
  const r = protobuf.Reader.create(bytes);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (!onField(tag >>> 3, tag & 7, r)) r.skipType(tag & 7);
  }
}

function decodeOpNames(bytes: Uint8Array): string[] {
  const names: string[] = [];
  fields(bytes, (f, w, r) => {
    if (f !== 1 || w !== LEN) return false;
    fields(r.bytes(), (g, w2, r2) => {
      if (g !== 1 || w2 !== LEN) return false;
      names.push(r2.string());
      return true;
    });
    return true;
  });
  return names;
}

function decodeTypeList(attrValue: Uint8Array): number[] {
  const types: number[] = [];
  fields(attrValue, (f, w, r) => {
    if (f !== 1 || w !== LEN) return false;
    fields(r.bytes(), (g, w2, r2) => {
      if (g !== 6) return false;
      if (w2 === LEN) {
        const end = r2.uint32() + r2.pos;
        while (r2.pos < end) types.push(r2.int32());
      } else if (w2 === VARINT) types.push(r2.int32());
      else return false;
      return true;
    });
    return true;
  });
  return types;
}

function decodeKernelList(bytes: Uint8Array): KernelInfo[] {
  const kernels: KernelInfo[] = [];
  fields(bytes, (f, w, r) => {
    if (f !== 1 || w !== LEN) return false;
    const kernel: KernelInfo = { deviceType: '', typeConstraints: {} };
    fields(r.bytes(), (g, w2, r2) => {
      if (g === 2 && w2 === LEN) kernel.deviceType = r2.string();
      else if (g === 3 && w2 === LEN) {
        let name = '';
        let allowed: number[] = [];
        fields(r2.bytes(), (h, w3, r3) => {
          if (h === 1 && w3 === LEN) name = r3.string();
          else if (h === 2 && w3 === LEN) allowed = decodeTypeList(r3.bytes());
          else return false;
          return true;
        });
        kernel.typeConstraints[name] = allowed;
      } else return false;
      return true;
    });
    kernels.push(kernel);
    return true;
  });
  return kernels;
}
