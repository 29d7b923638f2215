import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

test('view welcome texts have no Markdown code spans: VS Code renders only links there, a backtick shows as it is', () => {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: { viewsWelcome: { view: string; contents: string }[] };
  };
  for (const w of manifest.contributes.viewsWelcome) assert.doesNotMatch(w.contents, /`/, `${w.view}: ${w.contents}`);
});
