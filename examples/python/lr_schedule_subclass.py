# Approach 1: a LearningRateSchedule subclass; the optimizer evaluates it before every update.
import tensorflow as tf


class InverseTimeSchedule(tf.keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, initial_learning_rate):
        self.initial_learning_rate = initial_learning_rate

    def __call__(self, step):
        return self.initial_learning_rate / (1.0 + tf.cast(step, tf.float32))


w = tf.Variable([[0.0], [0.0]])
x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
y = tf.constant([[5.0], [11.0], [17.0]])
optimizer = tf.keras.optimizers.Adam(learning_rate=InverseTimeSchedule(0.1))


@tf.function
def train_step():
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    grads = tape.gradient(loss, [w])
    optimizer.apply_gradients(zip(grads, [w]))
    return loss


for step in range(6):
    lr = float(optimizer.learning_rate)
    loss = train_step()
    print(f"step {step}: learning_rate={lr:.6f} loss={float(loss):.4f}")
