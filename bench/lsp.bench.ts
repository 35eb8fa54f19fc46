// npm run bench:lsp — the language server over stdio on a generated 10,000-line file (200 models):
// didChange → publishDiagnostics, completion and hover latency (median and p95 of ≥ 30 samples).
import { readFileSync } from 'node:fs';
import { CompletionRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { LspSession, positionOf } from '../test/server/lspHarness';
import { generateLargeFile } from './generate';

const samples = 40;
const uri = 'file:///bench/large.gan';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const clockTicksPerMs = 100 / 1000;

/** The server process's CPU time in ms (user + system, from /proc; NaN where there is no /proc). */
function serverCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerMs;
  } catch {
    return Number.NaN;
  }
}

/** Wall and server-CPU time of one operation. */
interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

async function measure(pid: number | undefined, operation: () => Promise<void>): Promise<Sample> {
  const cpu = serverCpuMs(pid);
  const started = performance.now();
  await operation();
  return { wall: performance.now() - started, cpu: serverCpuMs(pid) - cpu };
}

async function main(): Promise<void> {
  const text = generateLargeFile();
  const lineCount = text.split('\n').length - 1;
  const delay = 150;
  const server = await LspSession.start({ initializationOptions: { gan: { diagnostics: { delay } } } });
  try {
    const started = performance.now();
    await server.open(uri, text);
    await server.waitForDiagnostics(uri, 1, 60_000);
    const firstCheck = performance.now() - started;

    // Edits in the middle of the file, one at a time, each after a pause longer than the debounce delay
    // (the first change after a pause is checked at once).
    const pid = server.child.pid;
    const diagnostics: Sample[] = [];
    let current = text;
    const mid = text.indexOf('latent ', Math.floor(text.length / 2)) + 'latent '.length;
    for (let i = 0; i < samples; i++) {
      current = current.slice(0, mid) + String(64 + (i % 30)) + current.slice(mid + 2);
      diagnostics.push(
        await measure(pid, async () => {
          const version = await server.change(uri, current);
          await server.waitForDiagnostics(uri, version, 60_000);
        }),
      );
      await sleep(delay + 20);
    }

    const completion: Sample[] = [];
    const hover: Sample[] = [];
    for (let i = 0; i < samples; i++) {
      // A different model each time: after `activation=` on a layer line, and on a layer word.
      const model = (i * 7) % 200;
      const after = current.indexOf(`model dcgan_${model}:`);
      const layerLine = positionOf(current.slice(after), 'activation=', 'activation='.length);
      const layerWord = positionOf(current.slice(after), 'deconv', 2);
      const base = positionOf(current, `model dcgan_${model}:`).line;
      completion.push(
        await measure(pid, async () => {
          const items = await server.connection.sendRequest(CompletionRequest.type, {
            textDocument: { uri },
            position: { line: base + layerLine.line, character: layerLine.character },
          });
          if (!items || (Array.isArray(items) ? items.length : items.items.length) === 0) {
            throw new Error('no completion items');
          }
        }),
      );
      hover.push(
        await measure(pid, async () => {
          const info = await server.connection.sendRequest(HoverRequest.type, {
            textDocument: { uri },
            position: { line: base + layerWord.line, character: layerWord.character },
          });
          if (!info) throw new Error('no hover');
        }),
      );
    }

    // Server CPU comes from /proc in 10 ms ticks: its median is coarse, its mean is not.
    const row = (name: string, samples: Sample[], target: number): string => {
      const xs = samples.map((s) => s.wall);
      const cpuMean = samples.reduce((sum, s) => sum + s.cpu, 0) / samples.length;
      return `${name.padEnd(32)} median ${median(xs).toFixed(1).padStart(6)} ms   p95 ${p95(xs).toFixed(1).padStart(6)} ms   (server cpu mean ${cpuMean.toFixed(1)} ms)   target < ${target} ms   ratio ${(median(xs) / target).toFixed(2)}`;
    };
    console.log(
      `bench:lsp — ${lineCount} lines, ${samples} samples each, over stdio (node dist/server.js --stdio)`,
    );
    console.log(`first check on open (JIT cold)     ${firstCheck.toFixed(1)} ms`);
    console.log(row('didChange → publishDiagnostics', diagnostics, 50));
    console.log(row('completion', completion, 10));
    console.log(row('hover', hover, 10));
  } finally {
    await server.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
