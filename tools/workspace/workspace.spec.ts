import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');

function projects(): { root: string; name: string; tags: string[] }[] {
  const found: { root: string; name: string; tags: string[] }[] = [];
  for (const parent of ['apps', 'libs', 'tools']) {
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      const file = join(root, parent, entry.name, 'project.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const project = JSON.parse(readFileSync(file, 'utf8')) as { name: string; tags?: string[] };
      found.push({ root: `${parent}/${entry.name}`, name: project.name, tags: project.tags ?? [] });
    }
  }
  return found;
}

describe('workspace rules', () => {
  const all = projects();

  it('finds the projects', () => {
    expect(all.map((p) => p.name)).toEqual(
      expect.arrayContaining(['web-bff', 'mobile-bff', 'partner-bff', 'demo-upstreams', 'upstream']),
    );
  });

  it.each(all.map((p) => [p.name, p.tags] as const))(
    '%s has exactly one scope:* and one type:* tag',
    (_name, tags) => {
      expect(tags.filter((t) => t.startsWith('scope:'))).toHaveLength(1);
      expect(tags.filter((t) => t.startsWith('type:'))).toHaveLength(1);
    },
  );

  it('CODEOWNERS gives each BFF to its team and the shared libs to the platform owners', () => {
    const owners = readFileSync(join(root, 'CODEOWNERS'), 'utf8');
    expect(owners).toMatch(/^\/apps\/web-bff\/\s+@frontdoor\/web-team$/m);
    expect(owners).toMatch(/^\/apps\/mobile-bff\/\s+@frontdoor\/mobile-team$/m);
    expect(owners).toMatch(/^\/apps\/partner-bff\/\s+@frontdoor\/partner-team$/m);
    expect(owners).toMatch(/^\/libs\/\s+@frontdoor\/platform$/m);
  });

  it('Nx never talks to a cloud and keeps its cache in the repo', () => {
    const nx = JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8')) as Record<string, unknown>;
    expect(nx['neverConnectToCloud']).toBe(true);
    expect(nx['cacheDirectory']).toBe('.nx/cache');
    expect(nx).not.toHaveProperty('nxCloudAccessToken');
  });

  it('TypeScript is strict and every lib has exactly one entry point alias', () => {
    const base = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as {
      compilerOptions: { strict: boolean; paths: Record<string, string[]> };
    };
    expect(base.compilerOptions.strict).toBe(true);
    for (const [alias, targets] of Object.entries(base.compilerOptions.paths)) {
      expect(alias).not.toContain('*');
      expect(targets).toHaveLength(1);
      expect(targets[0]).toMatch(/^\.\/libs\/[a-z-]+\/src\/index\.ts$/);
    }
  });
});
