import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/analyze';
import { FAMILIES, LAYERS } from '../../../src/language/schema';
import { complete } from '../../../src/language/services';
import { expandSnippet } from '../../../src/language/services/templates';
import { atCursor, example } from './cursor';

function labelsAt(source: string): string[] {
  const { analysis, position } = atCursor(source);
  return complete(analysis, position).map((c) => c.label);
}

interface Case {
  readonly name: string;
  readonly source: string;
  readonly includes: readonly string[];
  readonly excludes: readonly string[];
}

const gan = (body: string): string => `model x: gan {\n${body}\n}\n`;

const CASES: readonly Case[] = [
  {
    name: 'families after `model x:`',
    source: 'model x: <|>',
    includes: FAMILIES.map((f) => f.name),
    excludes: ['model', 'data', 'conv'],
  },
  {
    name: 'sections on an empty line of a gan model',
    source: gan('  <|>'),
    includes: [
      'data',
      'latent',
      'generator',
      'discriminator',
      'loss',
      'optimizer',
      'train',
      'sample',
      'evaluate',
    ],
    excludes: ['encoder', 'decoder', 'condition', 'conv', 'model', 'gan'],
  },
  {
    name: 'sections already present are not offered again',
    source: gan('  data mnist\n  generator {\n    dense 1\n  }\n  <|>'),
    includes: ['discriminator', 'latent', 'optimizer'],
    excludes: ['data', 'generator'],
  },
  {
    name: 'a model whose `{` sits on the next line',
    source: 'model x: vae\n{\n  <|>\n}',
    includes: ['encoder', 'decoder'],
    excludes: ['generator'],
  },
  {
    name: 'a rate after `dropout `, not words from the file',
    source: gan('  generator {\n    dense 64\n    dropout <|>\n  }'),
    includes: ['0.3', '0.5', '0.2'],
    excludes: ['dense', 'generator', 'x'],
  },
  {
    name: 'a size after `dense ` and filters after `conv `',
    source: gan('  discriminator {\n    conv <|>\n  }'),
    includes: ['64', '32', '128'],
    excludes: ['discriminator', 'conv'],
  },
  {
    name: 'cgan offers condition',
    source: 'model c: cgan {\n  <|>\n}',
    includes: ['condition', 'latent', 'generator'],
    excludes: ['encoder'],
  },
  {
    name: 'pixelcnn offers condition (optional), not latent',
    source: 'model p: pixelcnn {\n  <|>\n}',
    includes: ['condition', 'levels', 'network'],
    excludes: ['latent', 'generator'],
  },
  {
    name: 'a pixelcnn condition takes classes, not cgan’s settings',
    source: 'model p: pixelcnn {\n  condition {\n    <|>\n  }\n}',
    includes: ['classes'],
    excludes: ['embed', 'generator', 'discriminator', 'vocab'],
  },
  {
    name: 'a cgan condition offers `text` (captions) beside its class settings',
    source: 'model c: cgan {\n  condition <|>\n}',
    includes: ['text', 'classes=', 'vocab='],
    excludes: ['latent'],
  },
  {
    name: 'cyclegan offers a second data source but no latent',
    source: 'model y: cyclegan {\n  data shapes domain=a\n  <|>\n}',
    includes: ['data', 'generator', 'discriminator'],
    excludes: ['latent', 'condition', 'encoder'],
  },
  {
    name: 'cyclegan with both data sources offers no third',
    source: 'model y: cyclegan {\n  data shapes domain=a\n  data shapes domain=b\n  <|>\n}',
    includes: ['generator'],
    excludes: ['data'],
  },
  {
    name: 'layers inside generator',
    source: gan('  generator {\n    <|>\n  }'),
    includes: LAYERS.map((l) => l.name),
    excludes: ['data', 'generator', 'kernel=', 'gan'],
  },
  {
    name: 'parameters after `conv 64 `',
    source: gan('  generator {\n    conv 64 <|>\n  }'),
    includes: ['kernel=', 'stride=', 'padding=', 'activation=', 'bias=', 'norm=', 'sn='],
    excludes: ['filters=', 'units=', 'dense', 'rate='],
  },
  {
    name: 'the default of an optional value written without a name',
    source: gan('  generator {\n    leakyrelu <|>\n  }'),
    includes: ['0.2'],
    excludes: ['alpha=', 'kernel='],
  },
  {
    name: 'parameters already given are not offered again',
    source: gan('  generator {\n    conv 64 kernel=4 stride=2 <|>\n  }'),
    includes: ['padding=', 'activation='],
    excludes: ['kernel=', 'stride='],
  },
  {
    name: 'activation values after `activation=`',
    source: gan('  generator {\n    conv 64 activation=<|>\n  }'),
    includes: ['linear', 'relu', 'leakyrelu', 'tanh', 'sigmoid', 'elu'],
    excludes: ['same', 'batch', 'kernel='],
  },
  {
    name: 'padding values after `padding=`',
    source: gan('  discriminator {\n    conv 64 padding=<|>\n  }'),
    includes: ['same', 'valid'],
    excludes: ['tanh'],
  },
  {
    name: 'norm values after `norm=` with a partial word',
    source: gan('  generator {\n    conv 64 norm=in<|>\n  }'),
    includes: ['none', 'batch', 'instance', 'layer'],
    excludes: ['tanh'],
  },
  {
    name: 'data sources after `data `',
    source: gan('  data <|>'),
    includes: ['mnist', 'fashion_mnist', 'emoji', 'folder', 'shapes'],
    excludes: ['adam', 'scale=', 'generator'],
  },
  {
    name: 'emoji settings in a gan (no domain)',
    source: gan('  data emoji <|>'),
    includes: ['style=', 'size=', 'channels=', 'scale=', 'batch='],
    excludes: ['domain=', 'kind=', 'path=', 'labels='],
  },
  {
    name: 'shapes settings in a cyclegan include domain',
    source: 'model y: cyclegan {\n  data shapes <|>\n}',
    includes: ['domain=', 'kind=', 'size=', 'channels='],
    excludes: ['style='],
  },
  {
    name: 'domain values',
    source: 'model y: cyclegan {\n  data shapes domain=<|>\n}',
    includes: ['a', 'b'],
    excludes: ['c', 'train'],
  },
  {
    name: 'a domain already fed by another source is not offered',
    source: 'model y: cyclegan {\n  data shapes domain=a\n  data shapes domain=<|>\n}',
    includes: ['b'],
    excludes: ['a'],
  },
  {
    name: 'optimizer roles that have one already, and a second shared optimizer, are not offered',
    source: gan('  optimizer adam\n  optimizer generator adam\n  optimizer <|>'),
    includes: ['discriminator'],
    excludes: ['generator', 'adam', 'sgd'],
  },
  {
    name: 'a metric already listed is not offered again',
    source: gan('  evaluate {\n    fid every=10\n    <|>\n  }'),
    includes: [],
    excludes: ['fid'],
  },
  {
    name: 'loss kinds after `loss ` in a vae',
    source: 'model v: vae {\n  loss <|>\n}',
    includes: ['elbo'],
    excludes: ['hinge', 'minimax', 'lsgan', 'wasserstein', 'nonsaturating'],
  },
  {
    name: 'loss kinds after `loss ` in a cyclegan',
    source: 'model y: cyclegan {\n  loss <|>\n}',
    includes: ['lsgan', 'nonsaturating'],
    excludes: ['elbo', 'hinge', 'wasserstein'],
  },
  {
    name: 'loss settings of elbo and their values',
    source: 'model v: vae {\n  loss elbo <|>\n}',
    includes: ['beta=', 'reconstruction='],
    excludes: ['gp=', 'smoothing=', 'cycle='],
  },
  {
    name: 'reconstruction values',
    source: 'model v: vae {\n  loss elbo reconstruction=<|>\n}',
    includes: ['bce', 'mse'],
    excludes: ['tanh'],
  },
  {
    name: 'optimizer roles and kinds in a gan',
    source: gan('  optimizer <|>'),
    includes: ['generator', 'discriminator', 'adam', 'rmsprop', 'sgd'],
    excludes: ['encoder', 'decoder', 'lr='],
  },
  {
    name: 'optimizer kinds after a role',
    source: gan('  optimizer discriminator <|>'),
    includes: ['adam', 'rmsprop', 'sgd'],
    excludes: ['generator', 'discriminator'],
  },
  {
    name: 'adam settings',
    source: gan('  optimizer generator adam lr=1e-4 <|>'),
    includes: ['beta1=', 'beta2='],
    excludes: ['lr=', 'momentum='],
  },
  {
    name: 'model names after `extends`',
    source: `${example('mnist-dcgan.gan')}\nmodel mine extends <|>`,
    includes: ['dcgan', 'dcgan_small', 'dcgan_hinge'],
    excludes: ['mine', 'gan'],
  },
  {
    name: 'settings inside `train {`',
    source: gan('  train {\n    <|>\n  }'),
    includes: ['epochs', 'steps', 'd_steps', 'seed', 'checkpoint', 'ema', 'backend'],
    excludes: ['every', 'grid', 'conv', 'lr'],
  },
  {
    name: 'settings already written in the block, and their alternatives, are left out',
    source: gan('  train {\n    epochs 10\n    <|>\n  }'),
    includes: ['seed', 'backend'],
    excludes: ['epochs', 'steps'],
  },
  {
    name: 'backend values on a settings line',
    source: gan('  train {\n    backend <|>\n  }'),
    includes: ['auto', 'gpu', 'webgpu', 'cpu', 'wasm'],
    excludes: ['tanh', 'epochs'],
  },
  {
    name: 'scale values in a one-line data block',
    source: gan('  data mnist { batch 64; scale <|> }'),
    includes: ['[-1, 1]', '[0, 1]'],
    excludes: ['mnist'],
  },
  {
    name: 'sample settings',
    source: gan('  sample { <|> }'),
    includes: ['every', 'grid', 'seed'],
    excludes: ['epochs'],
  },
  {
    name: 'layers inside residual nested in repeat',
    source: gan('  generator {\n    repeat 2 {\n      residual {\n        <|>\n      }\n    }\n  }'),
    includes: ['conv', 'batchnorm', 'residual'],
    excludes: ['data', 'generator'],
  },
  {
    name: 'metrics inside evaluate',
    source: gan('  evaluate {\n    <|>\n  }'),
    includes: ['fid'],
    excludes: ['conv', 'every='],
  },
  {
    name: 'a broken, unclosed file still completes layers',
    source: 'model x: gan {\n  data mnist scale=[0, 1 )) @\n  generator {\n    conv 64 kernel=\n    <|>',
    includes: ['conv', 'dense', 'flatten'],
    excludes: ['data', 'generator'],
  },
  {
    name: 'the half-typed line under the cursor: a partial section word',
    source: gan('  gen<|>'),
    includes: ['generator', 'discriminator'],
    excludes: ['encoder', 'conv'],
  },
  {
    name: 'top level: model keyword and one starter model per family',
    source: '<|>',
    includes: ['model', ...FAMILIES.map((f) => `model: ${f.name}`)],
    excludes: ['data', 'gan', 'conv'],
  },
];

