// Builds the Emscripten module behind the tfjs wasm backend ourselves instead of through the
// package's init(): tfjs 4.22 turns threads off in Node because its pthread worker is a blob: URL,
// which Node's Worker refuses. Here the worker is a real file and the .wasm binaries are read
// from disk: dist/wasm/ beside the bundle (copied there by scripts/build.mjs, so an installed .vsix
// needs no node_modules), else the installed package (running from sources).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type WasmModule = ConstructorParameters<typeof BackendWasm>[0];

interface WasmImports {
  env: Record<string, unknown>;
}

interface FactoryConfig {
  locateFile(file: string, prefix: string): string;
  mainScriptUrlOrBlob?: string;
  instantiateWasm(
    imports: WasmImports,
    receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ): object;
  onAbort(reason: unknown): void;
}

type ModuleFactory = (config: FactoryConfig) => Promise<WasmModule>;

/** Emscripten's pthread bookkeeping (only in the threaded build). */
interface PThreadPool {
  unusedWorkers: NodeWorker[];
  runningWorkers: NodeWorker[];
}
interface NodeWorker {
  unref(): void;
  terminate(): void;
}

const requireHere = createRequire(__filename);

export interface WasmPackageFiles {
  /** Where the Emscripten glue scripts (tfjs-backend-wasm*.js) are. */
  readonly glueDir: string;
  /** Where the .wasm binaries are. */
  readonly binaryDir: string;
  readonly version: string;
}

/** The folder scripts/build.mjs copies the glue scripts and binaries into, beside the bundle. */
const bundledWasmDir = path.join(__dirname, 'wasm');

export function locateWasmPackage(): WasmPackageFiles {
  const bundledManifest = path.join(bundledWasmDir, 'package.json');
  if (fs.existsSync(bundledManifest))
    return { glueDir: bundledWasmDir, binaryDir: bundledWasmDir, version: readVersion(bundledManifest) };
  const manifestPath = requireHere.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  const packageDir = path.dirname(manifestPath);
  return {
    glueDir: path.join(packageDir, 'wasm-out'),
    binaryDir: path.join(packageDir, 'dist'),
    version: readVersion(manifestPath),
  };
}

function readVersion(manifestPath: string): string {
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}

export interface WasmModuleRequest {
  readonly files: WasmPackageFiles;
  readonly simd: boolean;
  /** > 1 selects the threaded build (which needs SIMD). */
  readonly threads: number;
}

export async function createWasmModule(request: WasmModuleRequest): Promise<WasmModule> {
  const { files, simd, threads } = request;
  const threaded = threads > 1 && simd;
  const gluePath = path.join(
    files.glueDir,
    threaded ? 'tfjs-backend-wasm-threaded-simd.js' : 'tfjs-backend-wasm.js',
  );
  const binaryName = threaded
    ? 'tfjs-backend-wasm-threaded-simd.wasm'
    : simd
      ? 'tfjs-backend-wasm-simd.wasm'
      : 'tfjs-backend-wasm.wasm';
  const binary = fs.readFileSync(path.join(files.binaryDir, binaryName));
  const mainScript = threaded ? writeSizedGlue(gluePath, files, threads) : gluePath;
  const factory = loadFactory(mainScript);
  const workerPath = threaded ? writeWorkerScript(files) : '';

  let fail: (reason: unknown) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => {
    fail = (reason) => reject(new Error(`tfjs-backend-wasm failed to start: ${String(reason)}`));
  });
  const modulePromise = factory({
    locateFile: (file) => (file.endsWith('.worker.js') ? workerPath : path.join(files.binaryDir, file)),
    // The worker evaluates this file to get the module factory (a string path, not a Blob).
    mainScriptUrlOrBlob: threaded ? mainScript : undefined,
    instantiateWasm: (imports, receive) => {
      // The backend caps its thread pool at logical cores / 2; report enough cores for `threads`.
      if (threaded) imports.env.emscripten_num_logical_cores = () => threads * 2;
      WebAssembly.instantiate(binary, imports as unknown as WebAssembly.Imports).then(
        (result) => receive(result.instance, result.module),
        fail,
      );
      return {};
    },
    onAbort: fail,
  });
  const wasm = await Promise.race([modulePromise, failure]);
  attachTfjsBridge(wasm);
  return wasm;
}

