// Corrections to kernels of TensorFlow.js's cpu backend (tfjs-backend-cpu 4.22), registered over the
// originals when this module loads. Training on `backend cpu` (and the tests that compare engines
// on it) must get the same gradients as wasm and PyTorch.
//
// ResizeNearestNeighborGrad (the gradient of `upsample` and of nearest-neighbour resizing): the
// original reads dy at the *input's* batch offset, so every image after the first sums the wrong
// rows (4× upsampling of 8 images: errors up to 9.6 against wasm's exact values). Found when the
// torch engine's progan disagreed with TensorFlow.js on the fade-in path. Here each dy value is
// added to the input pixel the forward pass copied it from.
import * as tf from '@tensorflow/tfjs';

interface CpuBackend {
  readonly data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: readonly number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

function sourceIndex(i: number, scale: number, size: number, alignCorners: boolean): number {
  return Math.min(size - 1, alignCorners ? Math.round(i * scale) : Math.floor(i * scale));
}

const resizeNearestNeighborGrad: tf.KernelConfig = {
  kernelName: 'ResizeNearestNeighborGrad',
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { images, dy } = inputs as unknown as { images: tf.TensorInfo; dy: tf.TensorInfo };
    const alignCorners = (attrs as unknown as { alignCorners: boolean }).alignCorners;
    const cpu = backend as unknown as CpuBackend;
    const [batch, xHeight, xWidth, depth] = images.shape;
    const [, yHeight, yWidth] = dy.shape;
    const scale = (x: number, y: number): number => (alignCorners && y > 1 ? (x - 1) / (y - 1) : x / y);
    const rows = Array.from({ length: yHeight }, (_, y) =>
      sourceIndex(y, scale(xHeight, yHeight), xHeight, alignCorners),
    );
    const cols = Array.from({ length: yWidth }, (_, x) =>
      sourceIndex(x, scale(xWidth, yWidth), xWidth, alignCorners),
    );
    const dyValues = cpu.data.get(dy.dataId).values;
    const out = new Float32Array(batch * xHeight * xWidth * depth);
    for (let b = 0; b < batch; b++)
      for (let y = 0; y < yHeight; y++)
        for (let x = 0; x < yWidth; x++) {
          const from = ((b * yHeight + y) * yWidth + x) * depth;
          const to = ((b * xHeight + rows[y]) * xWidth + cols[x]) * depth;
          for (let d = 0; d < depth; d++) out[to + d] += dyValues[from + d];
        }
    return cpu.makeTensorInfo(images.shape, 'float32', out);
  },
};

for (const fix of [resizeNearestNeighborGrad]) {
  tf.unregisterKernel(fix.kernelName, fix.backendName);
  tf.registerKernel(fix);
}
