// Exponential moving average of a network's weights (used for generator samples).
import * as tf from '@tensorflow/tfjs';

export class WeightAverage {
  constructor(
    private readonly source: tf.LayersModel,
    readonly average: tf.LayersModel,
    private readonly decay: number,
  ) {
    this.copyAll();
  }

  private copyAll(): void {
    tf.tidy(() => this.source.weights.forEach((w, i) => this.average.weights[i].write(w.read().clone())));
  }

  /** avg = decay·avg + (1 − decay)·w for trainable weights; running statistics are copied. */
  update(): void {
    tf.tidy(() => {
      const targets = this.average.weights;
      this.source.weights.forEach((w, i) => {
        const target = targets[i];
        const value = w.read();
        if (w.trainable)
          target.write(
            target
              .read()
              .mul(this.decay)
              .add(value.mul(1 - this.decay)),
          );
        else target.write(value.clone());
      });
    });
  }
}
