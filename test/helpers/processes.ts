/** Child processes of tests and benchmarks. */
import type { ChildProcess } from 'node:child_process';

/** Sends SIGTERM to every process still running and resolves once all have exited. */
export async function stopAll(procs: ChildProcess[]): Promise<void> {
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((r) => {
          if (p.exitCode !== null || p.signalCode !== null) return r();
          p.once('exit', () => r());
          p.kill('SIGTERM');
        }),
    ),
  );
}
