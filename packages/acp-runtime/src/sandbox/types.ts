/** What one sandboxed agent may see and reach. */
export interface SandboxPolicy {
  /** Read-write: the session's folder. */
  workDir: string;
  /** Read-write: the agent's private HOME (its own session files live there, captured for resume). */
  home: string;
  /** Extra host paths visible read-only. */
  readOnlyPaths: readonly string[];
  /** Extra host paths visible read-write. */
  writablePaths: readonly string[];
  /** The egress proxy's socket and the loopback port the launcher forwards from; none: no network at all. */
  egress: { socketPath: string; port: number } | null;
}

/** A process to start confined. */
export interface SandboxLaunch {
  command: string;
  args: readonly string[];
  env: Record<string, string>;
  /** `sandbox-launcher.mjs`: runs inside, forwards loopback to the egress socket, then runs the command. */
  launcher: string;
  policy: SandboxPolicy;
}

/**
 * A way to confine an agent's whole process tree. Linux: bubblewrap (`bubblewrapRuntime`). A
 * container runtime (Docker, Podman) fits the same shape where an engine exists: `wrap` returns
 * `docker run --rm -i --network none -v <workDir>:<workDir> …` instead.
 */
export interface SandboxRuntime {
  readonly name: string;
  /** `null` when sandboxes work here; else why not and how to fix it. */
  check(): Promise<string | null>;
  /** The command line that runs `launch` inside a sandbox (its environment is passed as is). */
  wrap(launch: SandboxLaunch): { command: string; args: string[] };
}
