import * as fs from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT, binding } from './native';

/** TensorFlow's version (of the linked libtensorflow) and this package's. */
export const version: { readonly tensorflow: string; readonly tfNapi: string } = Object.freeze({
  tensorflow: binding.version(),
  tfNapi: JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version as string,
});
