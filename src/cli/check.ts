// `gan check FILE… [--format text|json]`: coded diagnostics, one a line, and a summary.
import { readFileSync } from 'node:fs';
import { analyze } from '../language';
import type { Diagnostic } from '../language';
import { LineMap } from '../language';

export interface CheckedDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: Diagnostic['severity'];
  readonly code: Diagnostic['code'];
  readonly message: string;
  readonly fixes: readonly string[];
}

/** Diagnostics of one text with 1-based positions, in document order. */
export function checkText(file: string, text: string): CheckedDiagnostic[] {
  const analysis = analyze(text);
  const lines = new LineMap(text);
  return [...analysis.diagnostics]
    .sort((a, b) => a.start - b.start || a.code.localeCompare(b.code))
    .map((d) => {
      const s = lines.position(d.start);
      const e = lines.position(d.end);
      return {
        file,
        line: s.line + 1,
        column: s.character + 1,
        endLine: e.line + 1,
        endColumn: e.character + 1,
        severity: d.severity,
        code: d.code,
        message: d.message,
        fixes: d.fixes.map((f) => f.title),
      };
    });
}

export function formatDiagnosticLine(d: CheckedDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message}`;
}

export const CHECK_USAGE = 'usage: gan check FILE... [--format text|json]';

export async function checkCommand(argv: string[]): Promise<number> {
  let format = 'text';
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--format') format = argv[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a === '-h' || a === '--help') {
      console.log(CHECK_USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      console.error(`gan check: unknown option ${a}\n${CHECK_USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (format !== 'text' && format !== 'json') {
    console.error(`gan check: --format must be text or json, not "${format}"\n${CHECK_USAGE}`);
    return 2;
  }
  if (files.length === 0) {
    console.error(`gan check: no files given\n${CHECK_USAGE}`);
    return 2;
  }
  const all: CheckedDiagnostic[] = [];
  let unreadable = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      unreadable++;
      const reason =
        err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : String(err);
      console.error(
        `${file}: cannot read (${reason === 'ENOENT' ? 'no such file' : reason === 'EISDIR' ? 'is a directory' : reason})`,
      );
      continue;
    }
    all.push(...checkText(file, text));
  }
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.length - errors;
  if (format === 'json') {
    console.log(
      JSON.stringify({ files: files.length, errors, warnings, unreadable, diagnostics: all }, null, 2),
    );
  } else {
    for (const d of all) console.log(formatDiagnosticLine(d));
    const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
    console.log(
      `${plural(files.length - unreadable, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${unreadable ? `, ${unreadable} unreadable` : ''}`,
    );
  }
  if (unreadable) return 2;
  return errors ? 1 : 0;
}
