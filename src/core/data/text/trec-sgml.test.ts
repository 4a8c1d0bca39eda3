import { describe, expect, it } from 'vitest';
import { decodeEntities, markupToText } from './sgml';
import { expectDataError, parseBytes, tableRows, utf8 } from './test-util';
import { TrecSgmlDocsParser, TrecTopicsParser } from './trec-sgml';

function docs(text: string, opts: { skipBadLines?: boolean; cuts?: number[] } = {}) {
  const r = parseBytes('trec-sgml-docs', text, { ...opts, file: 'fbis.sgml' });
  if (r.format !== 'trec-sgml-docs') throw new Error('unreachable');
  return r.collection;
}

function topics(text: string) {
  const p = new TrecTopicsParser('topics.301-350');
  p.push(utf8(text));
  return p.finish();
}

const NEWSWIRE = `<DOC>
<DOCNO> FT911-3 </DOCNO>
<PROFILE>_AN-BEOA7AAIFT</PROFILE>
<DATE>910514
</DATE>
<HEADLINE>
FT  14 MAY 91 / International Company News: Contigas plans
</HEADLINE>
<BYLINE>By ANDREW FISHER</BYLINE>
<TEXT>
<P>CONTIGAS, the German gas group &amp; its parent,</P>
<P>plans DM1.2bn investment.</P>
</TEXT>
<PUB>The Financial Times</PUB>
<TEXT>Second   block.</TEXT>
</DOC>
<doc>
<docno>LA010189-0001</docno>
<text>lower-case tags &lt;work&gt; too &#233;t&#xE9; &hyphen;</text>
</doc>
`;

