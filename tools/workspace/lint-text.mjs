// Lints source texts as if they lived at given paths, with the workspace's real ESLint config (and so the Nx
// module-boundary rule). Reads [{filePath, code}] as JSON on stdin, writes [[ruleId: message, …], …] on stdout.
// A child process because ESLint loads its flat config with a dynamic import, which Jest's VM cannot do.
import { ESLint } from 'eslint';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
}));
const eslint = new ESLint({ cwd: process.cwd() });
const results = [];
for (const { filePath, code } of input) {
  const [result] = await eslint.lintText(code, { filePath });
  results.push((result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`));
}
process.stdout.write(JSON.stringify(results));
