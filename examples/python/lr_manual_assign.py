# Approach 2: assign the learning-rate variable by hand, here halving it every 3 steps.
import tensorflow as tf

w = tf.Variable([[0.0], [0.0]])
x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
y = tf.constant([[5.0], [11.0], [17.0]])
optimizer = tf.keras.optimizers.Adam(learning_rate=0.1)

for step in range(9):
    if step > 0 and step % 3 == 0:
        optimizer.learning_rate.assign(optimizer.learning_rate * 0.5)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    grads = tape.gradient(loss, [w])
    optimizer.apply_gradients(zip(grads, [w]))
    print(f"step {step}: learning_rate={float(optimizer.learning_rate):.6f} loss={float(loss):.4f}")
