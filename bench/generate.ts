// Generates the benchmark file: 200 models, 10,000 lines, built from the examples with varied names.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function generateLargeFile(models = 200, linesPerModel = 50): string {
  const dir = join(process.cwd(), 'examples');
  const gan = readFileSync(join(dir, 'mnist-dcgan.gan'), 'utf8');
  const dcgan = gan.slice(gan.indexOf('model dcgan:'), gan.indexOf('# A quarter'));
  void readdirSync;
  const out: string[] = [];
  for (let i = 0; i < models; i++) {
    const body = dcgan
      .replace('model dcgan:', `model dcgan_${i}:`)
      .replace('latent 100', `latent ${64 + (i % 64)}`)
      .trimEnd();
    const lines = [`# Model ${i}: a DCGAN variant for the language benchmark.`, ...body.split('\n')];
    while (lines.length < linesPerModel)
      lines.splice(lines.length - 1, 0, `  # padding comment ${lines.length}`);
    out.push(...lines.slice(0, linesPerModel - 1), '}'.padStart(1));
    if (lines.length > linesPerModel) throw new Error('model template longer than linesPerModel');
  }
  return out.join('\n') + '\n';
}
