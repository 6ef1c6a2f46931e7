// tf.distribute on a loopback cluster of child processes: the server binds only its task's address,
// TF_CONFIG is read as Python reads it, two workers train exactly as one process with the same global
// batch, and a killed worker makes the other fail in bounded time with a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '../lib';
import { freePorts, launch } from '../lib/distribute/launcher';

const WORKER = path.join(__dirname, 'helpers', 'distributed_worker.js');
const QUIET = { TF_CPP_MIN_LOG_LEVEL: '3' };

function withTFConfig<T>(config: unknown, body: () => T): T {
  const saved = process.env.TF_CONFIG;
  process.env.TF_CONFIG = typeof config === 'string' ? config : JSON.stringify(config);
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env.TF_CONFIG;
    else process.env.TF_CONFIG = saved;
  }
}

test('TFConfigClusterResolver reads TF_CONFIG as Python does', () => {
  const config = {
    cluster: { worker: ['127.0.0.1:2222', 'host2:2222'], chief: ['host0:2222'] },
    task: { type: 'worker', index: 1 },
    rpc_layer: 'grpc',
  };
  withTFConfig(config, () => {
    const resolver = new tf.distribute.clusterResolver.TFConfigClusterResolver();
    assert.deepEqual(resolver.clusterSpec().asDict(), config.cluster);
    assert.equal(resolver.taskType, 'worker');
    assert.equal(resolver.taskId, 1);
    assert.equal(resolver.rpcLayer, 'grpc');
    assert.equal(resolver.master(), 'grpc://host2:2222');
    assert.equal(resolver.master('chief', 0, ''), 'host0:2222');
    assert.deepEqual(resolver.numAccelerators(), {});
    const overridden = new tf.distribute.clusterResolver.TFConfigClusterResolver({ taskType: 'chief', taskId: 0 });
    assert.equal(overridden.master(), 'grpc://host0:2222');
    assert.throws(() => new tf.distribute.clusterResolver.TFConfigClusterResolver({ task_type: 'x' } as never), /taskType/);
  });
  withTFConfig('{not json', () => {
    assert.throws(() => new tf.distribute.clusterResolver.TFConfigClusterResolver().clusterSpec(), /TF_CONFIG is not a JSON object/);
  });
  withTFConfig('', () => {
    const resolver = new tf.distribute.clusterResolver.TFConfigClusterResolver();
    assert.deepEqual(resolver.clusterSpec().asDict(), {});
    assert.equal(resolver.taskType, null);
    assert.equal(resolver.master(), '');
  });
});

test('ClusterSpec checks its jobs and task indices', () => {
  const spec = new tf.distribute.ClusterSpec({ worker: ['a:1', 'b:2'] });
  assert.deepEqual(spec.jobs, ['worker']);
  assert.equal(spec.numTasks('worker'), 2);
  assert.equal(spec.taskAddress('worker', 1), 'b:2');
  assert.throws(() => spec.taskAddress('worker', 2), RangeError);
  assert.throws(() => spec.numTasks('ps'), /No such job in cluster: 'ps'/);
  assert.throws(() => new tf.distribute.ClusterSpec({ worker: ['no-port'] }), TypeError);
});

