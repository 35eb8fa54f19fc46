// Finding a Python that has PyTorch, the way VS Code users expect: the `gan.python` setting (or
// `--python`), else the Python extension's active environment, else `python3` / `python` on PATH.
// Each candidate is asked, in a child process, for its versions and torch's devices; the first that
// imports torch wins, and when none does the error names every interpreter tried and why.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export type InterpreterSource = 'setting' | 'python-extension' | 'path';

export interface InterpreterCandidate {
  /** An executable path, or a bare name looked up on PATH. */
  readonly command: string;
  readonly source: InterpreterSource;
}

export interface TorchDevices {
  readonly cuda: readonly string[];
  /** CUDA runtime torch was built with; null for CPU-only builds. */
  readonly cudaVersion: string | null;
  readonly mps: boolean;
  /** CPU threads torch uses by default. */
  readonly cpuThreads: number;
}

export interface TorchInterpreter {
  readonly candidate: InterpreterCandidate;
  /** sys.executable: the interpreter itself, symlinks and shims resolved by Python. */
  readonly executable: string;
  readonly pythonVersion: string;
  readonly torchVersion: string;
  readonly devices: TorchDevices;
}

export type InterpreterProbe =
  | { readonly ok: true; readonly interpreter: TorchInterpreter }
  | { readonly ok: false; readonly candidate: InterpreterCandidate; readonly problem: string };

export interface TorchSearch {
  /** The first candidate that imports torch; null when none does. */
  readonly found: TorchInterpreter | null;
  /** Every candidate asked, in order (the search stops at the first that works). */
  readonly tried: readonly InterpreterProbe[];
}

export interface CandidateOptions {
  /** `gan.python` or `--python`: an interpreter the user named. */
  readonly setting?: string | null;
  /** The Python extension's active environment's interpreter. */
  readonly pythonExtension?: string | null;
  /** PATH to search for python3 and python; default: this process's. */
  readonly path?: string;
}

const SOURCE_LABEL: Readonly<Record<InterpreterSource, string>> = {
  setting: 'gan.python setting',
  'python-extension': "Python extension's environment",
  path: 'PATH',
};

const PROBE_TIMEOUT_MS = 60_000;

// Printed as one JSON line; importing torch is the slow part (about a second).
const PROBE_SCRIPT = `
import json, platform, sys
out = {"executable": sys.executable, "python": platform.python_version()}
try:
    import torch
except Exception as e:
    out["error"] = "%s: %s" % (type(e).__name__, e)
else:
    out["torch"] = torch.__version__
    cuda = torch.cuda.is_available()
    out["cuda"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())] if cuda else []
    out["cuda_version"] = torch.version.cuda
    mps = getattr(torch.backends, "mps", None)
    out["mps"] = bool(mps is not None and mps.is_available())
    out["threads"] = torch.get_num_threads()
print(json.dumps(out))
`;

