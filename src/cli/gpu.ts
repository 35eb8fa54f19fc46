// `gan gpu [--load] [--module-path DIR]... [--python PATH]`: which GPU backends can train here, and
// why not — TensorFlow.js's backends, then PyTorch's devices through the interpreter found.
import { describeGpuSupport } from '../training/backend';
import { findTorch, interpreterCandidates, torchReportLines } from '../training/torch/pythonInterpreter';

export const GPU_USAGE =
  'usage: gan gpu [--load] [--module-path DIR]... [--workspace-modules] [--python PATH] [--python-env PATH]';

export async function gpuCommand(argv: string[]): Promise<number> {
  const extraModulePaths: string[] = [];
  let load = false;
  let python: string | null = null;
  let pythonExtension: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--load') load = true;
    else if (a === '--module-path' && argv[i + 1]) extraModulePaths.push(argv[++i]);
    else if (a === '--workspace-modules') extraModulePaths.push(process.cwd());
    else if (a === '--python' && argv[i + 1]) python = argv[++i];
    else if (a === '--python-env' && argv[i + 1]) pythonExtension = argv[++i];
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
  const torch = await findTorch(interpreterCandidates({ setting: python, pythonExtension }));
  for (const line of torchReportLines(torch)) console.log(line);
  return 0;
}
