/**
 * `npm run make-demo-letor`: writes the bundled LETOR set `rankplay-demo-letor` (src/core/data/bundled.ts)
 * from the demo passages: train.txt, test.txt and README.md. The features are computed by
 * src/core/data/letor-features.ts; this script only reads and writes files, and
 * src/core/data/bundled.test.ts checks that the shipped files equal what that module gives.
 *
 * Options: --data DIR (default public/demo/rankplay-demo)  --out DIR (default public/demo/rankplay-demo-letor)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LETOR_CANDIDATES, LM_MU, letorFeatureList, letorFilesFromBeir } from '../src/core/data/letor-features';

interface Manifest {
  name: string;
  license: string;
  files: { corpus: string; queries: string; qrels: Record<string, string> };
}

function parseArgs(argv: string[]): { data: string; out: string } {
  const args = { data: 'public/demo/rankplay-demo', out: 'public/demo/rankplay-demo-letor' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--data') args.data = value;
    else if (flag === '--out') args.out = value;
    else throw new Error(`unknown option ${flag} (options: --data DIR, --out DIR)`);
  }
  return args;
}

interface SplitStats {
  queries: number;
  rows: number;
  labels: Record<string, number>;
  minList: number;
  maxList: number;
  bytes: number;
}

function statsOf(text: string): SplitStats {
  const lines = text.split('\n').filter((l) => l !== '');
  const labels: Record<string, number> = {};
  const perQuery = new Map<string, number>();
  for (const line of lines) {
    const [label, qid] = line.split(' ', 2);
    labels[label] = (labels[label] ?? 0) + 1;
    perQuery.set(qid, (perQuery.get(qid) ?? 0) + 1);
  }
  const sizes = [...perQuery.values()];
  return { queries: perQuery.size, rows: lines.length, labels, minList: Math.min(...sizes), maxList: Math.max(...sizes), bytes: Buffer.byteLength(text) };
}

function readme(source: Manifest, dataDir: string, titled: boolean, stats: Record<string, SplitStats>): string {
  const features = letorFeatureList(titled);
  const row = (split: string) => {
    const s = stats[split];
    const l = (g: string) => (s.labels[g] ?? 0).toLocaleString('en');
    return `| ${split} | ${s.queries} | ${s.rows.toLocaleString('en')} | ${s.minList}–${s.maxList} | ${l('0')} | ${l('1')} | ${l('2')} | ${l('3')} | ${(s.bytes / 1024).toFixed(0)} KiB |`;
  };
  return `# RankPlay demo passages as LETOR features

Learning-to-rank feature files computed from the bundled demo passages
([\`${source.name}\`](../${path.basename(dataDir)}/README.md)), so that the feature-based side of
RankPlay (click simulation, Naive / IPS / DLA training) has a small real-text set that ships with the
app. Load \`train.txt\` and \`test.txt\` together; the split is the passages' split, by topic: the
test topics are unseen in train.

## Counts

| split | queries | rows | per query | grade 0 | grade 1 | grade 2 | grade 3 | size |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${Object.keys(stats).map(row).join('\n')}

Grades are the passages' judgements: 0 not relevant, 1 related or partial, 2 highly relevant,
3 perfectly answers. Candidates BM25 retrieved but nobody judged are labelled 0.

## Format

LETOR / SVMlight as MSLR-WEB10K writes it, every feature present, values with 6 significant
digits:

\`\`\`
label qid:<qid> 1:<v> 2:<v> ... ${features.length}:<v> # docid=<passage id>
\`\`\`

- **qid**: the passage set's query ids (\`bread-q1\`, ...) are not numbers, so a query's qid is its
  1-based line number in \`${source.files.queries}\`. It is the same in both files.
- **docid**: the passage id in \`${source.files.corpus}\`. Ids name their topic: never use them as a
  feature.
- Rows of a query are in a fixed pseudo-random order (a hash of the query and passage ids: FNV-1a
  then MurmurHash3's finaliser), neither by BM25 nor by id, so a model that scores everything alike
  gets a chance-level ranking (RankPlay's metrics keep file order for tied scores).

## How it was made

For each query of each split (those with judgements in \`qrels/<split>.tsv\`):

1. Candidates: the top ${LETOR_CANDIDATES.top} passages by BM25 (RankPlay's BM25, k1 = 0.9, b = 0.4, on the
   title and text joined, English analysis: Lucene's 33 stopwords, Porter stemming), then the
   judged passages BM25 did not retrieve (best grade first), so every judged passage can be ranked,
   up to ${LETOR_CANDIDATES.max} per query.
2. Label: the judgement's grade, 0 when unjudged.
3. Features, below. "Query terms" are the analysed query's distinct terms; a term the collection
   lacks counts in means and shares and adds 0. N is the number of passages, df a term's document
   frequency (N and df as BM25 counts them), tf its frequency in the passage, ctf in the whole
   collection, dl the passage's length in terms, μ = ${LM_MU}.

| # | feature | definition |
|---:|---|---|
${features.map((f, i) => `| ${i + 1} | ${f.name} | ${f.description} |`).join('\n')}

The computation is \`src/core/data/letor-features.ts\`; \`src/core/data/bundled.test.ts\` checks that
these files are exactly what it gives for the passages, so they cannot drift from the code.

## Regenerate

\`\`\`
npm run make-demo-letor
\`\`\`

(reads \`${dataDir}\`, writes this folder; deterministic, no randomness).

## Licence

${source.license}, like the passages it is made from: no rights reserved.
`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const read = (name: string) => new Uint8Array(readFileSync(path.join(args.data, name)));
  const manifest = JSON.parse(readFileSync(path.join(args.data, 'manifest.json'), 'utf8')) as Manifest;
  const qrels: Record<string, Uint8Array> = {};
  for (const [split, file] of Object.entries(manifest.files.qrels)) qrels[split] = read(file);
  const { files, titled } = await letorFilesFromBeir({ corpus: read(manifest.files.corpus), queries: read(manifest.files.queries), qrels });
  mkdirSync(args.out, { recursive: true });
  const stats: Record<string, SplitStats> = {};
  for (const [split, text] of Object.entries(files)) {
    writeFileSync(path.join(args.out, `${split}.txt`), text);
    stats[split] = statsOf(text);
    const s = stats[split];
    console.log(`${split}.txt: ${s.queries} queries, ${s.rows} rows (${s.minList}–${s.maxList} per query), labels ${JSON.stringify(s.labels)}, ${s.bytes} bytes`);
  }
  writeFileSync(path.join(args.out, 'README.md'), readme(manifest, args.data, titled, stats));
  console.log(`wrote ${args.out}/README.md (${letorFeatureList(titled).length} features)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
