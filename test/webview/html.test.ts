// The panel HTML the extension host serves: strict CSP, nonce on the only script.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderDashboardHtml } from '../../src/webview/html';

test('the dashboard page carries the strict CSP and a nonce-bearing script', () => {
  const html = renderDashboardHtml({
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/dashboard.js',
    nonce: 'abc123',
    cspSource: 'https://*.vscode-cdn.net',
  });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.equal(
    csp,
    "default-src 'none'; img-src https://*.vscode-cdn.net data:; style-src https://*.vscode-cdn.net 'unsafe-inline'; " +
      "script-src 'nonce-abc123'; font-src https://*.vscode-cdn.net",
  );
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.deepEqual(scripts, [
    '<script nonce="abc123" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/dashboard.js">',
  ]);
  assert.match(html, /<div id="app"><\/div>/);
  assert.doesNotMatch(html, /<link/);
});

test('values are attribute-escaped and an optional stylesheet is linked', () => {
  const html = renderDashboardHtml({
    scriptUri: 'x.js?a=1&b="2"',
    styleUri: 'style.css',
    nonce: 'n',
    cspSource: 'self',
  });
  assert.match(html, /src="x\.js\?a=1&amp;b=&quot;2&quot;"/);
  assert.match(html, /<link rel="stylesheet" href="style\.css">/);
});
