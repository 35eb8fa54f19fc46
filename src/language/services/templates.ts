// Starter models offered as completion snippets at the top level, one per family. Families
// without a hand-written template get a skeleton built from the schema's required sections.
import type { FamilySpec } from '../schema';
import { sectionByName } from '../schema';

/** The DCGAN networks for 28x28x1 images (the gan and cgan starters share them). */
const DCGAN_28X28_NETWORKS = [
  '  generator {',
  '    dense 7*7*128 bias=false',
  '    batchnorm',
  '    leakyrelu',
  '    reshape [7, 7, 128]',
  '    deconv 64 kernel=4 stride=2 bias=false',
  '    batchnorm',
  '    leakyrelu',
  '    deconv 1 kernel=4 stride=2 activation=tanh',
  '  }',
  '',
  '  discriminator {',
  '    conv 64 kernel=4 stride=2',
  '    leakyrelu',
  '    conv 128 kernel=4 stride=2',
  '    leakyrelu',
  '    flatten',
  '    dense 1',
  '  }',
];

/** Snippet bodies (VS Code snippet syntax) keyed by family name; `${1:name}` is the model name. */
const TEMPLATES: Readonly<Record<string, string>> = {
  gan: [
    'model ${1:dcgan}: gan {',
    '  data ${2:mnist} { scale [-1, 1]; batch 64 }',
    '  latent ${3:100}',
    '',
    ...DCGAN_28X28_NETWORKS,
    '',
    '  loss ${4:nonsaturating}',
    '  optimizer adam lr=2e-4 beta1=0.5',
    '  train { epochs ${5:10}; seed 1 }',
    '  sample { every 500; grid 8x8 }',
    '}',
  ].join('\n'),
  cgan: [
    'model ${1:cgan}: cgan {',
    '  data ${2:fashion_mnist} { scale [-1, 1]; batch 64 }',
    '  latent ${3:64}',
    '  condition classes=10 embed=32',
    '',
    ...DCGAN_28X28_NETWORKS,
    '',
    '  loss ${4:nonsaturating}',
    '  optimizer adam lr=2e-4 beta1=0.5',
    '  train { epochs ${5:10}; seed 1 }',
    '  sample { every 500; grid 10x10 }',
    '}',
  ].join('\n'),
  vae: [
    'model ${1:vae}: vae {',
    '  data ${2:mnist} { scale [0, 1]; batch 128 }',
    '  latent ${3:16}',
    '',
    '  encoder {',
    '    conv 32 kernel=3 stride=2 activation=relu',
    '    conv 64 kernel=3 stride=2 activation=relu',
    '    flatten',
    '    dense 256 activation=relu',
    '  }',
    '',
    '  decoder {',
    '    dense 7*7*64 activation=relu',
    '    reshape [7, 7, 64]',
    '    deconv 64 kernel=3 stride=2 activation=relu',
    '    deconv 32 kernel=3 stride=2 activation=relu',
    '    deconv 1 kernel=3 activation=sigmoid',
    '  }',
    '',
    '  loss elbo beta=${4:1} reconstruction=bce',
    '  optimizer adam lr=1e-3',
    '  train { epochs ${5:10}; seed 1 }',
    '  sample { every 500; grid 8x8 }',
    '}',
  ].join('\n'),
  cyclegan: [
    'model ${1:cyclegan}: cyclegan {',
    '  data shapes domain=a kind=circle size=32x32 channels=1 { scale [-1, 1]; batch 8 }',
    '  data shapes domain=b kind=square size=32x32 channels=1 { scale [-1, 1]; batch 8 }',
    '',
    '  generator {',
    '    conv 32 kernel=7 norm=instance activation=relu',
    '    conv 64 kernel=3 stride=2 norm=instance activation=relu',
    '    repeat ${2:3} {',
    '      residual {',
    '        conv 64 kernel=3 norm=instance activation=relu',
    '        conv 64 kernel=3 norm=instance',
    '      }',
    '    }',
    '    deconv 32 kernel=3 stride=2 norm=instance activation=relu',
    '    conv 1 kernel=7 activation=tanh',
    '  }',
    '',
    '  discriminator {',
    '    conv 32 kernel=4 stride=2',
    '    leakyrelu',
    '    conv 64 kernel=4 stride=2 norm=instance',
    '    leakyrelu',
    '    conv 1 kernel=4',
    '  }',
    '',
    '  loss lsgan cycle=10 identity=5',
    '  optimizer adam lr=2e-4 beta1=0.5',
    '  train { steps ${3:2000}; seed 1 }',
    '  sample { every 200; grid 4x4 }',
    '}',
  ].join('\n'),
};

/** The starter-model snippet of a family. */
export function modelTemplate(family: FamilySpec): string {
  const written = TEMPLATES[family.name];
  if (written) return written;
  const lines = [`model \${1:${family.name}_model}: ${family.name} {`];
  for (const name of family.required) {
    const spec = sectionByName.get(name);
    lines.push(spec?.kind === 'network' ? `  ${name} {\n  }` : `  ${name} `);
  }
  lines.push('}');
  return lines.join('\n');
}

/** A snippet with its placeholders replaced by their defaults: `${1:dcgan}` -> `dcgan`. */
export function expandSnippet(snippet: string): string {
  let out = snippet;
  for (let i = 0; i < 8 && /\$\{\d+:[^{}]*\}/.test(out); i++) out = out.replace(/\$\{\d+:([^{}]*)\}/g, '$1');
  return out.replace(/\$\d+/g, '');
}
