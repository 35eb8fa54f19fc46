import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/language';
import type { Diagnostic, Fix } from '../../src/language';

export const EXAMPLES_DIR = join(__dirname, '..', '..', 'examples');

export function exampleFiles(): { name: string; text: string }[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.gan'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(EXAMPLES_DIR, name), 'utf8') }));
}

export function example(name: string): string {
  return readFileSync(join(EXAMPLES_DIR, name), 'utf8');
}

export function codes(text: string): string[] {
  return analyze(text).diagnostics.map((d) => d.code);
}

export function diagnosticsWith(text: string, code: string): Diagnostic[] {
  return analyze(text).diagnostics.filter((d) => d.code === code);
}

/** Applies a fix's edits (offsets into `text`), last first. */
export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Replaces exactly one occurrence; throws when `from` is missing so a fixture typo cannot pass silently. */
export function replaceOnce(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i < 0) throw new Error(`fixture text not found: ${JSON.stringify(from)}`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

export const GAN = `# A small DCGAN used by the tests.
model m: gan {
  data mnist { scale [-1, 1]; batch 64 }
  latent 64
  generator {
    dense 7*7*64 bias=false
    batchnorm
    leakyrelu
    reshape [7, 7, 64]
    deconv 32 kernel=4 stride=2
    leakyrelu
    deconv 1 kernel=4 stride=2 activation=tanh
  }
  discriminator {
    conv 32 kernel=4 stride=2
    leakyrelu
    conv 64 kernel=4 stride=2
    leakyrelu
    flatten
    dense 1
  }
  loss nonsaturating
  optimizer adam lr=2e-4 beta1=0.5
  train { steps 100; seed 1 }
  sample { every 50; grid 4x4 }
}
`;
