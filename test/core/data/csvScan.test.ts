import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstInvalidUtf8, scanRecords } from '../../../src/core/data/csvScan';

const comma = { delimiter: 0x2c, trim: false };
const scan = (text: string | Buffer, final = true, options = comma) => scanRecords(typeof text === 'string' ? Buffer.from(text) : text, final, options, 1);
const fields = (text: string, options = comma) => scan(text, true, options).records.map((r) => r.fields);

describe('scanRecords', () => {
  it('splits plain records on LF, CRLF and bare CR', () => {
    assert.deepEqual(fields('a,b\n1,2\r\n3,4\r5,6'), [
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    assert.deepEqual(fields(',a,,\n'), [['', 'a', '', '']]);
  });

  it('reads quoted fields with delimiters, line breaks and doubled quotes', () => {
    assert.deepEqual(fields('"a,b","line1\nline2","say ""hi""",""\n'), [['a,b', 'line1\nline2', 'say "hi"', '']]);
  });

  it('keeps a quote inside an unquoted field as text', () => {
    assert.deepEqual(fields('5\'10",x\n'), [['5\'10"', 'x']]);
  });

  it('numbers the line each record starts on, counting line breaks inside quotes', () => {
    const { records } = scan('h\n"a\nb"\n\nc\r\nd\n');
    assert.deepEqual(
      records.map((r) => [r.fields[0], r.line]),
      [
        ['h', 1],
        ['a\nb', 2],
        ['c', 5],
        ['d', 6],
      ],
    );
  });

  it('gives the raw byte range of each record without its line ending', () => {
    const bytes = Buffer.from('ab,c\r\nd,e\n');
    const { records } = scanRecords(bytes, true, comma, 1);
    assert.deepEqual(
      records.map((r) => bytes.toString('latin1', r.start, r.end)),
      ['ab,c', 'd,e'],
    );
  });

  it('uses another delimiter', () => {
    assert.deepEqual(fields('a;b,c\n"x;y";z\n', { delimiter: 0x3b, trim: false }), [
      ['a', 'b,c'],
      ['x;y', 'z'],
    ]);
    assert.deepEqual(fields('a\t b\n', { delimiter: 0x09, trim: true }), [['a', 'b']]);
  });

  it('trims spaces around unquoted fields and around quotes when asked', () => {
    assert.deepEqual(fields(' 39 , State-gov,  ? , " x " \n', { delimiter: 0x2c, trim: true }), [['39', 'State-gov', '?', ' x ']]);
  });

  it('decodes UTF-8 in chunks that are not ASCII', () => {
    assert.deepEqual(fields('café,"naïve, ok",日本\n'), [['café', 'naïve, ok', '日本']]);
  });

  it('stops before an incomplete record unless the input is final', () => {
    const partial = scan('a,b\n1,"2\n3', false);
    assert.deepEqual(
      partial.records.map((r) => r.fields),
      [['a', 'b']],
    );
    assert.equal(partial.consumed, 4);
    assert.equal(partial.line, 2);
    const unquoted = scan('a,b\n1,2', false);
    assert.equal(unquoted.consumed, 4);
    // A CR at the very end may be the first half of CRLF.
    assert.equal(scan('a,b\r', false).consumed, 0);
    // A quote at the very end may be the first half of a doubled quote.
    assert.equal(scan('"a""', false).consumed, 0);
  });

  it('reports text after a closing quote', () => {
    const { records } = scan('"a"b,c\nx,y\n');
    assert.match(records[0].problem!, /text after the closing quote of field 1/);
    assert.equal(records[1].problem, undefined);
  });

  it('reports an unterminated quote at the end with the line it opened on', () => {
    const { records } = scan('a,b\n1,"open\n2,3\n4,5\n');
    assert.equal(records.length, 2);
    assert.equal(records[1].line, 2);
    assert.match(records[1].problem!, /unterminated quote: the quote that opens field 2 on line 2 is never closed/);
    assert.match(records[1].problem!, /rest of the file \(3 lines\)/);
  });

  it('reports invalid UTF-8 with the field and byte', () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n1,caf'), Buffer.from([0xe9]), Buffer.from('\n2,ok\n')]);
    const { records } = scanRecords(bytes, true, comma, 1);
    assert.equal(records[0].problem, undefined);
    assert.match(records[1].problem!, /invalid UTF-8 byte 0xE9 in field 2 \(byte 6 of the row\)/);
    assert.equal(records[2].problem, undefined);
  });
});

describe('firstInvalidUtf8', () => {
  it('finds the first bad byte and passes valid text', () => {
    const valid = Buffer.from('aé日😀');
    assert.equal(firstInvalidUtf8(valid, 0, valid.length), valid.length);
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xc3, 0x28]), 0, 3), 1);
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xff]), 0, 2), 1);
    assert.equal(firstInvalidUtf8(Buffer.from([0xe6, 0x97]), 0, 2), 0);
  });
});
