// Short, unique names for runs in legends and tables: "mnist_gan 10:15:00" instead of the folder name
// "mnist_gan-20261123-101500"; the full id is used when the short form would be ambiguous.
import type { RunSummary } from '../../protocol/webview';

const timestampSuffix = /-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/;

export function shortRunLabel(run: Pick<RunSummary, 'id' | 'model'>): string {
  const match = timestampSuffix.exec(run.id);
  return match ? `${run.model} ${match[4]}:${match[5]}:${match[6]}` : run.id;
}

export function runLabels(runs: readonly Pick<RunSummary, 'id' | 'model'>[]): Map<string, string> {
  const short = runs.map(shortRunLabel);
  const labels = new Map<string, string>();
  runs.forEach((run, i) =>
    labels.set(run.id, short.indexOf(short[i]) === short.lastIndexOf(short[i]) ? short[i] : run.id),
  );
  return labels;
}
