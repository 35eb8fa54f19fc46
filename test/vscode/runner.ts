// A minimal test runner for the VS Code extension host (no mocha): scenarios run one after another and
// the first failure rejects `run()`, which makes @vscode/test-electron exit non-zero.
export interface Scenario {
  readonly name: string;
  run(): Promise<void>;
}

export async function runScenarios(scenarios: readonly Scenario[]): Promise<void> {
  const failures: string[] = [];
  for (const scenario of scenarios) {
    const started = Date.now();
    try {
      await scenario.run();
      console.log(`ok   ${scenario.name} (${Date.now() - started} ms)`);
    } catch (error) {
      console.error(
        `FAIL ${scenario.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      failures.push(scenario.name);
    }
  }
  console.log(`${scenarios.length - failures.length} passed, ${failures.length} failed`);
  if (failures.length > 0) throw new Error(`${failures.length} scenario(s) failed: ${failures.join(', ')}`);
}
