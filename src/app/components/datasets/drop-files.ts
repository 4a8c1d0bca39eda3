/**
 * The files of a drop, folders included (a BEIR set is a folder with a qrels/ subfolder).
 * Entries must be taken from the DataTransfer during the drop event itself: afterwards the
 * browser empties it. Only files are returned; the worker decides what each one is.
 */
export function filesFromDrop(transfer: DataTransfer): Promise<File[]> {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(transfer.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
  }
  const plain = Array.from(transfer.files ?? []);
  if (!entries.some((e) => e.isDirectory)) return Promise.resolve(plain);
  return Promise.all(entries.map(filesOfEntry)).then((lists) => lists.flat());
}

function filesOfEntry(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) {
    return new Promise((resolve, reject) => (entry as FileSystemFileEntry).file((f) => resolve([f]), reject));
  }
  if (entry.isDirectory) {
    return readAll((entry as FileSystemDirectoryEntry).createReader()).then((children) =>
      Promise.all(children.filter((c) => !c.name.startsWith('.')).map(filesOfEntry)).then((lists) => lists.flat()),
    );
  }
  return Promise.resolve([]);
}

/** readEntries answers in batches (100 in Chromium) until it answers with none. */
function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}
