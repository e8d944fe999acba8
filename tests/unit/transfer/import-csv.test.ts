import { describe, expect, it } from 'vitest';
import { csvColumns, ImportFormatError, parseCsv } from '../../../src/core/transfer';

const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as ImportFormatError;
  }
  throw new Error('expected the file to be refused');
};

describe('CSV import (RFC 4180)', () => {
  it('lists the header columns for the mapping', () => {
    expect(csvColumns('\uFEFFname,"the value",note\r\nA,1,x\r\n')).toEqual([
      'name',
      'the value',
      'note',
    ]);
  });

  it('maps the chosen columns; quoted fields hold commas, quotes and line breaks', () => {
    const text =
      'note,value,name\r\nx,"a,b",FIRST\r\ny,"say ""hi""",SECOND\r\nz,"multi\r\nline",THIRD\r\n\r\n';
    const parsed = parseCsv(text, { name: 2, value: 1, secret: true });
    expect(parsed.records.map((r) => [r.name, r.input, r.from])).toEqual([
      ['FIRST', { kind: 'secret', value: 'a,b' }, { line: 2, record: 1 }],
      ['SECOND', { kind: 'secret', value: 'say "hi"' }, { line: 3, record: 2 }],
      ['THIRD', { kind: 'secret', value: 'multi\r\nline' }, { line: 4, record: 3 }],
    ]);
  });

  it('reads LF files, keeps empty fields, imports items when not secret', () => {
    const parsed = parseCsv('n,v\nA,\nB,""\n', { name: 0, value: 1, secret: false });
    expect(parsed.records.map((r) => [r.name, r.input])).toEqual([
      ['A', { kind: 'item', value: '' }],
      ['B', { kind: 'item', value: '' }],
    ]);
  });

  it.each([
    ['a quote never closed', 'n,v\nA,"CANARY-x\nB,2\n', 2, 'never closed'],
    ['text after a closing quote', 'n,v\nA,"CANARY-x"y\n', 2, 'after the closing quote'],
    ['a quote inside an unquoted field', 'n,v\nA,CAN"ARY\n', 2, 'does not start with one'],
    ['a row of another width', 'n,v\nA,1\nB,CANARY,3\n', 3, 'has 3 fields'],
    ['binary junk', '\0\x01\x02,CANARY', 1, 'binary'],
  ])('refuses %s with its line', (_, text, line, words) => {
    const error = failure(() => parseCsv(text, { name: 0, value: 1, secret: true }));
    expect(error).toBeInstanceOf(ImportFormatError);
    expect(error.from.line).toBe(line);
    expect(error.message).toContain(words);
    expect(error.message).not.toContain('CANARY');
  });

  it('refuses a mapping outside the header, the same column twice, and an empty file', () => {
    expect(failure(() => parseCsv('a,b\n', { name: 0, value: 2, secret: true })).message).toContain(
      'column 3',
    );
    expect(failure(() => parseCsv('a,b\n', { name: 1, value: 1, secret: true })).message).toContain(
      'two different columns',
    );
    expect(failure(() => csvColumns('')).message).toContain('empty');
  });
});
