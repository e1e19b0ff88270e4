import { execFileSync } from 'node:child_process';

/** True when a command is on the PATH. */
export function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a test that needs an optional local tool should be skipped: never in CI (CI installs every tool, so a
 * missing one must fail the test), only on a developer machine without it.
 */
export function skipWithout(available: boolean): boolean {
  return !available && process.env.CI !== 'true';
}
