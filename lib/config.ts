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
  return binding
    .eagerListDevices()
    .map((d) => ({ name: `/physical_device:${d.name.split('/device:')[1] ?? d.name}`, deviceType: d.type }))
    .filter((d) => deviceType === undefined || d.deviceType === deviceType.toUpperCase());
}

let threads: { intraOpParallelismThreads?: number; interOpParallelismThreads?: number } = {};

function setThreads(what: string, options: typeof threads): void {
  const next = { ...threads, ...options };
  const config = encodeConfigProto(next);
  const late = new Error(`${what} cannot be modified after initialization.`);
  if (runtime.started) throw late;
  try {
    binding.eagerConfigure(config);
  } catch {
    throw late;
  }
  runtime.configure(next);
  threads = next;
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
