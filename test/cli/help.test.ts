// CLI conventions through the built CLI: every command's --help / -h prints its own usage and
// exits 0, `gan help COMMAND` does the same, and --version is the package's version.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from '../training/runs/harness';

const root = join(__dirname, '..', '..');
const gan = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin', 'gan.js'), ...args], { cwd: root, encoding: 'utf8' });

before(ensureBuilt);

const COMMANDS = ['check', 'train', 'sample', 'upscale', 'eval', 'runs', 'gpu'];

test('every command answers --help and -h with its own usage on stdout, exit 0', () => {
  for (const command of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      const r = gan(command, flag);
      assert.equal(r.status, 0, `${command} ${flag}: ${r.stderr}`);
      assert.ok(r.stdout.startsWith(`usage: gan ${command}`), `${command} ${flag}: ${r.stdout}`);
      assert.equal(r.stderr, '', `${command} ${flag} wrote to stderr`);
    }
  }
});

test('--help wins over other options, and `gan help COMMAND` prints the same usage', () => {
  const withOptions = gan('sample', 'some-run', '--n', '16', '--help');
  assert.equal(withOptions.status, 0, withOptions.stderr);
  const viaHelp = gan('help', 'sample');
  assert.equal(viaHelp.status, 0);
  assert.equal(viaHelp.stdout, withOptions.stdout);
});

test('--version prints the version from package.json', () => {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-v']) {
    const r = gan(flag);
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), version);
  }
});

test('no command is a usage error (exit 2); an unknown one is named', () => {
  assert.equal(gan().status, 2);
  const r = gan('tran');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "tran"/);
});
