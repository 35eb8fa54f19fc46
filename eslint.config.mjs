import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.gan/**', 'test-results/**', '.e2e/**', 'bin/**'] },
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
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', 'vscode-*', '@tensorflow/*', 'node:*', 'fs', 'path', 'child_process'],
              message: 'src/language is pure: no vscode, TensorFlow.js or Node APIs.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/training/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode', 'vscode-languageclient*'], message: 'src/training never imports vscode.' },
          ],
        },
      ],
    },
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
