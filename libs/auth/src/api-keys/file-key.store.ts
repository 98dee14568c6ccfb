import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { readStoredApiKey, type ApiKeyStore, type StoredApiKey } from './api-key.store';

export interface FileApiKeyStoreOptions {
  /** `PARTNER_KEYS_FILE`; a missing file is an empty store. */
  readonly path: string;
  /** Least time between two checks of the file's mtime on the request path. Default 1000 ms. */
  readonly checkIntervalMs?: number;
  /** Called when a changed file cannot be read; the keys loaded before keep serving. */
  readonly onReloadError?: (error: Error) => void;
  /** Clock, epoch ms (tests). */
  readonly now?: () => number;
}

interface Loaded {
  readonly keys: readonly StoredApiKey[];
  readonly byHash: ReadonlyMap<string, StoredApiKey>;
  readonly stamp: string;
}

/** File format: `{ "version": 1, "keys": [StoredApiKey, …] }`, written atomically (temp file + rename), mode 0600. */
interface KeyFile {
  readonly version: 1;
  readonly keys: readonly StoredApiKey[];
}

/** mtime + size + inode: an atomic rename always changes the inode, so no write can go unnoticed. */
function stampOf(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

function load(path: string): Loaded {
  const stamp = stampOf(path);
  if (stamp === 'missing') return { keys: [], byHash: new Map(), stamp };
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new Error(`partner key file ${path} is not valid JSON`, { cause });
  }
  const { version, keys } = (document ?? {}) as { version?: unknown; keys?: unknown };
  if (version !== 1 || !Array.isArray(keys)) throw new Error(`partner key file ${path} is not a version 1 key file`);
  const records = keys.map((k, i) => {
    try {
      return readStoredApiKey(k);
    } catch (cause) {
      throw new Error(`partner key file ${path}: entry ${i}: ${(cause as Error).message}`, { cause });
    }
  });
  return { keys: records, byHash: new Map(records.map((r) => [r.sha256, r])), stamp };
}

/**
 * The default key store: a JSON file of hashed keys (`PARTNER_KEYS_FILE`). The gateway reads it at start (a
 * malformed file stops the start) and notices changes by checking the file's stamp at most once per
 * `checkIntervalMs` on the request path — one `stat` per second, no watcher thread — so keys created or revoked
 * with the CLI take effect within about a second, without restart. Writes (CLI) replace the file atomically.
 */
export class FileApiKeyStore implements ApiKeyStore {
  private loaded: Loaded;
  private checkedAt: number;
  private readonly now: () => number;

  /** @throws Error when the file exists but is not a valid key file */
  constructor(private readonly options: FileApiKeyStoreOptions) {
    this.now = options.now ?? Date.now;
    this.loaded = load(options.path);
    this.checkedAt = this.now();
  }

  findByHash(sha256: string): Promise<StoredApiKey | undefined> {
    return Promise.resolve(this.peekByHash(sha256));
  }

  /** Always answers: the whole file is in memory (re-read when its stamp changed, checked at most once per interval). */
  peekByHash(sha256: string): StoredApiKey | undefined {
    const now = this.now();
    if (now - this.checkedAt >= (this.options.checkIntervalMs ?? 1000)) {
      this.checkedAt = now;
      this.reloadIfChanged();
    }
    return this.loaded.byHash.get(sha256);
  }

  async list(): Promise<StoredApiKey[]> {
    this.loaded = load(this.options.path);
    return [...this.loaded.keys];
  }

  async add(key: StoredApiKey): Promise<void> {
    const current = load(this.options.path);
    if (current.keys.some((k) => k.id === key.id || k.sha256 === key.sha256)) throw new Error('a key with this id or value exists');
    this.write([...current.keys, readStoredApiKey(key)]);
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    const current = load(this.options.path);
    const found = current.keys.find((k) => k.id === id);
    if (!found) return false;
    if (found.revokedAt === null) this.write(current.keys.map((k) => (k.id === id ? Object.assign({}, k, { revokedAt: at.toISOString() }) : k)));
    return true;
  }

  async close(): Promise<void> {
    // nothing held open
  }

  private reloadIfChanged(): void {
    try {
      if (stampOf(this.options.path) !== this.loaded.stamp) this.loaded = load(this.options.path);
    } catch (error) {
      this.options.onReloadError?.(error as Error);
    }
  }

  private write(keys: readonly StoredApiKey[]): void {
    const { path } = this.options;
    mkdirSync(dirname(path), { recursive: true });
    const document: KeyFile = { version: 1, keys };
    const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, path);
    this.loaded = load(path);
  }
}
