// tf.device: ops created inside `body` are placed on `name` (eagerly and when tracing).
import { context } from './context';

export function device<T>(name: string, body: () => T): T {
  // TF parses the name itself when the first op is placed, and rejects bad ones there.
  if (typeof name !== 'string') throw new TypeError(`A device name is a string, got ${typeof name}`);
  return context.withDevice(name, body);
}
