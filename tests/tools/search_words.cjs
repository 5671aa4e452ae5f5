// Checks that search.js splits and folds text into the words that the index has, on the
// cases of tests/fixtures/search-words.tsv (also read by the Rust unit tests). Prints JSON:
// {"cases": n, "wrong": [{"text", "want", "got"}]}.
// Usage: node search_words.cjs
const fs = require('fs');
const path = require('path');
const { words } = require(path.join(__dirname, '../../static/search.js'));

const file = path.join(__dirname, '../fixtures/search-words.tsv');
const wrong = [];
let cases = 0;
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
  if (!line || line.startsWith('#')) continue;
  const [text, want] = line.split('\t');
  const expected = want ? want.split(' ') : [];
  const got = words(text);
  cases++;
  if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push({ text, want: expected, got });
}
console.log(JSON.stringify({ cases, wrong }));
