// The HTML shell of a webview panel. Pure (no vscode import) so the extension host and the browser
// tests build exactly the same page, under the same strict Content-Security-Policy.

export interface WebviewHtmlOptions {
  /** Webview URI of the bundled script (dist/webview/dashboard.js). */
  readonly scriptUri: string;
  /** Optional extra stylesheet (the bundle carries its own styles). */
  readonly styleUri?: string;
  /** A fresh random value per page load; only scripts carrying it run. */
  readonly nonce: string;
  /** `webview.cspSource` of the panel. */
  readonly cspSource: string;
  readonly title?: string;
}

export function contentSecurityPolicy(nonce: string, cspSource: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function renderPanelHtml(options: WebviewHtmlOptions, bodyId: string, defaultTitle: string): string {
  const csp = contentSecurityPolicy(options.nonce, options.cspSource);
  const style = options.styleUri
    ? `\n    <link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeAttribute(options.title ?? defaultTitle)}</title>${style}
  </head>
  <body>
    <div id="${bodyId}"></div>
    <script nonce="${escapeAttribute(options.nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
  </body>
</html>
`;
}

export function renderDashboardHtml(options: WebviewHtmlOptions): string {
  return renderPanelHtml(options, 'app', 'GAN Studio: training dashboard');
}

export function renderPreviewHtml(options: WebviewHtmlOptions): string {
  return renderPanelHtml(options, 'app', 'GAN Studio: samples');
}
