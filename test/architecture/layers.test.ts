// The import rules of eslint.config.mjs, exercised: each layer accepts what it may import and
// rejects what it may not, so a rule that stops matching (a typo in a pattern) fails here.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: join(__dirname, '..', '..') });

/** The restricted imports ESLint reports for `code` placed at `file`. */
async function rejected(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result.messages
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => /'([^']+)' import/.exec(m.message)?.[1] ?? m.message);
}

const imports = (...specifiers: string[]) =>
  specifiers.map((s, i) => `import * as m${i} from '${s}';\nexport { m${i} };\n`).join('');

test('src/protocol: src/language types only; no vscode, Node or training', async () => {
  const file = 'src/protocol/layer-probe.ts';
  assert.deepEqual(
    await rejected(
      file,
      "import type { ResolvedModel } from '../language/model';\nexport type X = ResolvedModel;\n",
    ),
    [],
  );
  assert.deepEqual(
    await rejected(
      file,
      imports('./training', '../language/analyze', '../training/contract', 'node:fs', 'path', 'vscode'),
    ),
    ['../language/analyze', '../training/contract', 'node:fs', 'path', 'vscode'],
  );
});

test('src/webview: src/protocol, its own modules and browser libraries; no Node, vscode or training', async () => {
  const file = 'src/webview/dashboard/layer-probe.ts';
  assert.deepEqual(
    await rejected(
      file,
      imports(
        '../../protocol/format',
        '../dom',
        'uplot',
        '@vscode-elements/elements/dist/vscode-badge/index.js',
      ),
    ),
    [],
  );
  assert.deepEqual(
    await rejected(
      file,
      imports('../../training/runs/paths', '../../extension/features', 'node:path', 'fs', 'vscode'),
    ),
    ['../../training/runs/paths', '../../extension/features', 'node:path', 'fs', 'vscode'],
  );
});

test('src/server: vscode-languageserver and src/language; no vscode, training or extension', async () => {
  const file = 'src/server/features/layer-probe.ts';
  assert.deepEqual(
    await rejected(
      file,
      imports('vscode-languageserver', '../../language', '../../protocol/language', 'node:fs'),
    ),
    [],
  );
  assert.deepEqual(
    await rejected(
      file,
      imports('vscode', 'vscode-languageclient/node', '../../training/runs/paths', '../../extension/main'),
    ),
    ['vscode', 'vscode-languageclient/node', '../../training/runs/paths', '../../extension/main'],
  );
});

test('src/extension: training through runs/, the webview page shell only, no checker', async () => {
  const file = 'src/extension/experiments/layer-probe.ts';
  assert.deepEqual(
    await rejected(
      file,
      imports(
        'vscode',
        'node:fs',
        '../../training/runs/client',
        '../../webview/html',
        '../../protocol/language',
      ),
    ),
    [],
  );
  assert.deepEqual(
    await rejected(
      file,
      imports(
        '../../training/engine',
        '../../webview/dom',
        '../../language/analyze',
        '../../server/server',
        '@tensorflow/tfjs',
      ),
    ),
    [
      '../../training/engine',
      '../../webview/dom',
      '../../language/analyze',
      '../../server/server',
      '@tensorflow/tfjs',
    ],
  );
});

test('src/language imports no other layer; src/training and the CLI no vscode', async () => {
  assert.deepEqual(
    await rejected('src/language/layer-probe.ts', imports('./syntax', '../protocol/format', 'node:util')),
    ['../protocol/format', 'node:util'],
  );
  assert.deepEqual(
    await rejected(
      'src/training/layer-probe.ts',
      imports('../protocol/sample', '../extension/main', 'vscode'),
    ),
    ['../extension/main', 'vscode'],
  );
  assert.deepEqual(
    await rejected(
      'src/cli/layer-probe.ts',
      imports('../training/runs/client', '../server/server', 'vscode'),
    ),
    ['../server/server', 'vscode'],
  );
});
