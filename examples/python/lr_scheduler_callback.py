# Approach 3: a LearningRateScheduler callback sets the rate at the start of every epoch of fit().
import numpy as np
import tensorflow as tf

x = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]], dtype="float32")
y = np.array([[5.0], [11.0], [17.0], [23.0]], dtype="float32")

model = tf.keras.Sequential([tf.keras.Input(shape=(2,)), tf.keras.layers.Dense(1)])
model.set_weights([np.zeros((2, 1), "float32"), np.zeros((1,), "float32")])
model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss="mse")


def schedule(epoch, lr):
    return lr if epoch < 2 else lr * 0.5


history = model.fit(x, y, batch_size=2, epochs=5, shuffle=False, verbose=0,
                    callbacks=[tf.keras.callbacks.LearningRateScheduler(schedule, verbose=1)])
for epoch, loss in enumerate(history.history["loss"]):
    print(f"step {epoch}: learning_rate={history.history['learning_rate'][epoch]:.6f} loss={loss:.4f}")
