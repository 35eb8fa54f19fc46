// The gradient penalty's parameter gradient (a Hessian-vector product by central differences)
// against a plain finite difference of the penalty itself, on a smooth critic.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { gradientPenalty } from '../../../src/training/engine/gradientPenalty';
import { CounterRng } from '../../../src/training/engine/rng';
import { useBackend } from './helpers';

before(useBackend);

it('gives the gradient of λ·E[(‖∇x D‖ − 1)²] with respect to the critic weights', () => {
  const rng = new CounterRng(11);
  const normal = (shape: number[], std: number): tf.Tensor =>
    tf.tensor(rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), 0, std), shape);
  const w1 = tf.variable(normal([6, 5], 0.8));
  const b1 = tf.variable(normal([5], 0.5));
  const w2 = tf.variable(normal([5, 1], 0.8));
  const critic = (x: tf.Tensor): tf.Tensor => tf.tanh(x.matMul(w1).add(b1)).matMul(w2);
  const real = normal([4, 6], 1);
  const fake = normal([4, 6], 1);
  const weight = 10;
  const penaltyAt = (): { value: number; grads: Record<string, Float32Array> } => {
    const state = rng.state();
    const gp = gradientPenalty(critic, real, fake, weight, rng);
    rng.restore(state);
    const { grads } = tf.variableGrads(() => gp.surrogate(), [w1, b1, w2]);
    const out = {
      value: gp.value.dataSync()[0],
      grads: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, g.dataSync() as Float32Array])),
    };
    return out;
  };
  const value = (): number => {
    const state = rng.state();
    const v = gradientPenalty(critic, real, fake, weight, rng).value.dataSync()[0];
    rng.restore(state);
    return v;
  };
  const { value: penalty, grads } = penaltyAt();
  assert.ok(penalty > 0.1, `penalty ${penalty}`);
  let checked = 0;
  for (const v of [w1, b1, w2]) {
    const base = v.dataSync().slice();
    for (const i of [0, 3, base.length - 1]) {
      const eps = 1e-2;
      const bumped = (d: number): number => {
        const p = base.slice();
        p[i] += d;
        v.assign(tf.tensor(p, v.shape));
        return value();
      };
      const numeric = (bumped(eps) - bumped(-eps)) / (2 * eps);
      v.assign(tf.tensor(base, v.shape));
      const analytic = grads[v.name][i];
      assert.ok(
        Math.abs(analytic - numeric) <= 0.03 * Math.max(1, Math.abs(numeric)),
        `${v.name}[${i}]: ${analytic} vs finite difference ${numeric}`,
      );
      checked++;
    }
  }
  assert.equal(checked, 9);
});
