// Keras 3's HDF5 weights layout (saving_lib.H5IOStore): each saveable's variables are the datasets
// '0', '1', ... of a group `<inner path>/vars` whose `name` attribute is the saveable's name, e.g.
// `layers/dense/vars/0` (the kernel), `optimizer/vars/0` (iterations), `vars` for the model itself.
import * as fs from 'node:fs';
import { DType, TypedArray, typedArrayFor } from '../../dtypes';
import { DataLossError, NotFoundError, PermissionDeniedError } from '../../errors';
import { loadH5Wasm } from './h5wasm';

/** One stored variable: its dtype, shape and values (row-major). */
export interface StoredArray {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

/** One saveable's group: its name attribute and its variables in order. */
export interface StoredEntry {
  name: string | null;
  values: StoredArray[];
}

/** Every `vars` group of a weights file, by its inner path ('' for the model, 'layers/dense', 'optimizer'). */
export type WeightsStore = Map<string, StoredEntry>;

/** HDF5 type codes by dtype (numpy's, as h5py writes them). */
const H5_DTYPES: Readonly<Partial<Record<DType, string>>> = {
  float32: '<f',
  float64: '<d',
  int8: '|b',
  uint8: '|B',
  int16: '<h',
  uint16: '<H',
  int32: '<i',
  uint32: '<I',
  int64: '<q',
  uint64: '<Q',
};

/** The dtype of a dataset's type code, by kind and size (byte order aside). */
function dtypeOf(code: string): DType | undefined {
  const bare = code.replace(/^[<>|=]/, '');
  for (const [dtype, h5] of Object.entries(H5_DTYPES) as [DType, string][]) if (h5.slice(1) === bare) return dtype;
  return undefined;
}

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Checks that `path` is a readable HDF5 file before h5wasm opens it: h5wasm opens a missing file
 * without an error (and fails later), and prints HDF5's diagnostics for a damaged one.
 */
function checkHdf5File(path: string): void {
  let head: Buffer;
  try {
    const fd = fs.openSync(path, 'r');
    try {
      head = Buffer.alloc(8);
      fs.readSync(fd, head, 0, 8, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`No such file: '${path}'`);
    if (code === 'EACCES') throw new PermissionDeniedError(`Cannot read '${path}': permission denied`);
    if (code === 'EISDIR') throw new NotFoundError(`'${path}' is a directory, not a weights file`);
    throw e;
  }
  if (!head.equals(HDF5_SIGNATURE))
    throw new DataLossError(`'${path}' is not an HDF5 file (no HDF5 signature): it is damaged or of another format`);
}

/** The innermost cause of an HDF5 error (its last 'minor:' line), not the whole diagnostic stack. */
function hdf5Reason(e: unknown): string {
  const message = String((e as Error)?.message ?? e);
  const minors = [...message.matchAll(/minor: (.*)/g)].map((m) => m[1].trim());
  return minors.length > 0 ? minors[minors.length - 1] : message.split('\n')[0];
}

/** Writes `store` to a new HDF5 file at `path` (replaced if present). */
export async function writeWeightsStore(path: string, store: WeightsStore): Promise<void> {
  const h5 = await loadH5Wasm();
  const file = new h5.File(path, 'w');
  try {
    const made = new Set<string>();
    const group = (groupPath: string) => {
      const parts = groupPath.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const sub = parts.slice(0, i).join('/');
        if (!made.has(sub)) {
          file.create_group(sub);
          made.add(sub);
        }
      }
      return file.get(groupPath) as InstanceType<typeof h5.Group>;
    };
    for (const [innerPath, entry] of store) {
      const vars = group(innerPath === '' ? 'vars' : `${innerPath}/vars`);
      if (entry.name !== null) vars.create_attribute('name', entry.name);
      entry.values.forEach((value, i) => {
        const code = H5_DTYPES[value.dtype];
        if (code === undefined) throw new TypeError(`Cannot save a ${value.dtype} variable in a .weights.h5 file`);
        vars.create_dataset({ name: String(i), data: value.data as never, shape: value.shape, dtype: code });
      });
    }
  } finally {
    file.close();
  }
}

/** Reads every `vars` group of the HDF5 weights file at `path` into memory. */
export async function readWeightsStore(path: string): Promise<WeightsStore> {
  checkHdf5File(path);
  const h5 = await loadH5Wasm();
  let file: InstanceType<typeof h5.File>;
  try {
    file = new h5.File(path, 'r');
  } catch (e) {
    throw new DataLossError(`Cannot open '${path}' as an HDF5 file (damaged or truncated): ${hdf5Reason(e)}`);
  }
  const corrupt = (why: string) => new DataLossError(`'${path}' is not a Keras weights file: ${why}`);
  const store: WeightsStore = new Map();
  try {
    for (const full of file.paths()) {
      const inner = full.replace(/^\//, '');
      if (!(inner === 'vars' || inner.endsWith('/vars'))) continue;
      const group = file.get(inner);
      if (!(group instanceof h5.Group)) continue;
      const nameAttr = group.attrs.name?.value;
      const keys = group.keys();
      const values: StoredArray[] = [];
      for (let i = 0; i < keys.length; i++) {
        const dataset = group.get(String(i));
        if (!(dataset instanceof h5.Dataset)) throw corrupt(`group '${inner}' has no dataset '${i}' among its ${keys.length} entries`);
        const dtype = dtypeOf(dataset.dtype as string);
        if (dtype === undefined) throw corrupt(`dataset '${inner}/${i}' has the unsupported type ${JSON.stringify(dataset.dtype)}`);
        const shape = [...(dataset.shape ?? [])];
        const value = dataset.value;
        // A scalar dataset reads as a plain number or bigint.
        const data = typeof value === 'number' || typeof value === 'bigint' ? typedArrayFor(dtype)?.from([value]) : value;
        if (!ArrayBuffer.isView(data) || data.length !== shape.reduce((a, b) => a * b, 1)) {
          throw corrupt(`dataset '${inner}/${i}' does not hold ${shape.reduce((a, b) => a * b, 1)} numbers of shape [${shape.join(', ')}]`);
        }
        values.push({ dtype, shape, data: data as TypedArray });
      }
      store.set(inner === 'vars' ? '' : inner.slice(0, -'/vars'.length), { name: typeof nameAttr === 'string' ? nameAttr : null, values });
    }
  } catch (e) {
    // HDF5's own errors mean a damaged file (a truncated dataset, a bad group).
    throw e instanceof DataLossError ? e : corrupt(hdf5Reason(e));
  } finally {
    try {
      file.close();
    } catch {
      // Closing a damaged file can fail too; what was read is already checked.
    }
  }
  return store;
}
