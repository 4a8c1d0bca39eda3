#!/usr/bin/env node
/**
 * Builds the RankPlay demo collection (public/demo/rankplay-demo/, BEIR layout) from the
 * hand-written topic sources in scripts/demo-corpus/topics/*.txt and the cross-topic judgements
 * in scripts/demo-corpus/cross.tsv. Deterministic: the same sources give byte-identical files.
 *
 *   node scripts/demo-corpus/build.mjs            write the files and print counts
 *   node scripts/demo-corpus/build.mjs --report   also list the off-topic passages BM25 puts in
 *                                                 each query's top 10 (for reviewing cross.tsv)
 *
 * Source format, one topic after another:
 *   # slug | Topic name
 *   ? query text                      (3 or 4 per topic; ids slug-q1, slug-q2, ...)
 *   + GRADES | Passage title          (an on-topic passage; ids slug-01, slug-02, ... in order)
 *   - GRADES | Passage title          (a near-miss distractor: shares words, not the subject)
 *   passage text on the following line(s), ended by a blank line
 * GRADES has one digit 0..3 per query of the topic, in query order.
 *
 * Every query is judged against every passage of its own topic. cross.tsv adds or overrides
 * judgements against other topics' passages (query-id, corpus-id, grade); then every passage
 * from another topic that BM25 (k1 0.9, b 0.4, Porter stems) ranks in a query's top 10 and that
 * cross.tsv does not grade is judged 0, so the judged pool covers BM25's mistakes.
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stemmer } from 'stemmer';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, '../../public/demo/rankplay-demo');
const REPORT = process.argv.includes('--report');

/** Topics held out for testing: no query of these topics is in train. */
const TEST_TOPICS = [
  'tides',
  'chess',
  'vaccines',
  'python',
  'moon',
  'batteries',
  'knitting',
  'tea',
  'octopus',
  'olympics',
  'timezones',
];

const MIN_WORDS = 40;
const MAX_WORDS = 110;

function fail(msg) {
  console.error(`build: ${msg}`);
  process.exit(1);
}

// ---- parse the sources ----
const topics = [];
for (const file of readdirSync(join(HERE, 'topics')).filter((f) => f.endsWith('.txt')).sort()) {
  const lines = readFileSync(join(HERE, 'topics', file), 'utf8').split('\n');
  let topic = null;
  let passage = null;
  const close = () => {
    if (passage) {
      passage.text = passage.lines.join(' ').replace(/\s+/g, ' ').trim();
      delete passage.lines;
      topic.passages.push(passage);
      passage = null;
    }
  };
  lines.forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    const line = raw.trimEnd();
    if (line.startsWith('# ')) {
      close();
      const [slug, name] = line.slice(2).split('|').map((s) => s.trim());
      if (!/^[a-z0-9]+$/.test(slug) || !name) fail(`${where}: bad topic line`);
      topic = { slug, name, queries: [], passages: [] };
      topics.push(topic);
    } else if (line.startsWith('? ')) {
      if (!topic || topic.passages.length || passage) fail(`${where}: query outside a topic header`);
      topic.queries.push(line.slice(2).trim());
    } else if (/^[+-] /.test(line)) {
      close();
      const m = /^([+-]) ([0-3]+) \| (.+)$/.exec(line);
      if (!m) fail(`${where}: bad passage header`);
      if (m[2].length !== topic.queries.length) fail(`${where}: ${m[2].length} grades for ${topic.queries.length} queries`);
      passage = { distractor: m[1] === '-', grades: [...m[2]].map(Number), title: m[3].trim(), lines: [], where };
    } else if (line === '') {
      close();
    } else {
      if (!passage) fail(`${where}: text outside a passage`);
      passage.lines.push(line);
    }
  });
  close();
}