describe('TREC SGML documents', () => {
  it('keeps DOCNO as id and the content elements as collapsed text', () => {
    const { table, warnings } = docs(NEWSWIRE);
    expect(tableRows(table)).toEqual([
      {
        id: 'FT911-3',
        text: 'FT 14 MAY 91 / International Company News: Contigas plans CONTIGAS, the German gas group & its parent, plans DM1.2bn investment. Second block.',
      },
      { id: 'LA010189-0001', text: 'lower-case tags <work> too été &hyphen;' },
    ]);
    expect(table.indexOf('LA010189-0001')).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('gives the same result whatever the chunking', () => {
    const whole = tableRows(docs(NEWSWIRE).table);
    for (const cut of [1, 5, 6, 20, 100, 200, 300, 400]) {
      expect(tableRows(docs(NEWSWIRE, { cuts: [cut, cut + 1, cut + 7] }).table)).toEqual(whole);
    }
  });

  it('takes everything but ids, headers, scripts and styles from web documents', () => {
    const web = `<DOC>
<DOCNO>WTX001-B01-1</DOCNO>
<DOCOLDNO>IA001-000000-B001-1</DOCOLDNO>
<DOCHDR>
http://www.example.com/ 1.2.3.4 19970101
Content-type: text/html
</DOCHDR>
<HTML><HEAD><TITLE>Home page</TITLE><SCRIPT>var x = 1;</SCRIPT></HEAD>
<BODY><H1>Welcome</H1> to <b>our</b> site</BODY></HTML>
</DOC>`;
    expect(tableRows(docs(web).table)).toEqual([{ id: 'WTX001-B01-1', text: 'Home page Welcome to our site' }]);
  });

  it('falls back to the whole document when it has no known content element', () => {
    expect(tableRows(docs('<DOC><DOCNO>d1</DOCNO><BODY2>some <X>text</X></BODY2></DOC>').table)).toEqual([{ id: 'd1', text: 'some text' }]);
  });

  it('reports an unclosed <DOC> at end of file with its line', () => {
    expectDataError(() => docs('<DOC>\n<DOCNO>a</DOCNO>\n</DOC>\n\n<DOC>\n<DOCNO>b</DOCNO>\n<TEXT>cut here'), {
      kind: 'format',
      line: 5,
      reason: /<DOC> opened here is never closed: the file ends inside it/,
    });
  });

  it('refuses nested, stray and missing tags and text between documents', () => {
    expectDataError(() => docs('<DOC><DOCNO>a</DOCNO>\n<DOC><DOCNO>b</DOCNO></DOC>'), { line: 2, reason: /<DOC> starts before the <DOC> of line 1 is closed/ });
    expectDataError(() => docs('<DOC><DOCNO>a</DOCNO></DOC>\n</DOC>'), { line: 2, reason: /<\/DOC> without an opening <DOC>/ });
    expectDataError(() => docs('<DOC><DOCNO>a</DOCNO></DOC>\nstray words\n<DOC><DOCNO>b</DOCNO></DOC>'), { line: 2, reason: /found text outside a <DOC>/ });
    expectDataError(() => docs('<DOC>\n<TEXT>no id</TEXT>\n</DOC>'), { line: 1, reason: /has no <DOCNO>/ });
    expectDataError(() => docs('<DOC><DOCNO> </DOCNO></DOC>'), { reason: /<DOCNO> is empty/ });
    expectDataError(() => docs('<DOC><DOCNO>a b</DOCNO></DOC>'), { reason: /contains whitespace/ });
  });

  it('says what a wrong file looks like, and that an empty one is empty', () => {
    expectDataError(() => docs('1 0 doc1 1\n'), { line: 1, reason: /this looks like a TREC qrels file/ });
    expectDataError(() => docs(''), { reason: /^file is empty$/ });
    expectDataError(() => docs('\n\n  \n'), { reason: /only blank lines/ });
  });

  it('skips bad documents when asked and keeps the first of a repeated DOCNO', () => {
    const { table, skipped, warnings } = docs('<DOC><TEXT>x</TEXT></DOC>\n<DOC><DOCNO>a</DOCNO>1</DOC>\n<DOC><DOCNO>a</DOCNO>2</DOC>', { skipBadLines: true });
    expect(tableRows(table)).toEqual([{ id: 'a', text: '1' }]);
    expect(skipped.count).toBe(1);
    expect(warnings[0]).toMatch(/line 3: DOCNO 'a' appeared before/);
  });

  it('has an incremental parser usable directly', () => {
    const p = new TrecSgmlDocsParser('x.sgml');
    p.push(utf8('<DOC><DOCNO>a</DOCNO><TEXT>hi</TEXT></DO'));
    expect(p.rows).toBe(0);
    p.push(utf8('C>'));
    expect(p.rows).toBe(1);
    expect(tableRows(p.finish().table)).toEqual([{ id: 'a', text: 'hi' }]);
  });
});

describe('markup helpers', () => {
  it('decodes the XML entities and numeric references, leaves others', () => {
    expect(decodeEntities('a &amp; b &LT; &#65;&#x42; &#0; &#xD800; &constructor; &bogus;')).toBe('a & b < AB &#0; &#xD800; &constructor; &bogus;');
  });

  it('strips tags and comments but not a lone less-than sign', () => {
    expect(markupToText('<P>a <!-- note --> b < c</P>\n\t d')).toBe('a b < c d');
  });
});

const TOPICS = `<top>
<num> Number: 301
<title> International Organized Crime

<desc> Description:
Identify organizations that participate in international criminal
activity.

<narr> Narrative:
A relevant document must as a minimum identify the organization.
</top>

<top>
<num> Number: 051 </num>
<dom> Domain: International Economics
<title> Topic: Airbus Subsidies </title>
<desc> Description: Document will discuss government assistance to Airbus.</desc>
</top>
`;

describe('TREC topics', () => {
  it('reads unclosed and closed fields, strips prefixes and leading zeros', () => {
    const { table } = topics(TOPICS);
    expect(table.size).toBe(2);
    expect([table.id(0), table.text(0)]).toEqual(['301', 'International Organized Crime']);
    expect(table.description(0)).toBe('Identify organizations that participate in international criminal activity.');
    expect(table.narrative(0)).toBe('A relevant document must as a minimum identify the organization.');
    expect([table.id(1), table.text(1), table.description(1), table.narrative(1)]).toEqual([
      '51',
      'Airbus Subsidies',
      'Document will discuss government assistance to Airbus.',
      '',
    ]);
    expect(table.indexOf('51')).toBe(1);
  });

  it('refuses a topic without a number or a title, and an unclosed <top>', () => {
    expectDataError(() => topics('<top>\n<title> t\n</top>'), { line: 1, reason: /topic has no <num>/ });
    expectDataError(() => topics('<top><num> Number: 7 <desc> d </top>'), { reason: /topic 7 has no <title>/ });
    expectDataError(() => topics('<top><num> Number: 7 7 <title> t </top>'), { reason: /number contains whitespace/ });
    expectDataError(() => topics('<top><num>1<title>a</top>\n<top>\n<num>2'), { line: 2, reason: /<top> opened here is never closed/ });
  });

  it('warns about a repeated topic number and keeps the first', () => {
    const { table, warnings } = topics('<top><num>1<title>a</top><top><num>1<title>b</top>');
    expect(tableRows(table)).toEqual([{ id: '1', text: 'a' }]);
    expect(warnings).toHaveLength(1);
  });
});