for (const c of CASES) {
  test(`completion: ${c.name}`, () => {
    const labels = labelsAt(c.source);
    for (const want of c.includes)
      assert.ok(labels.includes(want), `expected ${want} in [${labels.join(' ')}]`);
    for (const bad of c.excludes)
      assert.ok(!labels.includes(bad), `did not expect ${bad} in [${labels.join(' ')}]`);
  });
}

test('completion: nothing in a comment, in a string, mid-expression or inside a number', () => {
  assert.deepEqual(labelsAt(gan('  # data <|>')), []);
  assert.deepEqual(labelsAt(gan('  data folder "da<|>')), []);
  assert.deepEqual(labelsAt(gan('  generator {\n    dense 7*7*<|>\n  }')), []);
  assert.deepEqual(labelsAt(gan('  generator {\n    reshape [7, <|>\n  }')), []);
  assert.deepEqual(labelsAt(gan('  generator {\n    dense 12<|>\n  }')), []);
});

test('completion: items replace the partial word and carry docs, detail and snippets', () => {
  const { analysis, position } = atCursor(gan('  generator {\n    conv 64 act<|>\n  }'));
  const items = complete(analysis, position);
  const activation = items.find((i) => i.label === 'activation=');
  assert.ok(activation);
  assert.equal(activation.insertText, 'activation=');
  assert.equal(activation.retrigger, true);
  assert.match(activation.detail, /one of linear, relu/);
  assert.match(activation.detail, /default linear/);
  assert.deepEqual(activation.range, {
    start: { line: position.line, character: position.character - 3 },
    end: position,
  });

  const layers = complete(...cursorArgs(gan('  generator {\n    <|>\n  }')));
  const dropout = layers.find((i) => i.label === 'dropout');
  assert.ok(dropout);
  assert.equal(dropout.isSnippet, true);
  assert.equal(dropout.insertText, 'dropout ${1:rate}');
  assert.match(dropout.documentation, /Randomly zeroes/);
  const residual = layers.find((i) => i.label === 'residual');
  assert.equal(residual?.insertText, 'residual {\n\t$0\n}');
});

test('completion: the default value sorts first', () => {
  const items = complete(...cursorArgs(gan('  generator {\n    conv 64 padding=<|>\n  }')));
  const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText));
  assert.equal(sorted[0].label, 'same');
});

test('completion: missing required sections sort before optional ones', () => {
  const items = complete(...cursorArgs(gan('  data mnist\n  <|>')));
  const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText)).map((i) => i.label);
  assert.ok(sorted.indexOf('latent') < sorted.indexOf('train'));
  assert.ok(sorted.indexOf('generator') < sorted.indexOf('loss'));
});

test('completion: every starter model snippet checks clean', () => {
  const items = complete(...cursorArgs('<|>')).filter((i) => i.kind === 'snippet');
  assert.equal(items.length, FAMILIES.length);
  for (const item of items) {
    const text = expandSnippet(item.insertText);
    const analysis = analyze(text);
    assert.deepEqual(
      analysis.diagnostics.map((d) => `${d.code} ${d.message}`),
      [],
      `${item.label} snippet:\n${text}`,
    );
    assert.ok(analysis.models[0]?.resolved, `${item.label} resolves`);
  }
});

function cursorArgs(source: string): Parameters<typeof complete> {
  const { analysis, position } = atCursor(source);
  return [analysis, position];
}
