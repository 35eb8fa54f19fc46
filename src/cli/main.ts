// The `gan` command: check | train | sample | upscale | eval | runs | export | gpu.
import { version } from '../../package.json';
import { CHECK_USAGE, checkCommand } from './check';

const USAGE = `usage: gan <command> [options]

commands:
  check FILE... [--format text|json]       check .gan files; exit 1 on errors
  train FILE [--model NAME] [--steps N] [--backend B] [--runs DIR] [--limit N]
  train --resume RUN [--checkpoint STEP] [--force]
  sample RUN [--checkpoint STEP] [--n 64] [--seed S] [--class C] [--text CAPTION] [--runs DIR] [--out FILE.png]
  upscale RUN IN.png [--out OUT.png] [--checkpoint STEP]   super-resolve an image with an srgan run
  eval RUN... [--checkpoint STEP] [--samples N] [--metrics fid,kid,pr]   FID, KID, precision/recall; compares runs
  runs [DIR]                               list training runs (broken ones with the reason)
  export FILE --to pytorch DIR [--model NAME]   a standalone PyTorch project (torchrun-ready)
  gpu [--load] [--module-path DIR] [--python PATH]   which GPU backends load here (PyTorch's too), and why not
  (train, sample, gpu: --workspace-modules also loads optional packages from ./node_modules)

gan COMMAND --help (or gan help COMMAND) explains a command's options; gan --version prints the version.`;

interface Command {
  readonly usage: string;
  readonly run: (argv: string[]) => Promise<number>;
}

// Training commands load TensorFlow.js; require them lazily so `gan check` stays instant.
const commands: Record<string, () => Promise<Command>> = {
  check: async () => ({ usage: CHECK_USAGE, run: checkCommand }),
  train: async () => {
    const m = await import('./train');
    return { usage: m.TRAIN_USAGE, run: m.trainCommand };
  },
  sample: async () => {
    const m = await import('./sample');
    return { usage: m.SAMPLE_USAGE, run: m.sampleCommand };
  },
  upscale: async () => {
    const m = await import('./upscale');
    return { usage: m.UPSCALE_USAGE, run: m.upscaleCommand };
  },
  eval: async () => {
    const m = await import('./eval');
    return { usage: m.EVAL_USAGE, run: m.evalCommand };
  },
  runs: async () => {
    const m = await import('./runs');
    return { usage: m.RUNS_USAGE, run: m.runsCommand };
  },
  export: async () => {
    const m = await import('./export');
    return { usage: m.EXPORT_USAGE, run: m.exportCommand };
  },
  gpu: async () => {
    const m = await import('./gpu');
    return { usage: m.GPU_USAGE, run: m.gpuCommand };
  },
};

/** `-h` or `--help` among a command's options (not after `--`, where it would be an argument). */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '-h' || a === '--help');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    console.error(USAGE);
    return 2;
  }
  if (name === '-h' || name === '--help' || (name === 'help' && !rest.length)) {
    console.log(USAGE);
    return 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(version);
    return 0;
  }
  const topic = name === 'help' ? rest[0] : name;
  const load = commands[topic];
  if (!load) {
    console.error(`gan: unknown command "${topic}"\n\n${USAGE}`);
    return 2;
  }
  const command = await load();
  if (name === 'help' || asksForHelp(rest)) {
    console.log(command.usage);
    return 0;
  }
  return command.run(rest);
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
