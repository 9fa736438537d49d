// npm run lint: eslint, the stage-order check and the format check, one after another. All three
// run even when one fails, so a single run reports everything; the exit code is 1 if any failed.
import { spawnSync } from 'node:child_process';

const steps = [
  ['eslint', ['npm', 'run', '--silent', 'lint:eslint']],
  ['boundaries', ['npm', 'run', '--silent', 'lint:boundaries']],
  ['format', ['npm', 'run', '--silent', 'format:check']],
];

const failed = [];
for (const [name, [command, ...args]] of steps) {
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: 'inherit' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(`lint: ${name} ${ok ? 'passed' : 'FAILED'} (${seconds} s)`);
  if (!ok) failed.push(name);
}
if (failed.length > 0) {
  console.error(`lint: failed: ${failed.join(', ')}`);
  process.exit(1);
}
