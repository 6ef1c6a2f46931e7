// h5wasm (HDF5 compiled to WebAssembly, reading and writing local files through Node's fs), loaded
// once. It is an ES module only, so it is imported by its file URL: TypeScript would turn a plain
// import() into require() under CommonJS.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { pathToFileURL } from 'node:url';

export type H5Wasm = typeof import('h5wasm');

const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

let loading: Promise<H5Wasm> | undefined;

/** The node build's entry file, searched along require's node_modules paths (its package exports name no CommonJS entry). */
function entryFile(): string {
  for (const dir of require.resolve.paths('h5wasm') ?? []) {
    const file = nodePath.join(dir, 'h5wasm', 'dist', 'node', 'hdf5_hl.js');
    if (fs.existsSync(file)) return file;
  }
  throw new Error('The npm package h5wasm is not installed: it is needed to read and write .weights.h5 and .keras files.');
}

/** The h5wasm module, ready to open files. */
export function loadH5Wasm(): Promise<H5Wasm> {
  loading ??= (async () => {
    const h5 = (await importModule(pathToFileURL(entryFile()).href)) as H5Wasm;
    await h5.ready;
    // HDF5's errors become JS exceptions instead of diagnostics printed to stderr.
    h5.Module.activate_throwing_error_handler();
    return h5;
  })();
  return loading;
}
