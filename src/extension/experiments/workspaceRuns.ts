// Where runs live in this window: one runs folder per workspace folder (gan.runsDirectory).
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from './config';
import { runsDirFor } from './settings';

export function runsDirForFile(file: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(file) ?? vscode.workspace.workspaceFolders?.[0];
  return runsDirFor(folder?.uri.fsPath ?? dirname(file.fsPath), readSettings(file));
}

export function allRunsDirs(): string[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return [...new Set(folders.map((folder) => runsDirFor(folder.uri.fsPath, readSettings(folder.uri))))];
}
