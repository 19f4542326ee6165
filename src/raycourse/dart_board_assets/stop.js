// Stop: pause, keeping the darts; Play resumes.
if (state.running) {
  state.run += 1;
  state.running = false;
  announce("Stopped. " + sizes.map((size, p) => summary(p)).join("; ") + ".");
}
