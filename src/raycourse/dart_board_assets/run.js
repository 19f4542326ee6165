// Play: throw darts, a batch per animation frame, every panel at the same rate.
if (state.running) {
  return;  // already throwing: Play stays enabled, so focus never falls to the page
}
if (sizes.every((size, p) => thrown(p) >= size)) {
  clearBoard();  // Play after a finished run starts again
}
const run = ++state.run;  // Stop and Reset bump state.run, which ends this loop
state.running = true;
announce("Throwing darts.");
const before = sizes.map((size, p) => thrown(p));
let startTime = null;
function frame(now) {
  if (state.run !== run) {
    return;
  }
  if (startTime === null) {
    startTime = now;
  }
  // Every panel throws at the same rate: ten times the darts take ten times as long.
  const due = Math.floor((rate * (now - startTime)) / 1000);
  let unfinished = 0;
  const finished = [];
  for (let p = 0; p < sizes.length; p++) {
    const target = Math.min(sizes[p], before[p] + due);
    const n = thrown(p);
    if (target > n) {
      const darts = throwDarts(seeds[p], state.round, n, target);
      if (darts.inside.x.length > 0) inside[p].stream(darts.inside);
      if (darts.outside.x.length > 0) outside[p].stream(darts.outside);
      labels[p].text = describe(p);
      if (target === sizes[p]) finished.push(p);
    }
    if (target < sizes[p]) unfinished += 1;
  }
  if (unfinished > 0) {
    // Once per panel, not per frame: a screen reader hears each final estimate.
    if (finished.length > 0) announce(finished.map(summary).join("; ") + ".");
    requestAnimationFrame(frame);
  } else {
    state.running = false;
    announce("Finished. " + sizes.map((size, p) => summary(p)).join("; ") + ".");
  }
}
requestAnimationFrame(frame);
