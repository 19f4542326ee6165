// Board helpers shared by the three callbacks. Arguments: sizes, seeds, inside,
// outside, labels (one per panel), play, status and rate (darts per second).
// The state lives on the Play button's model, so all three callbacks share it.
const state = play.raycourse_state ||
  (play.raycourse_state = {run: 0, round: 0, running: false, announced: []});
const grouped = (n) => n.toLocaleString("en-US");
function thrown(p) {
  return inside[p].data.x.length + outside[p].data.x.length;
}
function describe(p) {
  const n = thrown(p);
  let estimate = "—";
  let error = "—";
  if (n > 0) {
    const value = (4 * inside[p].data.x.length) / n;
    estimate = value.toFixed(4);
    error = (value >= Math.PI ? "+" : "−") + Math.abs(value - Math.PI).toFixed(4);
  }
  return `<span class="raycourse-pi">π ≈ ${estimate}</span> ` +
    `<span class="raycourse-error">(error ${error})</span><br>` +
    `<span class="raycourse-count">${grouped(n)} of ${grouped(sizes[p])} darts</span>`;
}
function summary(p) {
  const n = thrown(p);
  if (n === 0) return `${grouped(sizes[p])} darts: none thrown`;
  const value = (4 * inside[p].data.x.length) / n;
  return `${grouped(sizes[p])} darts: pi is about ${value.toFixed(4)} after ${grouped(n)}`;
}
// Speak through the status line. Its text is set in the page, not on the Bokeh
// model: a model change re-renders the Div, and a live region that is replaced
// instead of updated is not reliably read out.
function announce(message) {
  state.announced.push(message);
  const view = typeof Bokeh === "undefined" ? null : Bokeh.index.find_one(status);
  const region = view && view.shadow_el ? view.shadow_el.querySelector("[role=status]") : null;
  if (region !== null) region.textContent = message;
}
function clearBoard() {
  state.round += 1;  // the next run throws a fresh set of darts
  for (let p = 0; p < sizes.length; p++) {
    inside[p].data = {x: [], y: []};
    outside[p].data = {x: [], y: []};
    labels[p].text = describe(p);
  }
}
