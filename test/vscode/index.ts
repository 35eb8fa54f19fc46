// Entry point VS Code loads as --extensionTestsPath (bundled to out/test-vscode/index.js).
import { scenarios } from './language.vscode';
import { runScenarios } from './runner';

export function run(): Promise<void> {
  return runScenarios(scenarios);
}
