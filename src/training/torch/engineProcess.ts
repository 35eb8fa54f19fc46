// The Python side of the torch engine: started with the model's model.py and engine.py in a
// scratch folder, spoken to one request at a time. A request and its answer are one JSON line,
// then `bytes` raw bytes when the header says so. One process talks over its stdin and stdout;
// several (DistributedDataParallel on one machine, as torchrun starts them: RANK, WORLD_SIZE,
// MASTER_ADDR/PORT) each connect to a socket here and get their share of every batch. A process
// exits when its input closes, so none outlives the worker that started it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

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

/** Splits a stream of answers: a header line, then its payload. */
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

/** One process's channel: where requests go, and the answers it owes, in order. */
interface Channel {
  readonly input: Writable;
  readonly waiting: { resolve: (a: EngineAnswer) => void; reject: (e: Error) => void }[];
}

export interface EngineProcessOptions {
  readonly python: string;
  /** File name -> content: model.py and engine.py. */
  readonly files: Readonly<Record<string, string>>;
  /** CPU threads for torch in each process (0: its default). */
  readonly threads: number;
  /** 'cpu' keeps torch off the GPU; 'auto' takes CUDA, then Apple's mps, then the CPU. */
  readonly device: 'auto' | 'cpu';
  /** Data-parallel processes (1: one, over stdin/stdout). */
  readonly processes: number;
}

