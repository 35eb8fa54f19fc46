import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layers import downward only (ARCHITECTURE.md, "Invariants"):
//   language  <-  protocol  <-  webview (browser)
//      ^             ^
//      +-- training, server, cli, extension (Node)
// Each layer's rule lists what it must not reach; tsconfig.json files per folder keep the Node
// and DOM globals where they belong (scripts/typecheck.mjs).
const bare = builtinModules.filter((name) => !name.startsWith('_')).map((name) => name.replace(/\//g, '\\/'));
const node = { regex: `^(node:.+|(${bare.join('|')})(/.*)?)$` };
const vscode = { regex: '^vscode(-[a-z-]+)?(/|$)' };
const tfjs = { regex: '^@tensorflow/' };
// Another layer is always one or more folders up (`./x` is the layer's own module).
const layer = (name) => ({ regex: `^(\\.\\./)+${name}(/|$)` });
const restrict = (...patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.gan/**', 'test-results/**', '.e2e/**', 'bin/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/language/**/*.ts'],
    rules: restrict(
      ...[vscode, tfjs, node].map((p) => ({
        ...p,
        message: 'src/language is pure: no vscode, TensorFlow.js or Node APIs.',
      })),
      ...['protocol', 'training', 'server', 'extension', 'webview', 'cli'].map((name) => ({
        ...layer(name),
        message: 'src/language is the bottom layer: it imports no other part of the project.',
      })),
    ),
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: restrict(
      ...[vscode, tfjs, node].map((p) => ({
        ...p,
        message:
          'src/protocol is plain data shared by Node and the browser: no vscode, TensorFlow.js or Node.',
      })),
      {
        ...layer('language'),
        allowTypeImports: true,
        message: 'src/protocol may use src/language types only.',
      },
      ...['training', 'server', 'extension', 'webview', 'cli'].map((name) => ({
        ...layer(name),
        message: 'src/protocol sits below every process: move the type down here instead.',
      })),
    ),
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: restrict(
      ...[vscode, tfjs, node].map((p) => ({
        ...p,
        message: 'The webview runs in a browser: it gets data only through typed messages.',
      })),
      {
        ...layer('language'),
        allowTypeImports: true,
        message: 'The webview needs no checker: it may use src/language types only.',
      },
      ...['training', 'server', 'extension', 'cli'].map((name) => ({
        ...layer(name),
        message: 'The webview imports src/protocol and its own modules only.',
      })),
    ),
  },
  {
    files: ['src/server/**/*.ts'],
    rules: restrict(
      ...[{ regex: '^vscode(-languageclient)?(/|$)' }, tfjs].map((p) => ({
        ...p,
        message:
          'The language server is a plain Node process (vscode-languageserver): no vscode, no TensorFlow.js.',
      })),
      ...['training', 'extension', 'webview', 'cli'].map((name) => ({
        ...layer(name),
        message:
          'The language server serves src/language: it imports no training, extension, webview or CLI code.',
      })),
    ),
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: restrict(
      ...[tfjs, { regex: '^vscode-languageserver' }].map((p) => ({
        ...p,
        message: 'The extension host neither trains nor serves the language: workers and the server do.',
      })),
      {
        regex: '^(\\.\\./)+training/(?!runs/)',
        message:
          'The extension host reaches training through src/training/runs (the run folder and the worker client).',
      },
      {
        regex: '^(\\.\\./)+webview/(?!html$)',
        message:
          'The extension host knows only the webview page shell (src/webview/html.ts); messages are in src/protocol.',
      },
      {
        ...layer('language'),
        allowTypeImports: true,
        message:
          'The extension host does not run the checker: ask the language server (src/protocol/language.ts).',
      },
      ...['server', 'cli'].map((name) => ({
        ...layer(name),
        message: 'The extension host starts the server and CLI as processes; it does not import them.',
      })),
    ),
  },
  {
    files: ['src/training/**/*.ts'],
    rules: restrict(
      { ...vscode, message: 'src/training never imports vscode.' },
      ...['server', 'extension', 'webview', 'cli'].map((name) => ({
        ...layer(name),
        message: 'src/training is driven by the worker, the CLI and the extension; it imports none of them.',
      })),
    ),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrict(
      { ...vscode, message: 'The gan CLI runs without VS Code.' },
      ...['server', 'extension', 'webview'].map((name) => ({
        ...layer(name),
        message: 'The gan CLI uses src/language, src/protocol and src/training only.',
      })),
    ),
  },
  {
    // A family is one module per layer: code outside those modules never tests a family by name.
    files: ['src/**/*.ts'],
    ignores: ['src/language/families/**', 'src/training/engine/families/**', 'src/webview/families/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "BinaryExpression[operator=/^[!=]==?$/]:matches([left.property.name='family'], [left.name='family'], [right.property.name='family'], [right.name='family']):has(Literal)",
          message: 'Test a family only in its own module: declare what differs in the family registries.',
        },
        {
          selector:
            "SwitchStatement:matches([discriminant.property.name='family'], [discriminant.name='family'])",
          message: 'Test a family only in its own module: declare what differs in the family registries.',
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bench/**/*.mjs', 'test/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
