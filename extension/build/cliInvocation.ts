// How the extension starts the anomaly-lens command line: which Node runtime and arguments.

export interface NodeRuntime {
  command: string;
  /** Extra environment for the child process. */
  env: Record<string, string>;
}

/**
 * The runtime for child processes: the configured one, else the one the extension host
 * runs on.  Inside Electron (desktop VS Code) that binary only behaves as Node with
 * ELECTRON_RUN_AS_NODE set; under code-server or a remote host it is Node already.
 */
export function nodeRuntime(configured: string | undefined, execPath: string, electronVersion: string | undefined): NodeRuntime {
  const chosen = configured?.trim();
  if (chosen) return { command: chosen, env: {} };
  return { command: execPath, env: electronVersion ? { ELECTRON_RUN_AS_NODE: '1' } : {} };
}

/** `anomaly-lens build <source> --out <output>` as arguments to the runtime. */
export function buildArguments(cliPath: string, source: string, output: string): string[] {
  return [cliPath, 'build', source, '--out', output];
}
