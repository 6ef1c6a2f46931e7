// Keras' registry of user objects (keras/src/saving/object_registration.py): classes and functions
// registered as 'package>name', so that deserialization finds them again.

/** A class (with `getConfig()` and a static `fromConfig()`) or a function, as the registry holds them. */
// biome-ignore lint/complexity/noBannedTypes: the registry holds classes and plain functions alike
export type KerasObject = Function;

const customObjects = new Map<string, KerasObject>();
/** Keras' custom_object_scope: names that deserialization resolves while a load runs (innermost last). */
const scopes: Readonly<Record<string, KerasObject>>[] = [];
const customNames = new Map<KerasObject, string>();

function isClass(value: KerasObject): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/**
 * Keras' `register_keras_serializable(package, name)`: returns a decorator that records a class or
 * function as `'<package>><name>'` (name defaults to its own). Use it as `@registerKerasSerializable()`
 * or call it: `registerKerasSerializable('MyPkg')(MySchedule)`.
 */
export function registerKerasSerializable(packageName = 'Custom', name: string | null = null) {
  return <T extends KerasObject>(target: T, _context?: unknown): T => {
    if (typeof target !== 'function') {
      throw new TypeError(`registerKerasSerializable() registers classes and functions. Received: ${String(target)}`);
    }
    const registeredName = `${packageName}>${name ?? target.name}`;
    const existing = customObjects.get(registeredName);
    if (existing !== undefined && existing !== target) {
      throw new RangeError(`${registeredName} has already been registered to ${existing.name}.`);
    }
    if (isClass(target) && typeof (target.prototype as { getConfig?: unknown }).getConfig !== 'function') {
      throw new TypeError('Cannot register a class that does not have a getConfig() method.');
    }
    customObjects.set(registeredName, target);
    customNames.set(target, registeredName);
    return target;
  };
}

/** Keras' `get_registered_name`: the 'package>name' of a registered object, else its own name. */
export function getRegisteredName(obj: KerasObject): string {
  return customNames.get(obj) ?? obj.name;
}

/**
 * Keras' `get_registered_object`: the object registered as `name`, else the one `customObjects` or
 * `moduleObjects` (a family's built-ins by name) give for it; undefined when none does.
 */
export function getRegisteredObject(
  name: string,
  customObjectsArg?: Readonly<Record<string, KerasObject>> | null,
  moduleObjects?: ReadonlyMap<string, KerasObject> | null,
): KerasObject | undefined {
  const registered = customObjects.get(name);
  if (registered !== undefined) return registered;
  if (customObjectsArg && Object.hasOwn(customObjectsArg, name)) return customObjectsArg[name];
  for (let i = scopes.length - 1; i >= 0; i--) if (Object.hasOwn(scopes[i], name)) return scopes[i][name];
  return moduleObjects?.get(name);
}

/** Keras' `custom_object_scope(objects)`: runs `body` with `objects` resolvable by name in every deserialization it makes. */
export function customObjectScope<T>(objects: Readonly<Record<string, KerasObject>>, body: () => T): T {
  scopes.push(objects);
  try {
    return body();
  } finally {
    scopes.pop();
  }
}
