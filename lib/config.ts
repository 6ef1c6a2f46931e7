// tf.config: devices and threading, as in Python.
import { binding } from './native';
import { encodeConfigProto } from './proto';
import { runtime } from './runtime';

export interface PhysicalDevice {
  /** '/physical_device:CPU:0', as Python names it. */
  name: string;
  deviceType: string;
}

/** Python's tf.config.list_physical_devices(device_type=None). */
export function listPhysicalDevices(deviceType?: string): PhysicalDevice[] {
  // The host is one physical CPU however it is split; listing it needs no eager context, so it can
  // be passed to setLogicalDeviceConfiguration before TensorFlow starts (as in Python).
  const cpu = { name: '/physical_device:CPU:0', deviceType: 'CPU' };
  if (deviceType?.toUpperCase() === 'CPU') return [cpu];
  const others = binding
    .eagerListDevices()
    .filter((d) => d.type !== 'CPU')
    .map((d) => ({ name: `/physical_device:${d.name.split('/device:')[1] ?? d.name}`, deviceType: d.type }));
  return [cpu, ...others].filter((d) => deviceType === undefined || d.deviceType === deviceType.toUpperCase());
}

let threads: { intraOpParallelismThreads?: number; interOpParallelismThreads?: number } = {};
/** Logical devices per type (device_count), set by setLogicalDeviceConfiguration. */
let deviceCount: Record<string, number> | undefined;

/** The eager context's and the runtime session's config, before TensorFlow starts. */
function configure(late: Error, nextThreads: typeof threads, nextDeviceCount: typeof deviceCount): void {
  const options = { ...nextThreads, ...(nextDeviceCount ? { deviceCount: nextDeviceCount } : {}) };
  const config = encodeConfigProto(options);
  if (runtime.started) throw late;
  try {
    binding.eagerConfigure(config);
  } catch {
    throw late;
  }
  runtime.configure(options);
  threads = nextThreads;
  deviceCount = nextDeviceCount;
}

function setThreads(what: string, options: typeof threads): void {
  configure(new Error(`${what} cannot be modified after initialization.`), { ...threads, ...options }, deviceCount);
}

export interface LogicalDevice {
  /** '/device:CPU:0', as Python names it. */
  name: string;
  deviceType: string;
}

/** Python's tf.config.list_logical_devices(device_type=None): the devices ops can be placed on. */
export function listLogicalDevices(deviceType?: string): LogicalDevice[] {
  return binding
    .eagerListDevices()
    .map((d) => ({ name: `/device:${d.name.split('/device:')[1] ?? d.name}`, deviceType: d.type }))
    .filter((d) => deviceType === undefined || d.deviceType === deviceType.toUpperCase());
}

/** Python's tf.config.LogicalDeviceConfiguration; a memory limit applies to GPUs only, which this does not split. */
export type LogicalDeviceConfiguration = Record<string, never>;

/**
 * Python's tf.config.set_logical_device_configuration(cpu, [LogicalDeviceConfiguration()] * n): the
 * CPU seen as n devices (ConfigProto.device_count), e.g. for a MirroredStrategy on one machine.
 * Before TensorFlow runs any op.
 */
export function setLogicalDeviceConfiguration(device: PhysicalDevice, logicalDevices: readonly LogicalDeviceConfiguration[]): void {
  if (device?.deviceType !== 'CPU') {
    throw new RangeError(`Only the CPU can be split into logical devices here. Received: ${JSON.stringify(device)}`);
  }
  if (!Array.isArray(logicalDevices) || logicalDevices.length === 0 || logicalDevices.some((c) => Object.keys(c ?? {}).length > 0)) {
    throw new TypeError('logicalDevices must be a non-empty list of LogicalDeviceConfiguration objects ({}) for the CPU');
  }
  configure(new Error('Virtual devices cannot be modified after being initialized'), threads, { CPU: logicalDevices.length });
}

/** Python's tf.config.threading: must be set before TensorFlow runs its first op. */
export const threading = {
  setIntraOpParallelismThreads(n: number): void {
    setThreads('Intra op parallelism', { intraOpParallelismThreads: n });
  },
  setInterOpParallelismThreads(n: number): void {
    setThreads('Inter op parallelism', { interOpParallelismThreads: n });
  },
  getIntraOpParallelismThreads(): number {
    return threads.intraOpParallelismThreads ?? 0;
  },
  getInterOpParallelismThreads(): number {
    return threads.interOpParallelismThreads ?? 0;
  },
};