// ---- ids, checks ----
const docs = [];
const queries = [];
const topicOfQuery = new Map();
const topicOfDoc = new Map();
const seenSlugs = new Set();
for (const t of topics) {
  if (seenSlugs.has(t.slug)) fail(`topic ${t.slug} appears twice`);
  seenSlugs.add(t.slug);
  if (t.queries.length < 3 || t.queries.length > 4) fail(`topic ${t.slug} has ${t.queries.length} queries`);
  t.queryIds = t.queries.map((_, i) => `${t.slug}-q${i + 1}`);
  t.queries.forEach((text, i) => {
    queries.push({ _id: t.queryIds[i], text });
    topicOfQuery.set(t.queryIds[i], t.slug);
  });
  t.passages.forEach((p, i) => {
    p.id = `${t.slug}-${String(i + 1).padStart(2, '0')}`;
    const words = p.text.split(/\s+/).length;
    if (words < MIN_WORDS || words > MAX_WORDS) fail(`${p.where} (${p.id}): ${words} words, want ${MIN_WORDS}-${MAX_WORDS}`);
    docs.push({ _id: p.id, title: p.title, text: p.text });
    topicOfDoc.set(p.id, t.slug);
  });
  t.queryIds.forEach((q, qi) => {
    if (!t.passages.some((p) => p.grades[qi] >= 2)) fail(`${q} has no passage graded 2 or 3`);
  });
}
for (const s of TEST_TOPICS) if (!seenSlugs.has(s)) fail(`test topic ${s} does not exist`);

// ---- judgements ----
/** qrels: Map query-id -> Map doc-id -> grade */
const qrels = new Map(queries.map((q) => [q._id, new Map()]));
for (const t of topics) t.passages.forEach((p) => t.queryIds.forEach((q, qi) => qrels.get(q).set(p.id, p.grades[qi])));

const crossGraded = new Map(queries.map((q) => [q._id, new Set()]));
const crossFile = readFileSync(join(HERE, 'cross.tsv'), 'utf8');
crossFile.split('\n').forEach((raw, i) => {
  const line = raw.replace(/#.*/, '').trim();
  if (!line) return;
  const [q, d, g] = line.split(/\s+/);
  if (!qrels.has(q)) fail(`cross.tsv:${i + 1}: unknown query ${q}`);
  if (!topicOfDoc.has(d)) fail(`cross.tsv:${i + 1}: unknown passage ${d}`);
  if (topicOfDoc.get(d) === topicOfQuery.get(q)) fail(`cross.tsv:${i + 1}: ${d} is in ${q}'s own topic; grade it in the source`);
  if (!/^[0-3]$/.test(g ?? '')) fail(`cross.tsv:${i + 1}: grade must be 0..3`);
  qrels.get(q).set(d, Number(g));
  crossGraded.get(q).add(d);
});

// ---- BM25 (for the pool and the report) ----
const STOP = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);
const analyse = (s) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOP.has(w))
    .map((w) => stemmer(w));
const K1 = 0.9;
const B = 0.4;
const docTerms = docs.map((d) => analyse(`${d.title} ${d.text}`));
const avgLen = docTerms.reduce((s, t) => s + t.length, 0) / docs.length;
const df = new Map();
const tf = docTerms.map((terms) => {
  const m = new Map();
  for (const w of terms) m.set(w, (m.get(w) ?? 0) + 1);
  for (const w of m.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  return m;
});
function bm25(text) {
  const terms = analyse(text);
  return docs
    .map((d, i) => {
      let s = 0;
      for (const w of terms) {
        const f = tf[i].get(w);
        if (!f) continue;
        const n = df.get(w);
        const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
        s += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * docTerms[i].length) / avgLen));
      }
      return { id: d._id, s };
    })
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || (a.id < b.id ? -1 : 1));
}

const runs = new Map(queries.map((q) => [q._id, bm25(q.text)]));
const pooled = [];
for (const q of queries) {
  const judged = qrels.get(q._id);
  for (const { id } of runs.get(q._id).slice(0, 10)) {
    if (!judged.has(id)) {
      judged.set(id, 0);
      pooled.push([q, id]);
    }
  }
}

// ---- split and write ----
const isTest = (qid) => TEST_TOPICS.includes(topicOfQuery.get(qid));
const json = (o) => JSON.stringify(o);
mkdirSync(join(OUT, 'qrels'), { recursive: true });
writeFileSync(join(OUT, 'corpus.jsonl'), docs.map(json).join('\n') + '\n');
writeFileSync(join(OUT, 'queries.jsonl'), queries.map(json).join('\n') + '\n');
const qrelsText = (test) => {
  const rows = ['query-id\tcorpus-id\tscore'];
  for (const q of queries) {
    if (isTest(q._id) !== test) continue;
    const j = qrels.get(q._id);
    for (const d of [...j.keys()].sort()) rows.push(`${q._id}\t${d}\t${j.get(d)}`);
  }
  return rows.join('\n') + '\n';
};
writeFileSync(join(OUT, 'qrels/train.tsv'), qrelsText(false));
writeFileSync(join(OUT, 'qrels/test.tsv'), qrelsText(true));

