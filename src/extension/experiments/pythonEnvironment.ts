// The Python extension's active environment, through its public environments API
// (`ms-python.python` exports.environments). Absent extension, an older API or any failure: null,
// and the search goes on to `python3` on PATH.
import * as vscode from 'vscode';

const PYTHON_EXTENSION_ID = 'ms-python.python';

interface EnvironmentPath {
  readonly id: string;
  readonly path: string;
}

interface ResolvedEnvironment {
  readonly executable: { readonly uri: vscode.Uri | undefined };
}

interface PythonEnvironmentsApi {
  readonly environments: {
    getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath;
    resolveEnvironment(environment: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
  };
}

function hasEnvironmentsApi(exports: unknown): exports is PythonEnvironmentsApi {
  const environments = (exports as { environments?: Record<string, unknown> } | undefined)?.environments;
  return (
    typeof environments?.getActiveEnvironmentPath === 'function' &&
    typeof environments?.resolveEnvironment === 'function'
  );
}

/** The interpreter of the Python extension's active environment for `resource`, or null. */
export async function pythonExtensionInterpreter(resource?: vscode.Uri): Promise<string | null> {
  const extension = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
  if (!extension) return null;
  try {
    const exports: unknown = extension.isActive ? extension.exports : await extension.activate();
    if (!hasEnvironmentsApi(exports)) return null;
    const active = exports.environments.getActiveEnvironmentPath(resource);
    const resolved = await exports.environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? null;
  } catch {
    return null;
  }
}
