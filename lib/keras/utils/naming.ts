// Keras' naming utilities (keras/src/utils/naming.py), plus the map from Keras' snake_case config
// keys to our camelCase option names.

/** Keras' `object_name_uids`: how often each name has been handed out, process-wide. */
const uids = new Map<string, number>();

/** Keras' `to_snake_case`: 'MaxPooling2D' → 'max_pooling2d', 'InputLayer' → 'input_layer'. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Keras' `uniquify`: the name itself first, then name_1, name_2, ... */
export function uniquify(name: string): string {
  const count = uids.get(name) ?? 0;
  uids.set(name, count + 1);
  return count === 0 ? name : `${name}_${count}`;
}

/** Keras' `auto_name`: a class name (or prefix) snake_cased and made unique: 'Dense' → 'dense', 'dense_1', ... */
export function autoName(prefix: string): string {
  return uniquify(toSnakeCase(prefix));
}

/** `decay_steps` → `decaySteps`: Keras config keys to the options our constructors take. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}
