import { resolveModel, trainerFor, train } from './test/training/engine/helpers';
import { readFileSync } from 'node:fs';
const text = readFileSync('test/training/engine/cyclegan.test.ts', 'utf8').split('`')[1];
async function main() {
  const t = await trainerFor(resolveModel(text));
  const t0 = Date.now();
  const h = await train(t, 40);
  console.log((Date.now() - t0) / 40, 'ms/step');
  console.log(h.map((m) => m.cycle.toFixed(3)).join(' '));
}
main();