/** The local address of the socket listening on `port`, from /proc/net/tcp and tcp6 ("0100007F" style hex). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      // 0A: LISTEN.
      if (local?.endsWith(`:${hexPort}`) && state === '0A') found.push(local.split(':')[0]);
    }
  }
  return found;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

test('a server listens only on its own task address, not on the other interfaces', async () => {
  const [port, other] = await freePorts(2);
  const server = new tf.distribute.Server({ worker: [`127.0.0.1:${port}`, `127.0.0.1:${other}`] }, { jobName: 'worker', taskIndex: 0 });
  assert.equal(server.target, `grpc://127.0.0.1:${port}`);
  assert.equal(server.listenAddress, '127.0.0.1');
  // 127.0.0.1, or the same as an IPv4-mapped address on gRPC's dual-stack socket.
  assert.deepEqual(
    listeningAddresses(port).map((a) => (a === '0100007F' || a === '0000000000000000FFFF00000100007F' ? '127.0.0.1' : a)),
    ['127.0.0.1'],
  );
  assert.equal(await connects('127.0.0.1', port), true);
  const external = Object.values(os.networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
    .map((i) => i!.address);
  for (const address of external) assert.equal(await connects(address, port), false, `reachable on ${address}`);
  server.close();
  server.close();
});

/** Runs `code` in a fresh node with the package loaded as `tf`; returns its stderr. */
function runChild(code: string, env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(process.execPath, ['-e', `const tf = require(${JSON.stringify(path.join(__dirname, '..', 'lib'))}); ${code}`], {
    env: { ...process.env, ...QUIET, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stderr;
}

test('a non-loopback server warns once about the unauthenticated port, unless opted in', async () => {
  const [a, b] = await freePorts(2);
  const twoServers = (options: string) =>
    `for (const p of [${a}, ${b}]) new tf.distribute.Server({ worker: ['0.0.0.0:' + p] }, ${options});`;
  const warned = runChild(twoServers('{}'));
  const warnings = warned.split('\n').filter((l) => l.includes('tf.distribute.Server listens on'));
  assert.equal(warnings.length, 1, warned);
  assert.match(warnings[0], /0\.0\.0\.0:\d+, which is not loopback.*unauthenticated.*ReadFile and WriteFile.*private network/);
  const [c, d] = await freePorts(2);
  const again = (options: string) => `for (const p of [${c}, ${d}]) new tf.distribute.Server({ worker: ['0.0.0.0:' + p] }, ${options});`;
  assert.doesNotMatch(runChild(again('{ allowNetwork: true }')), /listens on/);
  const [e, f] = await freePorts(2);
  const third = `for (const p of [${e}, ${f}]) new tf.distribute.Server({ worker: ['0.0.0.0:' + p] });`;
  assert.doesNotMatch(runChild(third, { [tf.distribute.ALLOW_NETWORK_ENV]: '1' }), /listens on/);
});

test('the server rejects bad arguments with clear errors', async () => {
  assert.throws(() => new tf.distribute.Server({ worker: ['127.0.0.1:1', '127.0.0.1:2'] }), /needs a taskIndex/);
  assert.throws(() => new tf.distribute.Server({ worker: ['127.0.0.1:1'], ps: ['127.0.0.1:2'] }), /needs a jobName/);
  assert.throws(() => new tf.distribute.Server({ worker: ['127.0.0.1:1'] }, { protocol: 'grpc+verbs' }), /must be 'grpc'/);
  assert.throws(() => new tf.distribute.Server({ worker: ['127.0.0.1:1'] }, { taskIndex: 3 }), /No task with index 3/);
  assert.throws(() => new tf.distribute.Server({ worker: ['127.0.0.1:1'] }, { startNow: true } as never), /startNow/);
  // Never started: close() stops it.
  const [port] = [0];
  const idle = new tf.distribute.Server({ worker: [`127.0.0.1:${port}`] }, { start: false });
  // TF's join of a server never started returns at once (and keeps it from starting).
  await idle.join();
  idle.close();
  assert.throws(() => idle.start(), /closed/);
});

interface WorkerResult {
  loss: number[];
  weights: number[][];
  replicas: number;
  learningRate: number;
  iterations: number;
}

interface MetricsResult extends WorkerResult {
  history: Record<string, number[]>;
  evaluated: Record<string, number>;
  predictedShape: number[];
  predicted: number[];
}

function parseResult(lines: readonly string[]): WorkerResult {
  const line = lines.find((l) => l.startsWith('{'));
  assert.ok(line, `no result in ${lines.join('\n')}`);
  return JSON.parse(line) as WorkerResult;
}

function assertClose(actual: WorkerResult, expected: WorkerResult, what: string): void {
  const near = (x: number, y: number) => Math.abs(x - y) <= 1e-6 + 1e-5 * Math.abs(y);
  actual.loss.forEach((l, i) => assert.ok(near(l, expected.loss[i]), `${what} loss[${i}]: ${l} vs ${expected.loss[i]}`));
  actual.weights.forEach((w, i) =>
    w.forEach((v, j) => assert.ok(near(v, expected.weights[i][j]), `${what} weight ${i}[${j}]: ${v} vs ${expected.weights[i][j]}`)),
  );
}

function reference(args: readonly string[], env: NodeJS.ProcessEnv = {}): WorkerResult {
  const result = spawnSync(process.execPath, [WORKER, ...args], {
    env: { ...process.env, ...QUIET, ...env, TF_CONFIG: '' },
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 1 << 26,
  });
  assert.equal(result.status, 0, result.stderr);
  return parseResult(result.stdout.split('\n'));
}

test('two workers with global batch 128 train the MNIST MLP as one process with batch 128', { timeout: 90_000 }, async () => {
  // 1025 samples: the last global batch (1) leaves worker 0 an empty part; shuffled each epoch.
  const args = ['mlp', '1025', '2', '128', '20'];
  const run = await launch({ workers: 2, script: WORKER, args, env: QUIET, onLine: () => {} });
  assert.deepEqual(run.exits, [0, 0], run.stdout.flat().join('\n'));
  const single = reference(args);
  const [w0, w1] = run.stdout.map(parseResult);
  assert.equal(w0.replicas, 2);
  assertClose(w0, single, 'worker 0');
  assertClose(w1, single, 'worker 1');
  // Every replica applied the same update, at the same step and scheduled learning rate.
  assert.deepEqual(w0.weights, w1.weights);
  assert.equal(w0.iterations, 18);
  assert.deepEqual([w0.iterations, w0.learningRate], [single.iterations, single.learningRate]);
  assert.deepEqual([w1.iterations, w1.learningRate], [single.iterations, single.learningRate]);
});

test('fit logs, evaluate and predict across two workers are the global values of one process', { timeout: 120_000 }, async () => {
  // 1023 samples: the last global batch (127) splits 63 + 64, so only worker 0 retraces its train step
  // there (collective instance keys must not follow traces).
  const args = ['mlp', '1023', '2', '128', '20'];
  const env = { ...QUIET, TEST_METRICS: '1' };
  const run = await launch({ workers: 2, script: WORKER, args, env, onLine: () => {} });
  assert.deepEqual(run.exits, [0, 0], run.stdout.flat().join('\n'));
  const single = reference(args, { TEST_METRICS: '1' }) as MetricsResult;
  const near = (x: number, y: number) => Math.abs(x - y) <= 1e-6 + 1e-5 * Math.abs(y);
  for (const [task, worker] of (run.stdout.map(parseResult) as MetricsResult[]).entries()) {
    assertClose(worker, single, `worker ${task}`);
    // Every logged metric (loss, accuracy, val_loss, val_accuracy) is the one-process value.
    assert.deepEqual(Object.keys(worker.history).sort(), ['accuracy', 'learning_rate', 'loss', 'val_accuracy', 'val_loss']);
    for (const [key, values] of Object.entries(single.history))
      values.forEach((v, e) =>
        assert.ok(near(worker.history[key][e], v), `worker ${task} ${key}[${e}]: ${worker.history[key][e]} vs ${v}`),
      );
    for (const [key, v] of Object.entries(single.evaluated))
      assert.ok(near(worker.evaluated[key], v), `worker ${task} evaluate ${key}: ${worker.evaluated[key]} vs ${v}`);
    // predict gives each worker the whole input's outputs, in order.
    assert.deepEqual(worker.predictedShape, [999, 10]);
    worker.predicted.forEach((p, i) =>
      assert.ok(near(p, single.predicted[i]), `worker ${task} predicted[${i}]: ${p} vs ${single.predicted[i]}`),
    );
  }
});

test('a worker killed mid-training makes the other fail in bounded time with a typed error', { timeout: 60_000 }, async () => {
  const stderr: string[] = [];
  const started = Date.now();
  const run = await launch({
    workers: 2,
    script: WORKER,
    args: ['mlp', '4000', '3', '128', '5'],
    env: { ...QUIET, TEST_DIE_AT_BATCH: '3', TEST_DIE_TASK: '1' },
    stopOthersOnFailure: false,
    onLine: (task, line, stream) => stream === 'stderr' && task === 0 && stderr.push(line),
  });
  assert.equal(run.exits[1], 'SIGKILL');
  assert.equal(run.exits[0], 1);
  assert.match(stderr.join('\n'), /(UnavailableError|DeadlineExceededError|AbortedError): /);
  assert.ok(Date.now() - started < 45_000, `took ${Date.now() - started} ms`);
});

test('a cluster restarted after a fault resumes from the chief-only checkpoint to the uninterrupted weights', {
  timeout: 120_000,
}, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-dist-'));
  try {
    const args = ['mlp', '1000', '3', '128', '5', '0'];
    const env = { ...QUIET, TEST_CKPT_DIR: dir };
    const faulty = await launch({
      workers: 2,
      script: WORKER,
      args,
      env: { ...env, TEST_DIE_AT_EPOCH: '1', TEST_DIE_AT_BATCH: '3', TEST_DIE_TASK: '1' },
      onLine: () => {},
    });
    assert.equal(faulty.exits[1], 'SIGKILL');
    assert.notEqual(faulty.exits[0], 0);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'epoch.json'), 'utf8')), { epoch: 0 });
    const stderr: string[] = [];
    const resumed = await launch({
      workers: 2,
      script: WORKER,
      args,
      env,
      onLine: (_t, line, stream) => stream === 'stderr' && stderr.push(line),
    });
    assert.deepEqual(resumed.exits, [0, 0], stderr.join('\n'));
    assert.match(stderr.join('\n'), /\[worker 0\] resuming at epoch 1/);
    const [w0, w1] = resumed.stdout.map(parseResult);
    assert.equal(w0.loss.length, 2);
    const uninterrupted = reference(args);
    assertClose(w0, { ...uninterrupted, loss: uninterrupted.loss.slice(1) }, 'resumed worker 0');
    assert.deepEqual(w0.weights, w1.weights);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('BackupAndRestore: a cluster restarted after a kill resumes from the chief backup to the uninterrupted weights', {
  timeout: 120_000,
}, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-backup-'));
  try {
    const args = ['mlp', '1000', '3', '128', '5', '0'];
    const env = { ...QUIET, TEST_BACKUP_DIR: path.join(dir, 'task{task}') };
    const faulty = await launch({
      workers: 2,
      script: WORKER,
      args,
      env: { ...env, TEST_DIE_AT_EPOCH: '1', TEST_DIE_AT_BATCH: '3', TEST_DIE_TASK: '1' },
      onLine: () => {},
    });
    assert.equal(faulty.exits[1], 'SIGKILL');
    assert.notEqual(faulty.exits[0], 0);
    // Only the chief wrote: the backup after epoch 0.
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'task0', 'training_metadata.json'), 'utf8')), { epoch: 1, batch: 0 });
    assert.ok(fs.existsSync(path.join(dir, 'task0', 'latest.weights.h5')));
    assert.equal(fs.existsSync(path.join(dir, 'task1')), false);
    const resumed = await launch({ workers: 2, script: WORKER, args, env, onLine: () => {} });
    assert.deepEqual(resumed.exits, [0, 0], resumed.stdout.flat().join('\n'));
    const [w0, w1] = resumed.stdout.map(parseResult);
    // Epochs 1 and 2 only, on both workers: worker 1 learnt the epoch and the state from the chief.
    assert.equal(w0.loss.length, 2);
    assert.equal(w1.loss.length, 2);
    const uninterrupted = reference(args);
    assertClose(w0, { ...uninterrupted, loss: uninterrupted.loss.slice(1) }, 'resumed worker 0');
    assert.deepEqual(w0.weights, w1.weights);
    assert.deepEqual([w0.iterations, w1.iterations], [uninterrupted.iterations, uninterrupted.iterations]);
    // A run that ends normally removes the backup.
    assert.equal(fs.existsSync(path.join(dir, 'task0')), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('strategy.reduce and strategy.run across three workers, eagerly and in a tf.function', { timeout: 60_000 }, async () => {
  const run = await launch({ workers: 3, script: path.join(__dirname, 'helpers', 'distributed_reduce.js'), env: QUIET, onLine: () => {} });
  assert.deepEqual(run.exits, [0, 0, 0], run.stdout.flat().join('\n'));
  const results = run.stdout.map((lines) => JSON.parse(lines[0]) as Record<string, unknown>);
  results.forEach((r, task) => {
    assert.equal(r.replicas, 3);
    assert.equal(r.chief, task === 0);
    assert.deepEqual(r.sum, [6, 60]);
    assert.deepEqual(r.mean, [2, 20]);
    // (1·1 + 2·2 + 3·3) / 6 rows.
    assert.ok(Math.abs((r.meanAxis as number[])[0] - 14 / 6) < 1e-6);
    assert.deepEqual(r.traced, [12, 120]);
  });
});

test('without a cluster the strategy is one local replica', () => {
  withTFConfig('', () => {
    const strategy = new tf.distribute.MultiWorkerMirroredStrategy();
    assert.equal(strategy.numReplicasInSync, 1);
    assert.equal(strategy.server, null);
    assert.deepEqual(Array.from(strategy.reduce('SUM', tf.constant([1, 2])).dataSync()), [1, 2]);
    assert.deepEqual(
      Array.from(
        strategy
          .reduce(
            'MEAN',
            tf.constant([
              [1, 2],
              [3, 4],
            ]),
            { axis: 0 },
          )
          .dataSync(),
      ),
      [2, 3],
    );
    assert.equal(strategy.run((a: tf.Tensor) => a, { args: [tf.constant(3)] }).dataSync()[0], 3);
    assert.equal(
      strategy.scope(() => 7),
      7,
    );
    assert.throws(() => strategy.reduce('MAX' as never, tf.constant(1)), /'SUM' or 'MEAN'/);
    assert.throws(() => new tf.distribute.MultiWorkerMirroredStrategy({ communicationOptions: { timeout: 1 } } as never), /timeout/);
  });
});

test('tf-napi-run starts a local cluster, prefixes its output and stops every worker at the first failure', {
  timeout: 60_000,
}, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-napi-run-'));
  const bin = path.join(__dirname, '..', '..', 'bin', 'tf-napi-run.js');
  try {
    const hello = path.join(dir, 'hello.js');
    fs.writeFileSync(
      hello,
      'const c = JSON.parse(process.env.TF_CONFIG); console.log(c.task.index, c.cluster.worker.join(","), process.argv[2]);',
    );
    const ok = spawnSync(process.execPath, [bin, '--workers', '3', hello, 'arg'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(ok.status, 0, ok.stderr);
    const lines = ok.stdout.trim().split('\n').sort();
    assert.equal(lines.length, 3);
    lines.forEach((line, i) =>
      assert.match(line, new RegExp(`^\\[worker ${i}\\] ${i} 127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+ arg$`)),
    );
    const failing = path.join(dir, 'fail.js');
    fs.writeFileSync(
      failing,
      'const i = JSON.parse(process.env.TF_CONFIG).task.index; if (i === 1) process.exit(3); setTimeout(() => {}, 60000);',
    );
    const started = Date.now();
    const failed = spawnSync(process.execPath, [bin, '--workers=2', failing], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(failed.status, 3);
    assert.match(failed.stderr, /worker 1 failed \(exit 3\); stopped the others/);
    assert.ok(Date.now() - started < 20_000);
    const usage = spawnSync(process.execPath, [bin, '--nodes', '2', hello], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /Unknown option --nodes/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('fit splits each batch of a dataset across the workers (auto-shard by data)', { timeout: 90_000 }, async () => {
  const args = ['mlp', '1000', '2', '128', '20'];
  const env = { ...QUIET, TEST_DATASET: '1' };
  const run = await launch({ workers: 2, script: WORKER, args, env, onLine: () => {} });
  assert.deepEqual(run.exits, [0, 0], run.stdout.flat().join('\n'));
  const single = reference(args, { TEST_DATASET: '1' });
  const [w0, w1] = run.stdout.map(parseResult);
  assertClose(w0, single, 'worker 0');
  assert.deepEqual(w0.weights, w1.weights);
});

test('Dataset.shard keeps every numShards-th element from index, as Python', () => {
  const ds = tf.data.Dataset.fromTensorSlices(tf.range(7)).shard(3, 1);
  assert.equal(ds.cardinality(), 2);
  assert.deepEqual(
    ds.asArray().map((v) => Number(v)),
    [1, 4],
  );
  assert.throws(
    () => tf.data.Dataset.fromTensorSlices(tf.range(7)).shard(0, 0),
    /Number of shards must be greater than zero \(currently num_shards = 0\)/,
  );
  assert.throws(
    () => tf.data.Dataset.fromTensorSlices(tf.range(7)).shard(2, 2),
    (e: Error) => e instanceof tf.errors.InvalidArgumentError && /Index must be between 0 and 1 \(currently index = 2\)/.test(e.message),
  );
});

function runMirrored(replicas: number): MetricsResult & { devices: string[]; reduced: Record<string, unknown>; strategyKept: boolean } {
  const result = spawnSync(process.execPath, [path.join(__dirname, 'helpers', 'mirrored_worker.js'), String(replicas)], {
    env: { ...process.env, ...QUIET },
    encoding: 'utf8',
    timeout: 90_000,
    maxBuffer: 1 << 26,
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.split('\n').find((l) => l.startsWith('{')) as string);
}

test('MirroredStrategy: two CPU replicas train, validate and evaluate as one replica with the global batch', { timeout: 120_000 }, () => {
  const two = runMirrored(2);
  const one = runMirrored(1);
  assert.equal(two.replicas, 2);
  // Each replica's part of the step is placed on its own device.
  assert.deepEqual(two.devices, ['/device:CPU:0', '/device:CPU:1']);
  assertClose(two, one, 'two replicas');
  const near = (x: number, y: number) => Math.abs(x - y) <= 1e-6 + 1e-5 * Math.abs(y);
  for (const [key, values] of Object.entries(one.history))
    values.forEach((v, e) => assert.ok(near(two.history[key][e], v), `${key}[${e}]: ${two.history[key][e]} vs ${v}`));
  for (const [key, v] of Object.entries(one.evaluated))
    assert.ok(near(two.evaluated[key], v), `evaluate ${key}: ${two.evaluated[key]} vs ${v}`);
  assert.equal(two.iterations, one.iterations);
  assert.equal(two.predicted.length, 3010);
  two.predicted.forEach((p, i) => assert.ok(near(p, one.predicted[i]), `predicted[${i}]: ${p} vs ${one.predicted[i]}`));
  assert.equal(two.strategyKept, true);
  assert.deepEqual(two.reduced, { sum: [4, 8, 12, 16], meanAxis: [4, 6], locals: 2 });
});

test('MirroredStrategy checks its devices; one replica by default; logical devices only before TensorFlow starts', () => {
  tf.constant(1).dataSync();
  assert.deepEqual(tf.config.listPhysicalDevices('CPU'), [{ name: '/physical_device:CPU:0', deviceType: 'CPU' }]);
  assert.ok(tf.config.listLogicalDevices('CPU').some((d) => d.name === '/device:CPU:0'));
  assert.throws(
    () => tf.config.setLogicalDeviceConfiguration(tf.config.listPhysicalDevices('CPU')[0], [{}, {}]),
    /Virtual devices cannot be modified after being initialized/,
  );
  assert.throws(() => tf.config.setLogicalDeviceConfiguration({ name: '/physical_device:GPU:0', deviceType: 'GPU' }, [{}]), RangeError);
  const strategy = new tf.distribute.MirroredStrategy();
  assert.equal(strategy.numReplicasInSync, 1);
  assert.deepEqual(strategy.devices, ['/device:CPU:0']);
  assert.throws(() => new tf.distribute.MirroredStrategy({ devices: ['/cpu:0', '/cpu:7'] }), {
    name: 'RangeError',
    message: /Device \/device:CPU:7 is not available .*setLogicalDeviceConfiguration/,
  });
  assert.throws(() => new tf.distribute.MirroredStrategy({ devices: ['cpu0'] }), TypeError);
  assert.throws(() => new tf.distribute.MirroredStrategy({ devices: ['/cpu:0', '/CPU:0'] }), /distinct/);
  assert.throws(() => new tf.distribute.MirroredStrategy({ device: ['/cpu:0'] } as never), /device/);
  assert.deepEqual(
    Array.from(
      strategy.reduce('SUM', strategy.run((a: tf.Tensor) => tf.mul(a, 3), { args: [tf.constant([1, 2])] }) as tf.Tensor).dataSync(),
    ),
    [3, 6],
  );
  assert.throws(() => strategy.reduce('MAX' as never, tf.constant(1)), /'SUM' or 'MEAN'/);
});
