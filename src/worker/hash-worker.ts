/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { localHasher, type StreamHasher } from '../core/data/hash';

/**
 * SHA-256 of the chunks the data worker reads, on a thread of its own: hashing in the parse pass
 * cost about a quarter of the load speed in Chromium (bench/parse-letor.mjs), and reading the file
 * a second time here cost as much (Blob reads share one pipe). The data worker sends copies of the
 * chunks it parses; sessions keep concurrent streams (a format probe and the parse) apart.
 */
const sessions = new Map<number, Promise<StreamHasher>>();
let next = 0;
const MAX_SESSIONS = 16;

const api = {
  open(): number {
    const id = next++;
    sessions.set(id, localHasher());
    // A probe that read a file's head never asks for its digest: keep only the latest few.
    for (const old of sessions.keys()) if (sessions.size > MAX_SESSIONS) sessions.delete(old);
    return id;
  },
  async update(id: number, chunk: Uint8Array): Promise<void> {
    (await sessions.get(id))?.update(chunk);
  },
  async digest(id: number): Promise<string> {
    const hasher = sessions.get(id);
    sessions.delete(id);
    if (!hasher) throw new Error(`no hash session ${id}`);
    return (await hasher).digest();
  },
};
export type HashWorkerApi = typeof api;

Comlink.expose(api);
