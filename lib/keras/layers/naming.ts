// Keras' automatic object names: 'dense', then 'dense_1', 'dense_2', ... per prefix, process-wide.

const uids = new Map<string, number>();

/** Keras' `to_snake_case`: 'MaxPooling2D' → 'max_pooling2d', 'InputLayer' → 'input_layer'. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Keras' `auto_name(prefix)`: the prefix itself first, then prefix_1, prefix_2, ... */
export function autoName(prefix: string): string {
  const count = uids.get(prefix) ?? 0;
  uids.set(prefix, count + 1);
  return count === 0 ? prefix : `${prefix}_${count}`;
}
