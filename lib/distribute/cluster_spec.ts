// Python's tf.train.ClusterSpec: job name → its tasks' "host:port" addresses, by task index.
import { describeValue, isPlainObject } from '../utils/argument_validation';

export type ClusterDict = Readonly<Record<string, readonly string[]>>;

export class ClusterSpec {
  private readonly jobs_: Record<string, string[]>;

  constructor(cluster: ClusterDict | ClusterSpec) {
    const dict = cluster instanceof ClusterSpec ? cluster.asDict() : cluster;
    if (!isPlainObject(dict)) throw new TypeError(`ClusterSpec takes {job: ["host:port", ...]}. Received: ${describeValue(dict)}`);
    this.jobs_ = {};
    for (const [job, tasks] of Object.entries(dict)) {
      if (!Array.isArray(tasks) || tasks.some((t) => typeof t !== 'string' || !/^.*:\d+$/.test(t))) {
        throw new TypeError(`Job '${job}' must list its tasks' "host:port" addresses. Received: ${describeValue(tasks)}`);
      }
      this.jobs_[job] = [...tasks];
    }
  }

  get jobs(): string[] {
    return Object.keys(this.jobs_);
  }

  asDict(): Record<string, string[]> {
    return Object.fromEntries(Object.entries(this.jobs_).map(([job, tasks]) => [job, [...tasks]]));
  }

  numTasks(jobName: string): number {
    return this.tasks(jobName).length;
  }

  taskAddress(jobName: string, taskIndex: number): string {
    const tasks = this.tasks(jobName);
    if (!Number.isInteger(taskIndex) || taskIndex < 0 || taskIndex >= tasks.length) {
      throw new RangeError(`No task with index ${taskIndex} in job '${jobName}' (it has ${tasks.length})`);
    }
    return tasks[taskIndex];
  }

  private tasks(jobName: string): string[] {
    const tasks = this.jobs_[jobName];
    if (tasks === undefined) throw new RangeError(`No such job in cluster: '${jobName}' (jobs: ${this.jobs.join(', ')})`);
    return tasks;
  }
}
