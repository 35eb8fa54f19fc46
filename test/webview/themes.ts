// A subset of the CSS variables VS Code sets on a webview's <html> element, and the body class it
// uses, for the Dark Modern and Light Modern themes.

export type ThemeName = 'dark' | 'light';

const common: Record<string, string> = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
};

const dark: Record<string, string> = {
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-errorForeground': '#f85149',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-widget-border': '#313131',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-progressBar-background': '#0078d4',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-testing-iconFailed': '#f14c4c',
  '--vscode-checkbox-background': '#313131',
  '--vscode-checkbox-border': '#3c3c3c',
  '--vscode-dropdown-background': '#313131',
  '--vscode-dropdown-border': '#3c3c3c',
  '--vscode-dropdown-foreground': '#cccccc',
  '--vscode-editor-selectionBackground': '#264f78',
  '--vscode-charts-foreground': '#cccccc',
  '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
};

const light: Record<string, string> = {
  '--vscode-editor-background': '#ffffff',
  '--vscode-foreground': '#3b3b3b',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-errorForeground': '#f85149',
  '--vscode-focusBorder': '#005fb8',
  '--vscode-widget-border': '#e5e5e5',
  '--vscode-panel-border': '#e5e5e5',
  '--vscode-editorWidget-background': '#f8f8f8',
  '--vscode-textLink-foreground': '#005fb8',
  '--vscode-button-background': '#005fb8',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#0258a8',
  '--vscode-button-secondaryBackground': '#e5e5e5',
  '--vscode-button-secondaryForeground': '#3b3b3b',
  '--vscode-badge-background': '#cccccc',
  '--vscode-badge-foreground': '#3b3b3b',
  '--vscode-progressBar-background': '#005fb8',
  '--vscode-testing-iconPassed': '#388a34',
  '--vscode-testing-iconFailed': '#f14c4c',
  '--vscode-checkbox-background': '#f8f8f8',
  '--vscode-checkbox-border': '#cecece',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-border': '#cecece',
  '--vscode-dropdown-foreground': '#3b3b3b',
  '--vscode-editor-selectionBackground': '#add6ff',
  '--vscode-charts-foreground': '#616161',
  '--vscode-charts-lines': 'rgba(97, 97, 97, 0.5)',
  '--vscode-charts-red': '#e51400',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-charts-yellow': '#bf8803',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-purple': '#652d90',
};

/** The style attribute VS Code puts on <html>, and the class on <body>. */
export function themeAttributes(theme: ThemeName): { htmlStyle: string; bodyClass: string } {
  const vars = { ...common, ...(theme === 'dark' ? dark : light) };
  return {
    htmlStyle: Object.entries(vars)
      .map(([name, value]) => `${name}: ${value};`)
      .join(' '),
    bodyClass: theme === 'dark' ? 'vscode-dark' : 'vscode-light',
  };
}
