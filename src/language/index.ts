// The .gan language library: pure functions of text. No vscode, TensorFlow.js or file system.
export * from './model';
export * from './syntax';
export * from './diagnostics';
export { parse } from './parser';
export { tokenize } from './lexer';
export { analyze } from './analyze';
export type { Analysis, ModelInfo } from './analyze';
export type { LayerInfo } from './networks';
export * as schema from './schema';
