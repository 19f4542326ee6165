// The darts' generator, in plain JavaScript (no Bokeh). Dart i of a round depends
// only on the panel's seed, the round and i: pausing and resuming never moves a
// dart, and tests/animation_reference.py computes the same darts in NumPy.
function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
function roundKey(seed, round) {
  return fmix32((seed + Math.imul(round, 0x9e3779b9)) >>> 0);
}
function coordinate(key, counter) {
  return (fmix32((key + Math.imul(counter, 0x9e3779b9)) >>> 0) / 4294967296) * 2 - 1;
}
function throwDarts(seed, round, start, stop) {
  const key = roundKey(seed, round);
  const inside = {x: [], y: []};
  const outside = {x: [], y: []};
  for (let i = start; i < stop; i++) {
    const x = coordinate(key, 2 * i);
    const y = coordinate(key, 2 * i + 1);
    const hit = x * x + y * y <= 1 ? inside : outside;
    hit.x.push(x);
    hit.y.push(y);
  }
  return {inside, outside};
}
