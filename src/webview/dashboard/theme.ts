// Chart colours come from VS Code's theme variables, so light, dark and high-contrast themes all work.

export interface ChartTheme {
  readonly foreground: string;
  readonly grid: string;
  readonly background: string;
  readonly font: string;
  readonly palette: readonly string[];
  readonly highContrast: boolean;
}

const paletteVariables: readonly [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-yellow', '#cca700'],
];

function cssVariable(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

export function readChartTheme(element: HTMLElement = document.body): ChartTheme {
  const style = getComputedStyle(element);
  const foreground = cssVariable(
    style,
    '--vscode-charts-foreground',
    cssVariable(style, '--vscode-foreground', '#cccccc'),
  );
  const family = cssVariable(style, '--vscode-font-family', 'system-ui, sans-serif');
  const size = cssVariable(style, '--vscode-font-size', '13px');
  return {
    foreground,
    grid: cssVariable(style, '--vscode-charts-lines', 'rgba(128, 128, 128, 0.25)'),
    background: cssVariable(style, '--vscode-editor-background', '#1e1e1e'),
    font: `${size} ${family}`,
    palette: paletteVariables.map(([name, fallback]) => cssVariable(style, name, fallback)),
    highContrast: document.body.classList.contains('vscode-high-contrast'),
  };
}

/** The colour with some transparency (for the raw line behind a smoothed one). */
export function withAlpha(color: string, alpha: number): string {
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(resolveColor(color));
  if (!rgb) return color;
  return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
}

/** Any CSS colour (hex, name, var-resolved) as the browser's computed rgb() form. */
function resolveColor(color: string): string {
  const probe = document.createElement('span');
  probe.style.color = color;
  probe.style.display = 'none';
  document.body.appendChild(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  return resolved;
}
