// Run ids and metric names from a run folder cannot inject markdown into the model hover
// (issue 10, case 11): they are shown as code spans nothing inside can close.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownCode, runHoverMarkdown } from '../../src/extension/experiments/format';

test('code spans survive backticks and line breaks', () => {
  assert.equal(markdownCode('tiny-1'), '`tiny-1`');
  assert.equal(markdownCode('a`b'), '``a`b``');
  assert.equal(markdownCode('`x``'), '``` `x`` ```');
  assert.equal(markdownCode('a\n\nb'), '`a b`');
});

test('a hostile run id or metric name stays inside its code span', () => {
  const link = '[click](command:gan.deleteRun?x)';
  const markdown = runHoverMarkdown(
    {
      id: `x\` ${link} \``,
      status: 'completed',
      step: 1,
      totalSteps: 1,
      startedAt: '2026-11-23T11:00:00Z',
      device: 'CPU',
      error: null,
      metrics: [{ step: 1, epoch: 0, time: 1, [`loss\`\n\n# ${link}`]: 0.5 }],
    },
    new Date('2026-11-23T11:10:00Z'),
  );
  assert.ok(markdown.includes(`**Latest run** \`\` x\` ${link} \` \`\`: completed`), markdown);
  assert.ok(markdown.includes(`\`\`loss\` # ${link}\`\` 0.5`), markdown);
  assert.doesNotMatch(markdown, /\n#/);
});
