// Python's tf.distribute.Server: TensorFlow's in-process gRPC server for one task of a cluster,
// listening only on that task's own address (TF itself always binds every interface).
import { execFileSync } from 'node:child_process';
import * as net from 'node:net';
import { NativeServer, binding } from '../native';
import { SessionConfigOptions, encodeServerDef } from '../proto';
import { checkOptions } from '../utils/argument_validation';
import { ClusterDict, ClusterSpec } from './cluster_spec';

export interface ServerOptions {
  jobName?: string;
  taskIndex?: number;
  /** Only 'grpc'. */
  protocol?: string;
  /** The session config of the server's master (Python's `config`). */
  config?: SessionConfigOptions;
  /** Python's `start`: start serving at once (default true). */
  start?: boolean;
  /**
   * Listen on a non-loopback address without the warning (also: TF_NAPI_ALLOW_NETWORK_SERVER=1). The
   * server is unauthenticated: anyone who reaches its port can run any op, ReadFile and WriteFile included.
   */
  allowNetwork?: boolean;
}

/** The environment variable that silences the non-loopback warning for every server of the process. */
export const ALLOW_NETWORK_ENV = 'TF_NAPI_ALLOW_NETWORK_SERVER';

let warned = false;

function isLoopback(address: string): boolean {
  return net.isIPv4(address) ? address.startsWith('127.') : address === '::1';
}

/** The IP a task's host names ('localhost', a literal, or a name resolved like any client would). */
function resolveHost(host: string): string {
  if (host === 'localhost') return '127.0.0.1';
  if (net.isIP(host)) return host;
  // The constructor is synchronous, as Python's is: one short child does the DNS lookup.
  const script = 'require("dns").lookup(process.argv[1],(e,a)=>{if(e){console.error(e.message);process.exit(1)}console.log(a)})';
  try {
    return execFileSync(process.execPath, ['-e', script, host], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    throw new Error(`Cannot resolve the host '${host}' of this task's address`);
  }
}

function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(address.slice(colon + 1)) };
}

export class Server {
  readonly serverDef: { cluster: ClusterSpec; jobName: string; taskIndex: number };
  /** The IP the server listens on: its task's own, or '0.0.0.0'/'::' when the spec says a wildcard. */
  readonly listenAddress: string;
  private readonly native: NativeServer;
  private started = false;
  private closed = false;

  constructor(cluster: ClusterDict | ClusterSpec, options: ServerOptions = {}) {
    checkOptions('Server', options, ['jobName', 'taskIndex', 'protocol', 'config', 'start', 'allowNetwork']);
    const spec = new ClusterSpec(cluster);
    if (options.protocol !== undefined && options.protocol !== 'grpc') {
      throw new RangeError(`Server protocol must be 'grpc'. Received: '${options.protocol}'`);
    }
    // Python infers the job and task of a one-job, one-task cluster.
    const jobName = options.jobName ?? (spec.jobs.length === 1 ? spec.jobs[0] : undefined);
    if (jobName === undefined) throw new TypeError('Server needs a jobName when the cluster has several jobs');
    const taskIndex = options.taskIndex ?? (spec.numTasks(jobName) === 1 ? 0 : undefined);
    if (taskIndex === undefined) throw new TypeError(`Server needs a taskIndex: job '${jobName}' has several tasks`);
    const { host, port } = splitAddress(spec.taskAddress(jobName, taskIndex));
    const wildcard = host === '' || host === '0.0.0.0' || host === '::';
    this.listenAddress = wildcard ? (host === '::' ? '::' : '0.0.0.0') : resolveHost(host);
    const allowed = options.allowNetwork === true || process.env[ALLOW_NETWORK_ENV] === '1';
    if (!isLoopback(this.listenAddress) && !allowed && !warned) {
      warned = true;
      process.emitWarning(
        `tf.distribute.Server listens on ${this.listenAddress}:${port}, which is not loopback. The server is ` +
          'unauthenticated: anyone who can reach this port can run any TensorFlow op in this process, ReadFile ' +
          'and WriteFile included. Run it only on a private network. Set allowNetwork: true (or ' +
          `${ALLOW_NETWORK_ENV}=1) to silence this warning.`,
        { code: 'TF_NAPI_INSECURE_SERVER' },
      );
    }
    const serverDef = encodeServerDef({ cluster: spec.asDict(), jobName, taskIndex, config: options.config });
    this.native = wildcard ? new binding.Server(serverDef) : new binding.Server(serverDef, this.listenAddress, port);
    this.serverDef = { cluster: spec, jobName, taskIndex };
    if (options.start ?? true) this.start();
  }

  /** "grpc://host:port": a session target for this server's master. */
  get target(): string {
    return this.native.target;
  }

  start(): void {
    if (this.closed) throw new Error('The server was closed');
    this.native.start();
    this.started = true;
  }

  /** Resolves when the server stops: a started one never does, so this keeps the process serving (Python's join). */
  join(): Promise<void> {
    return this.native.join();
  }

  /**
   * Stops a server that never started. A started one keeps its port until the process exits: TF cannot
   * shut a started gRPC server down (GrpcServer::Stop is Unimplemented), and Python leaks it too.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.started) this.native.stop();
  }
}
