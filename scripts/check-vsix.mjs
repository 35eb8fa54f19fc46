// Checks a packaged .vsix: under 5 MB, and nothing in it but what the installed extension needs
// (no sources, tests, source maps or node_modules), and everything training needs. Prints the
// entries with their sizes.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'dist/gan-studio.vsix';
const zip = readFileSync(file);
const maxBytes = 5 * 1024 * 1024;

/** Reads the zip's central directory: [name, uncompressed size, compressed size]. */
function entries(buffer) {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    const compressed = buffer.readUInt32LE(offset + 20);
    const size = buffer.readUInt32LE(offset + 24);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    out.push([buffer.toString('utf8', offset + 46, offset + 46 + nameLength), size, compressed]);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

const forbidden = [
  /^extension\/src\//,
  /^extension\/test\//,
  /^extension\/node_modules\//,
  /\.map$/,
  /\.ts$/,
  /^extension\/scripts\//,
];
// What an installed extension needs to train without node_modules (TensorFlow.js is bundled).
const required = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/server.js',
  'extension/dist/worker.js',
  'extension/dist/cli.js',
  'extension/dist/wasm/package.json',
  'extension/dist/wasm/tfjs-backend-wasm.js',
  'extension/dist/wasm/tfjs-backend-wasm.wasm',
  'extension/dist/wasm/tfjs-backend-wasm-simd.wasm',
  'extension/dist/wasm/tfjs-backend-wasm-threaded-simd.js',
  'extension/dist/wasm/tfjs-backend-wasm-threaded-simd.wasm',
  'extension/dist/wasm/tfjs-backend-wasm-threaded-simd.worker.js',
  'extension/dist/classifiers/mnist/model.json',
  'extension/dist/classifiers/mnist/weights.bin',
  'extension/dist/classifiers/mnist/info.json',
];
const list = entries(zip);
const names = new Set(list.map(([name]) => name));
const problems = list
  .filter(([name]) => forbidden.some((pattern) => pattern.test(name)))
  .map(([name]) => `unexpected ${name}`);
for (const name of required) if (!names.has(name)) problems.push(`missing ${name}`);
if (zip.length > maxBytes) problems.push(`${file} is ${(zip.length / 1e6).toFixed(2)} MB (limit 5 MB)`);
for (const [name, size, compressed] of list) {
  console.log(
    `${(size / 1024).toFixed(1).padStart(9)} KiB ${(compressed / 1024).toFixed(1).padStart(9)} KiB  ${name}`,
  );
}
console.log(`${file}: ${list.length} entries, ${(zip.length / 1024 / 1024).toFixed(2)} MiB`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
