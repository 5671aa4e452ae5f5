// Checks that search.js splits and folds text into the words that the index has, on the
// cases of tests/fixtures/search-words.tsv (also read by the Rust unit tests). Prints JSON:
// {"cases": n, "wrong": [{"text", "want", "got"}]}.
// Usage: node search_words.cjs
const fs = require('fs');
const path = require('path');
const { words, foundKey } = require(path.join(__dirname, '../../static/search.js'));

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
// The status message for n results, by Arabic's rule for counted nouns (the cases of
// arabic_counts_by_the_last_two_digits in src/render/i18n.rs).
const found = [[0, 'none'], [1, 'one'], [2, 'two'], [3, 'few'], [10, 'few'], [11, 'many'],
  [99, 'many'], [100, 'other'], [101, 'other'], [102, 'other'], [103, 'few'], [111, 'many'],
  [1000, 'other']];
for (const [n, want] of found) {
  cases++;
  const got = foundKey(n);
  if (got !== want) wrong.push({ text: 'foundKey(' + n + ')', want, got });
}
console.log(JSON.stringify({ cases, wrong }));
