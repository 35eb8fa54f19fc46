// The few WebAssembly globals the wasm loader uses. Node has them at run time, but @types/node 20
// does not declare them and the Node layers compile without the DOM library, which would.
declare namespace WebAssembly {
  type Module = object;
  type Instance = object;
  type Imports = Record<string, Record<string, unknown>>;
  function instantiate(
    bytes: Uint8Array,
    imports?: Imports,
  ): Promise<{ readonly module: Module; readonly instance: Instance }>;
}