/** What one process of a step is sent: its header and payload. */
export type RankRequest = (rank: number) => { header: Record<string, unknown>; payload?: Uint8Array };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export class EngineProcess {
  private readonly children: ChildProcess[] = [];
  private readonly channels: Channel[] = [];
  private readonly dir: string;
  private server: Server | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private stderrTail = '';
  private exited: string | null = null;
  /** Rejects when a process stops (or cannot start), with the reason and its last stderr lines. */
  private readonly stopped: Promise<never>;
  private rejectStopped: (error: Error) => void = () => undefined;
  /** The first process's greeting, once every process has connected. */
  readonly ready: Promise<EngineReady>;

  constructor(private readonly options: EngineProcessOptions) {
    this.stopped = new Promise<never>((_, reject) => (this.rejectStopped = reject));
    this.stopped.catch(() => undefined); // observed by whoever races it; never unhandled
    this.dir = mkdtempSync(join(tmpdir(), 'gan-torch-'));
    for (const [name, content] of Object.entries(options.files)) writeFileSync(join(this.dir, name), content);
    this.ready = (options.processes > 1 ? this.startRanks() : this.startOne()).catch((error: unknown) => {
      this.fail(error instanceof Error ? error.message : String(error));
      throw error;
    });
  }

  private spawnProcess(extraEnv: NodeJS.ProcessEnv, stdio: 'pipe' | 'ignore'): ChildProcess {
    const threads = this.options.threads;
    const child = spawn(this.options.python, ['-u', 'engine.py'], {
      cwd: this.dir,
      stdio: [stdio, 'pipe', 'pipe'],
      env: {
        ...process.env,
        // BLAS keeps a thread pool of its own, sized when it loads: torch.set_num_threads does not reach it.
        ...(threads > 0 ? { OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) } : {}),
        GAN_TORCH_THREADS: String(threads),
        GAN_TORCH_DEVICE: this.options.device,
        PYTHONDONTWRITEBYTECODE: '1',
        ...extraEnv,
      },
    });
    child.stderr?.on('data', (chunk: Buffer) => this.log(chunk.toString()));
    child.stdin?.on('error', () => undefined); // a dead process: its exit is reported instead
    child.on('error', (error) => this.fail(`${this.options.python} could not start (${error.message})`));
    child.on('exit', (code, signal) =>
      this.fail(`it exited (${signal ? `signal ${signal}` : `code ${code}`})`),
    );
    this.children.push(child);
    return child;
  }

  private log(text: string): void {
    this.stderrTail = (this.stderrTail + text).slice(-LOG_TAIL);
    process.stderr.write(text);
  }

  private channel(input: Writable, output: NodeJS.ReadableStream): Channel {
    const channel: Channel = { input, waiting: [] };
    const reader = new AnswerReader((answer) => channel.waiting.shift()?.resolve(answer));
    output.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (error) {
        this.fail(`its answer could not be read (${(error as Error).message})`);
      }
    });
    return channel;
  }

  private async startOne(): Promise<EngineReady> {
    const child = this.spawnProcess({}, 'pipe');
    if (!child.stdin || !child.stdout) throw new TorchEngineError('the PyTorch engine has no pipes');
    const channel = this.channel(child.stdin, child.stdout);
    this.channels.push(channel);
    const greeting = await new Promise<EngineAnswer>((resolve, reject) =>
      channel.waiting.push({ resolve, reject }),
    );
    return readyOf(greeting);
  }

  private async startRanks(): Promise<EngineReady> {
    const count = this.options.processes;
    const server = createServer();
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const masterPort = await freePort();
    const greetings = new Map<number, EngineAnswer>();
    const connected = new Promise<void>((resolve) => {
      server.on('connection', (socket: Socket) => {
        const channel = this.channel(socket, socket);
        socket.on('error', () => undefined);
        socket.on('close', () => this.fail('a process closed its connection'));
        channel.waiting.push({
          resolve: (greeting) => {
            const rank = Number(greeting.header.rank);
            this.channels[rank] = channel;
            greetings.set(rank, greeting);
            if (greetings.size === count) resolve();
          },
          reject: () => undefined,
        });
      });
    });
    for (let rank = 0; rank < count; rank++) {
      const child = this.spawnProcess(
        {
          RANK: String(rank),
          LOCAL_RANK: String(rank),
          WORLD_SIZE: String(count),
          LOCAL_WORLD_SIZE: String(count),
          MASTER_ADDR: '127.0.0.1',
          MASTER_PORT: String(masterPort),
          GAN_TORCH_CONNECT: `127.0.0.1:${port}`,
        },
        'ignore',
      );
      child.stdout?.on('data', (chunk: Buffer) => this.log(chunk.toString()));
    }
    await Promise.race([connected, this.stopped]);
    const first = greetings.get(0);
    if (!first) throw new TorchEngineError('the first process did not connect');
    return readyOf(first);
  }

  private stoppedMessage(): string {
    const tail = this.stderrTail.trim().split('\n').slice(-6).join('\n');
    return `the PyTorch engine stopped: ${this.exited}${tail ? `\n${tail}` : ''}`;
  }

  private fail(why: string): void {
    if (this.exited) return;
    this.exited = why;
    const error = new TorchEngineError(this.stoppedMessage());
    this.rejectStopped(error);
    for (const channel of this.channels) for (const w of channel?.waiting.splice(0) ?? []) w.reject(error);
  }

  /** One request to every process (`rank` gives each its own), answered in order; the first
   *  process's answer is returned. Requests wait for the one before. */
  request(header: Record<string, unknown>, payload?: Uint8Array): Promise<EngineAnswer> {
    return this.requestEach(() => ({ header, payload }));
  }

  requestEach(perRank: RankRequest): Promise<EngineAnswer> {
    const run = async (): Promise<EngineAnswer> => {
      if (this.exited) throw new TorchEngineError(this.stoppedMessage());
      const answers = this.channels.map((channel, rank) => {
        const { header, payload } = perRank(rank);
        const answer = new Promise<EngineAnswer>((resolve, reject) =>
          channel.waiting.push({ resolve, reject }),
        );
        const line = JSON.stringify(payload?.length ? { ...header, bytes: payload.length } : header) + '\n';
        channel.input.write(line);
        if (payload?.length) channel.input.write(payload);
        return answer;
      });
      const results = await Promise.all(answers);
      const failed = results.find((r) => typeof r.header.error === 'string');
      if (failed) throw new TorchEngineError(`the PyTorch engine failed: ${String(failed.header.error)}`);
      return results[0];
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Closes every process's input (they exit by themselves) and removes the scratch folder. */
  close(): void {
    this.exited ??= 'closed';
    for (const channel of this.channels) channel?.input.end();
    for (const child of this.children) {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      timer.unref();
      child.once('exit', () => clearTimeout(timer));
    }
    this.server?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function readyOf({ header }: EngineAnswer): EngineReady {
  return { torch: String(header.torch), device: String(header.device), threads: Number(header.threads) };
}