/** After the backend created its thread pool: let the process exit, free the spare workers. */
export function releaseIdleWorkers(wasm: WasmModule): void {
  const pool = (wasm as unknown as { PThread?: PThreadPool }).PThread;
  if (!pool) return;
  for (const worker of pool.runningWorkers) worker.unref();
  for (const worker of pool.unusedWorkers) worker.terminate();
  pool.unusedWorkers.length = 0;
}

function loadFactory(gluePath: string): ModuleFactory {
  const loaded: unknown = requireHere(gluePath);
  if (typeof loaded !== 'function')
    throw new Error(`${gluePath} does not export an Emscripten module factory`);
  return loaded as ModuleFactory;
}

/** The glue's pool size, fixed at build time; each pooled worker instantiates the whole module. */
const BUILT_POOL = 'var pthreadPoolSize=8;';

/**
 * The threaded glue with a pthread pool of `threads` workers instead of the 8 it was built with,
 * written to a content-addressed temp file: the module waits for every pooled worker to load the
 * .wasm before it starts, and 8 of them took about 0.85 s on a 2-core machine where 2 take a
 * fraction of that (more threads, if ever needed, are created on demand in Node). The glue is
 * used unchanged when it does not contain the expected declaration.
 */
function writeSizedGlue(gluePath: string, files: WasmPackageFiles, threads: number): string {
  const source = fs.readFileSync(gluePath, 'utf8');
  if (!source.includes(BUILT_POOL)) return gluePath;
  const sized = source.replace(BUILT_POOL, `var pthreadPoolSize=${threads};`);
  const digest = createHash('sha256').update(sized).digest('hex').slice(0, 16);
  const target = path.join(os.tmpdir(), `gan-studio-tfjs-wasm-${files.version}-${digest}.cjs`);
  if (!fs.existsSync(target)) {
    const partial = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(partial, sized);
    fs.renameSync(partial, target);
  }
  return target;
}

/** Writes the pthread worker script (shipped only as a JS string) to a content-addressed temp file. */
function writeWorkerScript(files: WasmPackageFiles): string {
  const moduleExports: unknown = requireHere(
    path.join(files.glueDir, 'tfjs-backend-wasm-threaded-simd.worker.js'),
  );
  const contents = (moduleExports as { wasmWorkerContents?: unknown }).wasmWorkerContents;
  if (typeof contents !== 'string') throw new Error('tfjs-backend-wasm: pthread worker script not found');
  // The string is a template literal whose "\n" escapes became real newlines inside JS string
  // literals; tfjs re-escapes them the same way before making its blob.
  const script = contents.replace(/\n/g, '\\n');
  const digest = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const target = path.join(os.tmpdir(), `gan-studio-tfjs-wasm-${files.version}-${digest}.worker.cjs`);
  if (!fs.existsSync(target)) {
    const partial = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(partial, script);
    fs.renameSync(partial, target);
  }
  return target;
}

function attachTfjsBridge(wasm: WasmModule): void {
  const cwrap = (wasm as unknown as { cwrap: CWrap }).cwrap;
  wasm.tfjs = {
    init: cwrap('init', null, []),
    initWithThreadsCount: cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: cwrap('get_threads_count', 'number', []) as () => number,
    registerTensor: cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: cwrap('dispose_data', null, ['number']),
    dispose: cwrap('dispose', null, []),
  };
}

type CWrap = (name: string, returnType: 'number' | null, argTypes: string[]) => (...args: number[]) => void;
