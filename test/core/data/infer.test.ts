import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingTest } from '../../../src/core/data/cells';
import type { CsvRecord } from '../../../src/core/data/csv';
import { finalTypes, widenTypes, type RunningTypes } from '../../../src/core/data/infer';

const records = (...rows: string[][]): CsvRecord[] => rows.map((fields, i) => ({ fields, row: i + 1, line: i + 2, start: 0, end: 0 }));

describe('type inference', () => {
  it('infers per column, ignoring missing cells, across batches', () => {
    const types: RunningTypes = new Array(6).fill(undefined);
    const isMissing = missingTest(['?', 'NA']);
    const fieldOf = [0, 1, 2, 3, 4, 5];
    widenTypes(types, records(['1', '1', 'true', 'x', '', '?'], ['2', '?', 'False', '3', 'NA', '']), fieldOf, isMissing);
    assert.deepEqual(types, ['int', 'int', 'bool', 'string', undefined, undefined]);
    widenTypes(types, records(['3', '2.5', 'TRUE', 'y', '', '?']), fieldOf, isMissing);
    assert.deepEqual(types, ['int', 'float', 'bool', 'string', undefined, undefined]);
    widenTypes(types, records(['x', '1e3', '1', 'z', '', '7']), fieldOf, isMissing);
    assert.deepEqual(finalTypes(types), ['string', 'float', 'string', 'string', 'string', 'int']);
  });

  it('maps columns to fields and skips columns a file lacks', () => {
    const types: RunningTypes = [undefined, undefined, 'int'];
    widenTypes(types, records(['a', '1.5']), [1, 0, -1], missingTest([]));
    assert.deepEqual(types, ['float', 'string', 'int']);
  });
});
