// The `gan` command: check | train | sample | upscale | eval | runs | gpu.
import { checkCommand } from './check';

const USAGE = `usage: gan <command> [options]

commands:
  check FILE... [--format text|json]       check .gan files; exit 1 on errors
  train FILE [--model NAME] [--steps N] [--backend B] [--runs DIR] [--limit N]
  train --resume RUN [--checkpoint STEP] [--force]
  sample RUN [--checkpoint STEP] [--n 64] [--seed S] [--class C] [--runs DIR] [--out FILE.png]
  upscale RUN IN.png [--out OUT.png] [--checkpoint STEP]   super-resolve an image with an srgan run
  eval RUN... [--checkpoint STEP] [--samples N] [--metrics fid,kid,pr]   FID, KID, precision/recall; compares runs
  runs [DIR]                               list training runs (broken ones with the reason)
  gpu [--load] [--module-path DIR]         which GPU backends load here, and why not
  (train, sample, gpu: --workspace-modules also loads optional packages from ./node_modules)`;

type Command = (argv: string[]) => Promise<number>;

// Training commands load TensorFlow.js; require them lazily so `gan check` stays instant.
const commands: Record<string, () => Promise<Command>> = {
  check: async () => checkCommand,
  train: async () => (await import('./train')).trainCommand,
  sample: async () => (await import('./sample')).sampleCommand,
  upscale: async () => (await import('./upscale')).upscaleCommand,
  eval: async () => (await import('./eval')).evalCommand,
  runs: async () => (await import('./runs')).runsCommand,
  gpu: async () => (await import('./gpu')).gpuCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    console.log('0.1.0');
    return 0;
  }
  const load = commands[name];
  if (!load) {
    console.error(`gan: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`gan: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
