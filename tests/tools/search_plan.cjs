// Checks planRanges of search.js (the range requests of a search's CSV) on a table of cases,
// then on random pieces: at most `max` sorted, disjoint ranges inside the file that hold every
// piece, and the whole file exactly when the ranges would hold more than the fraction of it.
// Prints JSON: {"cases": n, "wrong": [{"case", "want", "got"}]}.
// Usage: node search_plan.cjs
const path = require('path');
const { planRanges } = require(path.join(__dirname, '../../static/search.js'));

const wrong = [];
let cases = 0;
function check(name, got, want) {
  cases++;
  if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push({ case: name, want, got });
}

// [name, wanted, size, max, fraction, want, gap]
const table = [
  ['one piece', [[0, 10]], 1000, 16, 0.5, [[0, 10]]],
  ['adjacent pieces joined, in any order', [[20, 30], [0, 10], [10, 20]], 1000, 16, 0.5, [[0, 30]]],
  ['apart, under the cap', [[0, 10], [100, 110], [50, 60]], 1000, 16, 0.5,
    [[0, 10], [50, 60], [100, 110]]],
  ['the smallest gap closed first', [[0, 10], [12, 20], [50, 60], [95, 100]], 1000, 3, 0.5,
    [[0, 20], [50, 60], [95, 100]]],
  ['two gaps closed, the widest kept', [[0, 10], [12, 20], [50, 60], [95, 100]], 1000, 2, 0.5,
    [[0, 60], [95, 100]]],
  ['equal gaps: the later ones closed', [[0, 1], [2, 3], [4, 5], [6, 7]], 1000, 2, 0.5,
    [[0, 1], [2, 7]]],
  ['one request', [[0, 10], [40, 50], [90, 100]], 1000, 1, 0.5, [[0, 100]]],
  ['over half the file: the whole file', [[0, 10], [400, 520], [990, 1000]], 1000, 2, 0.5,
    [[0, 1000]]],
  ['exactly half is not over', [[0, 250], [750, 1000]], 1000, 16, 0.5, [[0, 250], [750, 1000]]],
  ['size unknown: never the whole file', [[0, 10], [400, 520], [990, 1000]], 0, 2, 0.5,
    [[0, 520], [990, 1000]]],
  ['the input is left as it was', [[5, 6], [1, 2]], 100, 16, 0.5, [[1, 2], [5, 6]]],
  ['gaps under `gap` joined, wider ones kept', [[0, 10], [14, 20], [40, 50]], 1000, 16, 0.5,
    [[0, 20], [40, 50]], 5],
  ['a gap of exactly `gap` joined', [[0, 10], [15, 20]], 1000, 16, 0.5, [[0, 20]], 5],
  ['gaps joined, then the cap', [[0, 10], [12, 20], [50, 60], [95, 100]], 1000, 2, 0.5,
    [[0, 60], [95, 100]], 3],
];
for (const [name, wanted, size, max, fraction, want, gap] of table) {
  const before = JSON.stringify(wanted);
  check(name, planRanges(wanted, size, max, fraction, gap), want);
  if (JSON.stringify(wanted) !== before) wrong.push({ case: name + ' (input changed)', want: before, got: wanted });
}

// Random files of rows, random subsets: the properties.
let seed = 1;
function rand(n) {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
}
for (let t = 0; t < 300; t++) {
  const rows = [];
  let at = 3 + rand(50);
  const header = at;
  const n = 1 + rand(3000);
  for (let i = 0; i < n; i++) {
    const len = 1 + rand(900);
    rows.push([at, at + len]);
    at += len;
  }
  const size = at;
  const share = rand(1000) / 1000;
  const wanted = [[0, header]].concat(rows.filter(() => rand(1000) / 1000 < share * share));
  const max = 1 + rand(20);
  const gap = rand(3) * 500;
  const got = planRanges(wanted, size, max, 0.5, gap);
  const name = `random ${t}: ${wanted.length} pieces, max ${max}`;
  const bytes = got.reduce((s, r) => s + r[1] - r[0], 0);
  const sorted = got.every((r, i) => r[0] < r[1] && (i === 0 || got[i - 1][1] < r[0]));
  const inside = got.every((r) => r[0] >= 0 && r[1] <= size);
  const covered = wanted.every((p) => got.some((r) => r[0] <= p[0] && p[1] <= r[1]));
  const whole = got.length === 1 && got[0][0] === 0 && got[0][1] === size;
  const planned = planRanges(wanted, 0, max, 0.5, gap);
  const plannedBytes = planned.reduce((s, r) => s + r[1] - r[0], 0);
  cases++;
  if (got.length > max || !sorted || !inside || !covered || whole !== (plannedBytes > size / 2) ||
      (!whole && bytes !== plannedBytes)) {
    wrong.push({ case: name, want: 'properties', got: { ranges: got.length, sorted, inside, covered, whole } });
  }
}
console.log(JSON.stringify({ cases, wrong }));
