// Run by porting_api.test.ts in a child process: tf.print's default stream is the process's stderr
// (PrintV2 writes it from C++), stdout on request, in order with console output.
import * as tf from '../../lib';

const x = tf.tensor([1, 2, 3], [3], 'int32');
process.stderr.write('BEGIN\n');
process.stdout.write('BEGIN\n');
tf.print('eager', x);
console.error('console.error');
const step = tf.function((v: tf.Tensor) => {
  tf.print('step', v);
  return tf.multiply(v, 2);
});
step(step(x));
tf.print('to stdout', x, { outputStream: process.stdout });
console.log('console.log');
process.stderr.write('END\n');
process.stdout.write('END\n');
