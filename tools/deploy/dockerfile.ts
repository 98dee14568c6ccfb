/** One Dockerfile instruction: keyword upper-cased, arguments with line continuations joined, and its stage index. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly stage: number;
}

/** A small Dockerfile reader: enough for the checks of dockerfiles.spec.ts (no variable expansion, no heredocs). */
export function parseDockerfile(text: string): Instruction[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  let stage = -1;
  return lines.map((line) => {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') stage += 1;
    return { keyword: keyword.toUpperCase(), args, stage };
  });
}

/** The JSON array of an exec-form instruction (`CMD ["node", "main.js"]`), or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed = JSON.parse(args) as unknown;
  return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined;
}

/** Source paths of a `COPY` without `--from` (its last argument is the destination). */
export function copySources(args: string): string[] {
  const words = args.split(/\s+/).filter((w) => !w.startsWith('--'));
  return words.slice(0, -1);
}
