// Which chart a metric goes on: losses first, then each family's own groups (declared in
// src/webview/families), anything unknown on a chart of its own, and throughput last.
import { PRESENTATION_FAMILIES } from '../families';
import { isHiddenMetric, QUALITY_RULES } from './qualityGroups';

export interface MetricGroup {
  readonly id: string;
  readonly title: string;
  readonly metrics: readonly string[];
  /** The y axis label. */
  readonly unit?: string;
}

/** Row keys that are axes, not metrics. */
export const axisKeys: ReadonlySet<string> = new Set(['step', 'epoch', 'time']);

interface GroupRule {
  readonly id: string;
  readonly title: string;
  readonly matches: (metric: string) => boolean;
  readonly unit?: string;
}

function familyRules(): GroupRule[] {
  const byId = new Map<string, GroupRule>();
  for (const family of Object.values(PRESENTATION_FAMILIES))
    for (const group of family.chartGroups)
      if (!byId.has(group.id))
        byId.set(group.id, {
          id: group.id,
          title: group.title,
          unit: group.unit,
          matches: (m) => group.metrics.includes(m),
        });
  return [...byId.values()];
}

const rules: readonly GroupRule[] = [
  { id: 'losses', title: 'Losses', unit: 'loss', matches: (m) => m === 'loss' || m.endsWith('_loss') },
  ...familyRules(),
  ...QUALITY_RULES,
  {
    id: 'grad-norms',
    title: 'Gradient norms',
    unit: 'global L2 norm',
    matches: (m) => m.startsWith('grad_norm/'),
  },
  {
    id: 'learning-rates',
    title: 'Learning rates',
    unit: 'learning rate',
    matches: (m) => m.startsWith('lr/'),
  },
  {
    id: 'throughput',
    title: 'Throughput (images/s)',
    unit: 'images/s',
    matches: (m) => m === 'images_per_sec',
  },
];

/** Groups metrics in a stable order: the known groups first, then one group per unknown metric. */
export function groupMetrics(metrics: Iterable<string>): MetricGroup[] {
  const byRule = new Map<string, string[]>();
  const others: string[] = [];
  for (const metric of metrics) {
    if (axisKeys.has(metric) || isHiddenMetric(metric)) continue;
    const rule = rules.find((r) => r.matches(metric));
    if (!rule) {
      if (!others.includes(metric)) others.push(metric);
      continue;
    }
    const list = byRule.get(rule.id) ?? [];
    if (!list.includes(metric)) list.push(metric);
    byRule.set(rule.id, list);
  }
  const groups: MetricGroup[] = [];
  for (const rule of rules) {
    const list = byRule.get(rule.id);
    if (list) groups.push({ id: rule.id, title: rule.title, metrics: list.sort(), unit: rule.unit });
  }
  // Throughput reads best last, after the unknown metrics.
  const throughputIndex = groups.findIndex((g) => g.id === 'throughput');
  const throughput = throughputIndex >= 0 ? groups.splice(throughputIndex, 1) : [];
  for (const metric of others.sort())
    groups.push({ id: `metric-${metric}`, title: metric, metrics: [metric] });
  return [...groups, ...throughput];
}
