// "GAN Studio: Check GPU backend": runs `gan gpu --load` in a short-lived Node process (TensorFlow.js
// never loads into the extension host) with the worker's settings, and shows what loads and why not,
// PyTorch's devices included (through gan.python, else the Python extension's environment).
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { readSettings } from './config';
import { gpuReportSummary } from './format';
import { pythonExtensionInterpreter } from './pythonEnvironment';
import { gpuCheckArgs, workerEnv } from './settings';

const CHECK_TIMEOUT_MS = 120_000;

export interface GpuCheckResult {
  readonly ok: boolean;
  readonly output: string;
}

export async function runGpuCheck(cliPath: string): Promise<GpuCheckResult> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const settings = readSettings(folder);
  const node = settings.nodeExecutable.trim() || process.execPath;
  const pythonEnvironment = await pythonExtensionInterpreter(folder);
  return new Promise((resolve) => {
    execFile(
      node,
      gpuCheckArgs(cliPath, settings, pythonEnvironment),
      { env: workerEnv(settings, process.env), timeout: CHECK_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = [stdout, stderr].filter((text) => text.trim()).join('\n');
        resolve({ ok: !error, output: output || (error ? error.message : '(no output)') });
      },
    );
  });
}

export async function checkGpuBackendCommand(cliPath: string, channel: vscode.OutputChannel): Promise<void> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Checking GPU backends…' },
    () => runGpuCheck(cliPath),
  );
  channel.clear();
  channel.appendLine(`GPU backend check (${new Date().toISOString()})`);
  channel.appendLine(result.output);
  channel.show(true);
  const summary = gpuReportSummary(result.output);
  const show = result.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void show(`GPU check: ${summary}`, 'Show Report').then((choice) => {
    if (choice) channel.show();
  });
}
