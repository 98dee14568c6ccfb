// Lints source texts as if they lived at given paths, with the workspace's real ESLint config (and so the Nx
// module-boundary rule). Reads [{filePath, code}] as JSON on stdin, writes [[ruleId: message, …], …] on stdout.
// A child process because ESLint loads its flat config with a dynamic import, which Jest's VM cannot do.
import { ESLint } from 'eslint';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
}));
// `cwd` (optional, per text): where ESLint looks for its config — the root, or a project's directory as `nx lint` runs
const linters = new Map();
const linterFor = (cwd = process.cwd()) => linters.get(cwd) ?? linters.set(cwd, new ESLint({ cwd })).get(cwd);
const results = [];
for (const { filePath, code, cwd } of input) {
  const [result] = await linterFor(cwd).lintText(code, { filePath });
  results.push((result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`));
}
process.stdout.write(JSON.stringify(results));
