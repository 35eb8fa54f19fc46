// The Python process of the torch engine: started with the model's model.py and engine.py in a
// scratch folder, spoken to one request at a time. A request and its answer are one JSON line,
// then `bytes` raw bytes when the header says so. The process exits when its stdin closes, so it
// never outlives the worker that started it (a killed worker closes the pipe too).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EngineAnswer {
  readonly header: Record<string, unknown>;
  readonly payload: Buffer;
}

export interface EngineReady {
  readonly torch: string;
  readonly device: string;
  readonly threads: number;
}

export class TorchEngineError extends Error {}

const LOG_TAIL = 4000;

/** Splits the process's stdout into answers: a header line, then its payload. */
class AnswerReader {
  private buffered: Buffer = Buffer.alloc(0);
  private header: Record<string, unknown> | null = null;

  constructor(private readonly onAnswer: (answer: EngineAnswer) => void) {}

  push(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    for (;;) {
      if (!this.header) {
        const end = this.buffered.indexOf(10);
        if (end < 0) return;
        this.header = JSON.parse(this.buffered.subarray(0, end).toString('utf8')) as Record<string, unknown>;
        this.buffered = this.buffered.subarray(end + 1);
      }
      const size = typeof this.header.bytes === 'number' ? this.header.bytes : 0;
      if (this.buffered.length < size) return;
      const answer = { header: this.header, payload: Buffer.from(this.buffered.subarray(0, size)) };
      this.buffered = this.buffered.subarray(size);
      this.header = null;
      this.onAnswer(answer);
    }
  }
}

export interface EngineProcessOptions {
  readonly python: string;
  /** File name -> content: model.py and engine.py. */
  readonly files: Readonly<Record<string, string>>;
  /** CPU threads for torch (0: its default). */
  readonly threads: number;
  /** 'cpu' keeps torch off the GPU; 'auto' takes CUDA, then Apple's mps, then the CPU. */
  readonly device: 'auto' | 'cpu';
}

export class EngineProcess {
  private readonly child: ChildProcess;
  private readonly dir: string;
  private readonly waiting: { resolve: (a: EngineAnswer) => void; reject: (e: Error) => void }[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private stderrTail = '';
  private exited: string | null = null;
  readonly ready: Promise<EngineReady>;

  constructor(options: EngineProcessOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'gan-torch-'));
    for (const [name, content] of Object.entries(options.files)) writeFileSync(join(this.dir, name), content);
    this.child = spawn(options.python, ['-u', 'engine.py'], {
      cwd: this.dir,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // BLAS keeps a thread pool of its own, sized when it loads: torch.set_num_threads does not reach it.
        ...(options.threads > 0
          ? { OMP_NUM_THREADS: String(options.threads), OPENBLAS_NUM_THREADS: String(options.threads) }
          : {}),
        GAN_TORCH_THREADS: String(options.threads),
        GAN_TORCH_DEVICE: options.device,
        PYTHONDONTWRITEBYTECODE: '1',
      },
    });
    const reader = new AnswerReader((answer) => this.waiting.shift()?.resolve(answer));
    this.child.stdout?.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (error) {
        this.fail(`its answer could not be read (${(error as Error).message})`);
      }
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      this.stderrTail = (this.stderrTail + text).slice(-LOG_TAIL);
      process.stderr.write(text);
    });
    this.child.stdin?.on('error', () => undefined); // a dead process: its exit is reported instead
    this.child.on('error', (error) => this.fail(`${options.python} could not start (${error.message})`));
    this.child.on('exit', (code, signal) =>
      this.fail(`it exited (${signal ? `signal ${signal}` : `code ${code}`})`),
    );
    this.ready = new Promise<EngineAnswer>((resolve, reject) => this.waiting.push({ resolve, reject })).then(
      ({ header }) => ({
        torch: String(header.torch),
        device: String(header.device),
        threads: Number(header.threads),
      }),
    );
  }

  private fail(why: string): void {
    if (this.exited) return;
    this.exited = why;
    const tail = this.stderrTail.trim().split('\n').slice(-6).join('\n');
    const error = new TorchEngineError(`the PyTorch engine stopped: ${why}${tail ? `\n${tail}` : ''}`);
    for (const w of this.waiting.splice(0)) w.reject(error);
  }

  /** One request; answers come in order, so requests wait for the one before. */
  request(header: Record<string, unknown>, payload?: Uint8Array): Promise<EngineAnswer> {
    const run = async (): Promise<EngineAnswer> => {
      if (this.exited) throw new TorchEngineError(`the PyTorch engine stopped: ${this.exited}`);
      const answer = new Promise<EngineAnswer>((resolve, reject) => this.waiting.push({ resolve, reject }));
      const line = JSON.stringify(payload?.length ? { ...header, bytes: payload.length } : header) + '\n';
      this.child.stdin?.write(line);
      if (payload?.length) this.child.stdin?.write(payload);
      const result = await answer;
      if (typeof result.header.error === 'string')
        throw new TorchEngineError(`the PyTorch engine failed: ${result.header.error}`);
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Closes its stdin (it exits by itself) and removes the scratch folder. */
  close(): void {
    this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    timer.unref();
    this.child.once('exit', () => clearTimeout(timer));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
