// The course site's own script, served from _static by raycourse_site.
//
// sphinx-togglebutton names every toggle button "Toggle hidden content", so a
// screen reader's list of buttons reads the same name four times. Each button
// is renamed after the title it sits in ("Solution to Exercise 1.1 ..."). This
// runs after togglebutton.js has added its buttons: both wait for the DOM, and
// this script is loaded after it. myst-nb gives its hide-input <summary> the
// same name, which hides the visible "Show code cell source": the name is
// dropped so that the visible text names it.
"use strict";

function raycourseNameToggles() {
  for (const button of document.querySelectorAll(".admonition-title > button.toggle-button")) {
    const title = button.parentElement.cloneNode(true);
    title.querySelectorAll("button").forEach((el) => el.remove());
    const name = title.textContent.replace(/\s+/g, " ").trim();
    if (name) {
      button.setAttribute("aria-label", name);
    }
  }
  for (const summary of document.querySelectorAll('summary[aria-label="Toggle hidden content"]')) {
    if (summary.textContent.trim()) {
      summary.removeAttribute("aria-label");
    }
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", raycourseNameToggles);
} else {
  raycourseNameToggles();
}
