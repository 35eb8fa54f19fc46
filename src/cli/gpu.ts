// `gan gpu [--load] [--module-path DIR]...`: which GPU backends can train here, and why not.
import { describeGpuSupport } from '../training/backend';

export const GPU_USAGE = 'usage: gan gpu [--load] [--module-path DIR]... [--workspace-modules]';

export async function gpuCommand(argv: string[]): Promise<number> {
  const extraModulePaths: string[] = [];
  let load = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--load') load = true;
    else if (a === '--module-path' && argv[i + 1]) extraModulePaths.push(argv[++i]);
    else if (a === '--workspace-modules') extraModulePaths.push(process.cwd());
    else if (a === '-h' || a === '--help') {
      console.log(GPU_USAGE);
      return 0;
    } else {
      console.error(`gan gpu: unknown option ${a}\n${GPU_USAGE}`);
      return 2;
    }
  }
  const report = await describeGpuSupport({ extraModulePaths, load });
  for (const line of report.lines) console.log(line);
  return 0;
}