/** Looks `name` up on `path` as a shell would: the first executable file of that name. */
export function whichOnPath(name: string, path: string): string | null {
  const extensions = process.platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const file = join(dir, name + ext);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** The interpreters to ask, in order of preference, without duplicates. */
export function interpreterCandidates(options: CandidateOptions): InterpreterCandidate[] {
  const path = options.path ?? process.env.PATH ?? '';
  const out: InterpreterCandidate[] = [];
  const add = (command: string | null | undefined, source: InterpreterSource): void => {
    const trimmed = command?.trim();
    if (trimmed && !out.some((c) => c.command === trimmed)) out.push({ command: trimmed, source });
  };
  add(options.setting, 'setting');
  add(options.pythonExtension, 'python-extension');
  for (const name of process.platform === 'win32' ? ['python', 'py'] : ['python3', 'python'])
    add(whichOnPath(name, path), 'path');
  return out;
}

interface ProbeOutput {
  readonly executable?: string;
  readonly python?: string;
  readonly torch?: string;
  readonly error?: string;
  readonly cuda?: string[];
  readonly cuda_version?: string | null;
  readonly mps?: boolean;
  readonly threads?: number;
}

/** The probe's JSON line (its last line of output), or null when it printed none. */
function parseProbe(stdout: string): ProbeOutput | null {
  try {
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as ProbeOutput;
  } catch {
    return null;
  }
}

/** Asks one interpreter for its Python and torch versions and torch's devices. */
export function probeInterpreter(candidate: InterpreterCandidate): Promise<InterpreterProbe> {
  const failed = (problem: string): InterpreterProbe => ({ ok: false, candidate, problem });
  if (isAbsolute(candidate.command)) {
    try {
      accessSync(candidate.command, constants.X_OK);
    } catch {
      return Promise.resolve(failed('no executable file at this path'));
    }
  }
  return new Promise((resolve) => {
    execFile(
      candidate.command,
      ['-c', PROBE_SCRIPT],
      { timeout: PROBE_TIMEOUT_MS, maxBuffer: 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        const parsed = parseProbe(stdout);
        if (!parsed) {
          const why = error?.message ?? (stderr.trim() || 'printed no answer');
          resolve(failed(`did not run as Python: ${why.split('\n')[0]}`));
          return;
        }
        if (!parsed.torch) {
          resolve(
            failed(`Python ${parsed.python ?? '?'} without torch (${parsed.error ?? 'import failed'})`),
          );
          return;
        }
        resolve({
          ok: true,
          interpreter: {
            candidate,
            executable: parsed.executable ?? candidate.command,
            pythonVersion: parsed.python ?? '?',
            torchVersion: parsed.torch,
            devices: {
              cuda: parsed.cuda ?? [],
              cudaVersion: parsed.cuda_version ?? null,
              mps: parsed.mps === true,
              cpuThreads: parsed.threads ?? 1,
            },
          },
        });
      },
    );
  });
}

/** Asks the candidates in order until one imports torch. */
export async function findTorch(candidates: readonly InterpreterCandidate[]): Promise<TorchSearch> {
  const tried: InterpreterProbe[] = [];
  for (const candidate of candidates) {
    const probe = await probeInterpreter(candidate);
    tried.push(probe);
    if (probe.ok) return { found: probe.interpreter, tried };
  }
  return { found: null, tried };
}

function candidateLabel(c: InterpreterCandidate): string {
  return `${c.command} (${SOURCE_LABEL[c.source]})`;
}

/** The devices torch can train on here, best first, as one line. */
export function describeTorchDevices(devices: TorchDevices): string {
  const parts = devices.cuda.map((name, i) => `cuda:${i} ${name}`);
  if (devices.mps) parts.push('mps (Apple GPU)');
  parts.push(`cpu (${devices.cpuThreads} ${devices.cpuThreads === 1 ? 'thread' : 'threads'})`);
  const build = devices.cudaVersion ? `built for CUDA ${devices.cudaVersion}` : 'a CPU-only build';
  return `${parts.join(', ')}; ${build}`;
}

/** Why no interpreter with torch was found: each one tried and its answer, then how to fix it. */
export function torchMissingMessage(tried: readonly InterpreterProbe[]): string {
  const lines = ['PyTorch was not found.'];
  if (tried.length === 0)
    lines.push(
      'No Python interpreter was found: no gan.python setting, no Python extension environment, no python3 on PATH.',
    );
  else {
    lines.push('Interpreters tried:');
    for (const probe of tried) {
      const candidate = probe.ok ? probe.interpreter.candidate : probe.candidate;
      lines.push(
        `  ${candidateLabel(candidate)}: ${probe.ok ? `torch ${probe.interpreter.torchVersion}` : probe.problem}`,
      );
    }
  }
  lines.push(
    'Install it into one of them (`python3 -m pip install torch`, see https://pytorch.org/get-started/locally/ for a CUDA build;',
    'on Debian or Ubuntu `apt install python3-torch libopenblas0-pthread`), or set gan.python (the CLI: --python) to an interpreter that has it.',
  );
  return lines.join('\n');
}

/** Report lines for `gan gpu`: which interpreter, torch version and devices, or why none. */
export function torchReportLines(search: TorchSearch): string[] {
  if (!search.found) {
    const [first, ...rest] = torchMissingMessage(search.tried).split('\n');
    return [`[torch] unavailable: ${first}`, ...rest.map((line) => `  ${line}`)];
  }
  const { found } = search;
  return [
    `[torch] works: torch ${found.torchVersion}, Python ${found.pythonVersion} at ${found.executable} (${SOURCE_LABEL[found.candidate.source]})`,
    `  devices: ${describeTorchDevices(found.devices)}`,
  ];
}
