// `gan check` through the built CLI, as users run it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GAN, replaceOnce } from '../language/helpers';
import { ensureBuilt } from '../training/runs/harness';

const root = join(__dirname, '..', '..');
const gan = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin', 'gan.js'), ...args], { cwd: root, encoding: 'utf8' });

// One builder at a time: other test files run built workers from dist/ concurrently.
before(ensureBuilt);

test('every example checks clean: exit 0 and a summary line', () => {
  const files = readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.gan'))
    .map((f) => join('examples', f));
  const r = gan('check', ...files);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout.trim(), `${files.length} files checked: 0 errors, 0 warnings`);
});

test('errors print FILE:LINE:COL: severity CODE message, one a line, and exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gan-check-'));
  const file = join(dir, 'broken.gan');
  writeFileSync(
    file,
    replaceOnce(replaceOnce(GAN, 'reshape [7, 7, 64]', 'reshape [7, 7, 128]'), 'lr=2e-4', 'lr=0.5'),
  );
  const r = gan('check', file);
  assert.equal(r.status, 1);
  const lines = r.stdout.trim().split('\n');
  assert.match(
    lines[0],
    new RegExp(
      `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:9:5: error E301 \`reshape \\[7, 7, 128\\]\` needs 7×7×128 = 6272 elements, but the layer before it outputs 3136\\.$`,
    ),
  );
  assert.ok(
    lines.some((l) => /:23:\d+: warning W405 /.test(l)),
    r.stdout,
  );
  assert.equal(lines[lines.length - 1], '1 file checked: 1 error, 1 warning');
});

test('warnings alone exit 0', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gan-check-'));
  const file = join(dir, 'warn.gan');
  writeFileSync(file, replaceOnce(GAN, 'lr=2e-4', 'lr=0.5'));
  assert.equal(gan('check', file).status, 0);
});

test('--format json carries the same diagnostics with ranges and fix titles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gan-check-'));
  const file = join(dir, 'broken.gan');
  writeFileSync(file, replaceOnce(GAN, 'batchnorm\n', 'batchnrm\n'));
  const r = gan('check', '--format', 'json', file);
  assert.equal(r.status, 1);
  const out = JSON.parse(r.stdout) as {
    errors: number;
    diagnostics: { code: string; line: number; column: number; endColumn: number; fixes: string[] }[];
  };
  assert.equal(out.errors, 1);
  assert.deepEqual(
    out.diagnostics.map((d) => [d.code, d.line, d.column, d.endColumn, d.fixes]),
    [['E202', 7, 5, 13, ['Change to `batchnorm`']]],
  );
});

test('unreadable input and bad usage exit 2 with a clear message', () => {
  const missing = gan('check', 'no/such/file.gan');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no\/such\/file\.gan: cannot read \(no such file\)/);
  const dir = gan('check', 'examples');
  assert.equal(dir.status, 2);
  assert.match(dir.stderr, /is a directory/);
  const usage = gan('check', '--bogus');
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /unknown option --bogus/);
  const none = gan('frobnicate');
  assert.equal(none.status, 2);
  assert.match(none.stderr, /unknown command "frobnicate"/);
});