const count = (test) => {
  const qs = queries.filter((q) => isTest(q._id) === test);
  const judgements = qs.reduce((s, q) => s + qrels.get(q._id).size, 0);
  const labels = { 0: 0, 1: 0, 2: 0, 3: 0 };
  for (const q of qs) for (const g of qrels.get(q._id).values()) labels[g]++;
  return { topics: new Set(qs.map((q) => topicOfQuery.get(q._id))).size, queries: qs.length, judgements, labels };
};
const manifest = {
  name: 'rankplay-demo',
  title: 'RankPlay demo passages',
  version: 1,
  description:
    'A small English passage collection written for RankPlay: everyday and general-knowledge topics, ' +
    'graded judgements 0-3, with near-miss distractors that trip up BM25. Split by topic: test topics are unseen in train.',
  language: 'en',
  license: 'CC0-1.0',
  format: 'beir',
  files: { corpus: 'corpus.jsonl', queries: 'queries.jsonl', qrels: { train: 'qrels/train.tsv', test: 'qrels/test.tsv' }, readme: 'README.md' },
  grades: { 0: 'not relevant', 1: 'related or partial', 2: 'highly relevant', 3: 'perfectly answers' },
  split: { by: 'topic', testTopics: TEST_TOPICS },
  counts: {
    topics: topics.length,
    passages: docs.length,
    distractors: topics.reduce((s, t) => s + t.passages.filter((p) => p.distractor).length, 0),
    queries: queries.length,
    judgements: count(false).judgements + count(true).judgements,
    train: count(false),
    test: count(true),
  },
  topics: topics.map((t) => ({ id: t.slug, name: t.name, split: TEST_TOPICS.includes(t.slug) ? 'test' : 'train', queries: t.queryIds.length, passages: t.passages.length })),
};
writeFileSync(join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

// ---- summary: BM25 effectiveness, so we know it leaves room for a reranker ----
function ndcg10(qid) {
  const j = qrels.get(qid);
  const gain = (g) => 2 ** g - 1;
  const dcg = runs
    .get(qid)
    .slice(0, 10)
    .reduce((s, { id }, r) => s + gain(j.get(id) ?? 0) / Math.log2(r + 2), 0);
  const ideal = [...j.values()]
    .sort((a, b) => b - a)
    .slice(0, 10)
    .reduce((s, g, r) => s + gain(g) / Math.log2(r + 2), 0);
  return ideal ? dcg / ideal : 0;
}
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const words = docs.map((d) => d.text.split(/\s+/).length);
console.log(
  `${topics.length} topics, ${docs.length} passages (${manifest.counts.distractors} distractors, ${Math.min(...words)}-${Math.max(...words)} words, mean ${mean(words).toFixed(0)}), ` +
    `${queries.length} queries, ${manifest.counts.judgements} judgements (${pooled.length} pooled from BM25 as 0)`,
);
console.log('train', JSON.stringify(count(false)));
console.log('test ', JSON.stringify(count(true)));
for (const test of [false, true]) {
  const qs = queries.filter((q) => isTest(q._id) === test).map((q) => q._id);
  console.log(`BM25 nDCG@10 ${test ? 'test ' : 'train'}: ${mean(qs.map(ndcg10)).toFixed(3)}`);
}
const perQuery = queries.map((q) => qrels.get(q._id).size);
console.log(`judgements per query: ${Math.min(...perQuery)}-${Math.max(...perQuery)}, mean ${mean(perQuery).toFixed(1)}`);
if (REPORT) {
  console.log('\nPooled as 0 (off-topic, BM25 top 10, not in cross.tsv):');
  for (const [q, d] of pooled) {
    const doc = docs.find((x) => x._id === d);
    console.log(`${q._id}\t${d}\t[${q.text}] -> ${doc.title}`);
  }
  console.log('\nQueries whose BM25 top 3 holds no passage graded >= 2:');
  for (const q of queries) {
    const top = runs.get(q._id).slice(0, 3);
    if (!top.some(({ id }) => (qrels.get(q._id).get(id) ?? 0) >= 2)) console.log(`${q._id}\t[${q.text}] -> ${top.map((x) => x.id).join(' ')}`);
  }
}
