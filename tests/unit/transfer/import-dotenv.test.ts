import { describe, expect, it } from 'vitest';
import { ImportFormatError } from '../../../src/core/transfer';
import { parseDotenv } from '../../../src/core/transfer/import/dotenv';

const values = (text: string) =>
  Object.fromEntries(parseDotenv(text).records.map((r) => [r.name, r.input.value]));

const failure = (text: string) => {
  try {
    parseDotenv(text);
  } catch (error) {
    return error as ImportFormatError;
  }
  throw new Error('expected the file to be refused');
};

describe('parseDotenv: the rules of dotenv', () => {
  it('reads the basics: KEY=value, blank lines, comments, export, colon, trimming', () => {
    const text = [
      'BASIC=basic',
      '',
      '# a comment',
      'export EXPORTED=yes',
      '   SPACED_KEY = parsed  ',
      'COLON: value',
      'EMPTY=',
      'EQUAL_SIGNS=equals==',
      'RETAIN_INNER_QUOTES={"foo": "bar"}',
      'dotted.name-1=x',
    ].join('\n');
    expect(values(text)).toEqual({
      BASIC: 'basic',
      EXPORTED: 'yes',
      SPACED_KEY: 'parsed',
      COLON: 'value',
      EMPTY: '',
      EQUAL_SIGNS: 'equals==',
      RETAIN_INNER_QUOTES: '{"foo": "bar"}',
      'dotted.name-1': 'x',
    });
  });

  it('keeps quoted values as dotenv does: whitespace kept, only double quotes expand \\n', () => {
    const text = [
      "SINGLE='  single  '",
      'DOUBLE="  double  "',
      'BACKTICK=`a "b" \'c\'`',
      'EXPAND="expand\\nnew\\rlines"',
      "NO_EXPAND='keep\\nthis'",
      'UNQUOTED=keep\\nthis',
      'ESCAPED_QUOTE="say \\"hi\\""',
      "EMPTY_SINGLE=''",
    ].join('\n');
    expect(values(text)).toEqual({
      SINGLE: '  single  ',
      DOUBLE: '  double  ',
      BACKTICK: 'a "b" \'c\'',
      EXPAND: 'expand\nnew\rlines',
      NO_EXPAND: 'keep\\nthis',
      UNQUOTED: 'keep\\nthis',
      ESCAPED_QUOTE: 'say \\"hi\\"',
      EMPTY_SINGLE: '',
    });
  });

  it('reads multi-line quoted values and counts lines across them (CRLF too)', () => {
    const parsed = parseDotenv('A="one\r\ntwo\r\nthree"\r\nB=after\r\nC=`x\ny`\n');
    expect(parsed.records.map((r) => [r.name, r.input.value, r.from.line])).toEqual([
      ['A', 'one\ntwo\nthree', 1],
      ['B', 'after', 4],
      ['C', 'x\ny', 5],
    ]);
  });

  it('treats # after an unquoted value as a comment, and warns when no space came before it', () => {
    const parsed = parseDotenv('A=value # comment\nB=pass#word\nC="in#quotes" # c\n');
    expect(parsed.records.map((r) => r.input.value)).toEqual(['value', 'pass', 'in#quotes']);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]!.from).toEqual({ line: 2 });
    expect(parsed.warnings[0]!.message).not.toContain('word');
  });

  it('a duplicate key: the later value wins, with a warning naming both lines', () => {
    const parsed = parseDotenv('A=first\nB=b\nA=second\n');
    expect(parsed.records.map((r) => [r.name, r.input.value])).toEqual([
      ['B', 'b'],
      ['A', 'second'],
    ]);
    expect(parsed.warnings[0]!.message).toContain('line 1');
    expect(parsed.warnings[0]!.message).toContain('line 3');
    expect(parsed.warnings[0]!.message).not.toContain('first');
  });

  it('imports values as secrets by default, as items when asked', () => {
    expect(parseDotenv('A=1').records[0]!.input).toEqual({ kind: 'secret', value: '1' });
    expect(parseDotenv('A=1', { kind: 'item' }).records[0]!.input).toEqual({
      kind: 'item',
      value: '1',
    });
  });

  it('drops a byte order mark', () => {
    expect(values('\uFEFFA=1')).toEqual({ A: '1' });
  });
});

describe('parseDotenv: refusals say the line and never the value', () => {
  const secret = 'CANARY-dotenv-9d3';
  it.each([
    ['an unterminated double quote', `A=1\nB="${secret}\nC=3\n`, 2, 'never closed'],
    ['an unterminated single quote', `A='${secret}`, 1, 'never closed'],
    ['text after a closing quote', `A=1\nB="${secret}" tail`, 2, 'after the closing quote'],
    ['a line without =', `A=1\n\nJUST_A_WORD ${secret}`, 3, 'not KEY=value'],
    ['a line starting with =', `=${secret}`, 1, 'not KEY=value'],
    ['a colon without a space', `A:${secret}`, 1, 'space after the colon'],
    ['binary junk', `A=1\0\x01\x02${secret}`, 1, 'binary'],
  ])('%s', (_, text, line, words) => {
    const error = failure(text);
    expect(error).toBeInstanceOf(ImportFormatError);
    expect(error.code).toBe('import-invalid');
    expect(error.from.line).toBe(line);
    expect(error.message).toContain(words);
    expect(error.message).toContain(`line ${line}`);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(secret);
  });
});
