// Unit tests of the server's own pieces: settings parsing and the request guard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { guarded } from '../../src/server/guard';
import { defaultSettings, readSettings } from '../../src/server/settings';

test('readSettings takes the `gan` section and keeps defaults for missing or malformed values', () => {
  const read = readSettings({ gan: { diagnostics: { delay: 40 }, docsUrl: 'file:///docs/language.md' } });
  assert.equal(read.diagnosticsDelayMs, 40);
  assert.equal(read.docsUrl, 'file:///docs/language.md');
  assert.equal(read.maxFileSize, defaultSettings.maxFileSize);
  const kept = readSettings({ gan: { diagnostics: { delay: -5 }, docsUrl: 7, maxFileSize: 'big' } }, read);
  assert.deepEqual(kept, read);
  assert.deepEqual(readSettings(null), defaultSettings);
  assert.equal(readSettings({ diagnostics: { delay: 0 } }).diagnosticsDelayMs, 0);
});

test('guarded logs a failing handler and answers with the fallback', () => {
  const errors: string[] = [];
  const logger = { error: (m: string) => errors.push(m), warn: () => {}, info: () => {}, log: () => {} };
  const handler = guarded('hover', logger, null, (): string => {
    throw new Error('boom');
  });
  const token = new CancellationTokenSource().token;
  assert.equal(handler(undefined, token), null);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /hover failed: Error: boom/);
});

test('guarded answers a cancelled request with RequestCancelled', () => {
  const source = new CancellationTokenSource();
  let ran = false;
  const handler = guarded('completion', console, [], () => {
    ran = true;
    return ['item'];
  });
  source.cancel();
  const result = handler(undefined, source.token);
  assert.ok(result instanceof ResponseError);
  assert.equal(result.code, LSPErrorCodes.RequestCancelled);
  assert.equal(ran, false);
  assert.deepEqual(handler(undefined, new CancellationTokenSource().token), ['item']);
});
