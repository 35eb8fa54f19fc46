// Finding PyTorch's interpreter: the order candidates are asked in, each kind of failure reported
// with the interpreter it came from, and a real torch (Debian's python3-torch, which .ci/run
// installs) reporting its version and devices, through `gan gpu` too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  findTorch,
  interpreterCandidates,
  probeInterpreter,
  torchMissingMessage,
  torchReportLines,
  whichOnPath,
} from '../../../src/training/torch/pythonInterpreter';

const SYSTEM_PYTHON = '/usr/bin/python3';
const systemHasTorch = (() => {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
// CI installs python3-torch: there the real-torch checks must run, not skip.
const torchSkip = !systemHasTorch && !process.env.CI ? 'no python3-torch on this machine' : false;

function executable(dir: string, name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('PyTorch interpreter search', () => {
  it('asks the setting, then the Python extension, then python3 and python on PATH, each once', () => {
    const bin = mkdtempSync(join(tmpdir(), 'gan-py-path-'));
    const python3 = executable(bin, 'python3', 'exit 0');
    const python = executable(bin, 'python', 'exit 0');
    writeFileSync(join(bin, 'not-executable'), '');
    assert.equal(whichOnPath('python3', `/nonexistent:${bin}`), python3);
    assert.equal(whichOnPath('not-executable', bin), null);
    assert.deepEqual(
      interpreterCandidates({ setting: ' /opt/a/python ', pythonExtension: '/venv/bin/python', path: bin }),
      [
        { command: '/opt/a/python', source: 'setting' },
        { command: '/venv/bin/python', source: 'python-extension' },
        { command: python3, source: 'path' },
        { command: python, source: 'path' },
      ],
    );
    // The extension's environment is PATH's python3: asked once, under the first source that named it.
    assert.deepEqual(
      interpreterCandidates({ pythonExtension: python3, path: bin }).map((c) => c.source),
      ['python-extension', 'path'],
    );
    assert.deepEqual(interpreterCandidates({ setting: '', path: '' }), []);
  });

  it('says why each candidate failed: no file, not Python, Python without torch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gan-py-fake-'));
    const notPython = executable(dir, 'not-python', 'echo "hello"; exit 3');
    // The system's Python without site-packages: a real interpreter that cannot import torch.
    const bare = executable(
      dir,
      'bare-python',
      `exec ${whichOnPath('python3', process.env.PATH ?? '') ?? SYSTEM_PYTHON} -I -S "$@"`,
    );
    const search = await findTorch([
      { command: join(dir, 'missing'), source: 'setting' },
      { command: notPython, source: 'python-extension' },
      { command: bare, source: 'path' },
    ]);
    assert.equal(search.found, null);
    const problems = search.tried.map((p) => (p.ok ? 'ok' : p.problem));
    assert.equal(problems[0], 'no executable file at this path');
    assert.match(problems[1], /^did not run as Python/);
    assert.match(
      problems[2],
      /^Python 3\.\d+\.\d+ without torch \(ModuleNotFoundError: No module named 'torch'\)/,
    );
    const message = torchMissingMessage(search.tried);
    assert.match(message, new RegExp(`${join(dir, 'missing')} \\(gan.python setting\\): no executable file`));
    assert.match(
      message,
      new RegExp(`${notPython} \\(Python extension's environment\\): did not run as Python`),
    );
    assert.match(message, new RegExp(`${bare} \\(PATH\\): Python 3`));
    assert.match(message, /pip install torch/);
    assert.match(torchReportLines(search)[0], /^\[torch\] unavailable: PyTorch was not found/);
    assert.match(torchMissingMessage([]), /No Python interpreter was found/);
  });

  it('reports torch’s version and devices from a real interpreter', { skip: torchSkip }, async () => {
    const probe = await probeInterpreter({ command: SYSTEM_PYTHON, source: 'setting' });
    assert.ok(probe.ok, probe.ok ? '' : probe.problem);
    assert.match(probe.interpreter.torchVersion, /^\d+\.\d+/);
    assert.ok(probe.interpreter.devices.cpuThreads >= 1);
    const lines = torchReportLines({ found: probe.interpreter, tried: [probe] });
    assert.match(lines[0], /^\[torch\] works: torch \d+\.\d+.* at .*python.* \(gan.python setting\)$/);
    assert.match(lines[1], /cpu \(\d+ threads?\)/);
  });

  it('`gan gpu --python` adds the torch line after the TensorFlow.js backends', { skip: torchSkip }, () => {
    const out = execFileSync(process.execPath, [join('bin', 'gan.js'), 'gpu', '--python', SYSTEM_PYTHON], {
      encoding: 'utf8',
    });
    const lines = out.trim().split('\n');
    const torchAt = lines.findIndex((l) => l.startsWith('[torch]'));
    assert.ok(torchAt > lines.findIndex((l) => l.startsWith('[node]')), out);
    assert.match(lines[torchAt], /^\[torch\] works: torch \d/);
    assert.match(lines[torchAt + 1], /^ {2}devices: .*cpu \(\d+ threads?\)/);
  });
});
