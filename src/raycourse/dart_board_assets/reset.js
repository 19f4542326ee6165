// Reset: stop and empty the panels for fresh darts.
state.run += 1;
state.running = false;
clearBoard();
announce("Cleared. Press Play to throw fresh darts.");
