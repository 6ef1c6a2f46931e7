// TensorFlow guide "Basic training loops", ported line by line from basic_training_loops.py (beside
// this file). Python's operators become ops (`self.w * x + self.b` is `tf.add(tf.multiply(this.w, x),
// this.b)`), `with tf.GradientTape() as t:` is `t.record(() => ...)`, and `model(x)` is `model.apply(x)`.
import * as tf from '../../lib';

// The actual line
const TRUE_W = 3.0;
const TRUE_B = 2.0;
const NUM_EXAMPLES = 201;

// A vector of x values
let x = tf.linspace(-2, 2, NUM_EXAMPLES);
x = tf.cast(x, 'float32');

function f(x: tf.Tensor): tf.Tensor {
  return tf.add(tf.multiply(x, TRUE_W), TRUE_B);
}

// Some noise (the guide draws it with tf.random.normal)
const noise = tf.constant(Array.from({ length: NUM_EXAMPLES }, (_, i) => Math.sin(i * 12.9898) * 1.7));

// Calculate y
const y = tf.add(f(x), noise);

class MyModel {
  // Initialize the weights to `5.0` and the bias to `0.0`
  w = new tf.Variable(5.0);
  b = new tf.Variable(0.0);

  apply(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.multiply(this.w, x), this.b);
  }
}

let model = new MyModel();

// This computes a single loss value for an entire batch
function loss(targetY: tf.Tensor, predictedY: tf.Tensor): tf.Tensor {
  return tf.reduceMean(tf.square(tf.subtract(targetY, predictedY)));
}

console.log(`Current loss: ${Number(loss(y, model.apply(x))).toFixed(6)}`);

// Given a callable model, inputs, outputs, and a learning rate...
function train(model: MyModel, x: tf.Tensor, y: tf.Tensor, learningRate: number): void {
  const t = new tf.GradientTape();
  // Trainable variables are automatically tracked by GradientTape
  const currentLoss = t.record(() => loss(y, model.apply(x)));

  // Use GradientTape to calculate the gradients with respect to W and b
  const [dw, db] = t.gradient(currentLoss, [model.w, model.b]);

  // Subtract the gradient scaled by the learning rate
  model.w.assignSub(tf.multiply(learningRate, dw!));
  model.b.assignSub(tf.multiply(learningRate, db!));
}

model = new MyModel();

// Collect the history of W-values and b-values to plot later
const weights: number[] = [];
const biases: number[] = [];
const epochs = 10;

// Define a training loop
function report(model: MyModel, loss: tf.Tensor): string {
  return `W = ${Number(model.w).toFixed(2)}, b = ${Number(model.b).toFixed(2)}, loss=${Number(loss).toFixed(5)}`;
}

function trainingLoop(model: MyModel, x: tf.Tensor, y: tf.Tensor): void {
  for (let epoch = 0; epoch < epochs; epoch++) {
    // Update the model with the single giant batch
    train(model, x, y, 0.1);

    // Track this before I update
    weights.push(Number(model.w));
    biases.push(Number(model.b));
    const currentLoss = loss(y, model.apply(x));

    console.log(`Epoch ${String(epoch).padStart(2)}:`);
    console.log('    ', report(model, currentLoss));
  }
}

const currentLoss = loss(y, model.apply(x));

console.log('Starting:');
console.log('    ', report(model, currentLoss));

trainingLoop(model, x, y);
