// Draws the page's Bokeh figures as they come near the viewport (raycourse_site.bokeh_assets).
//
// Each figure's embed script reaches the page inert (type="text/x-raycourse-bokeh-embed"),
// with the ids of the root <div> elements it draws into. This script watches the element
// around each root; when one comes within a viewport's height of the visible part of the
// page, it loads the BokehJS bundles named in its own data-bokehjs attribute (once, in
// order, from _static beside this file) and runs that figure's embed script. A figure in
// a collapsed solution is drawn when the solution is opened and the figure becomes
// visible. A reader who scrolls finds each figure drawn, and a page with twenty figures
// does not load and draw all of them before the reader can use it.
"use strict";

(function raycourseLazyBokeh() {
  const loader = document.currentScript;
  const bundles = (loader.dataset.bokehjs || "").split(/\s+/).filter(Boolean);
  const bundleUrls = bundles.map((name) => new URL(name, loader.src).href);
  // Ahead of the reader: figures within a viewport's height above or below the
  // visible part are drawn, so that normal scrolling never reaches an empty one.
  const AHEAD = "100% 0px 100% 0px";
  const EMBED_SELECTOR = 'script[type="text/x-raycourse-bokeh-embed"]';
  let bokehjsReady = null;

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`raycourse: could not load BokehJS from ${url}`));
      document.head.appendChild(script);
    });
  }

  // The bundles in order: each later bundle registers its models with the core.
  function loadBokehJS() {
    if (bokehjsReady === null) {
      bokehjsReady = bundleUrls.reduce(
        (ready, url) => ready.then(() => loadScript(url)),
        Promise.resolve(),
      );
    }
    return bokehjsReady;
  }

  // One figure per task: a page that comes into view with several figures stays
  // responsive between them instead of drawing them all in one long task.
  let queue = Promise.resolve();
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

  function run(embed) {
    if (embed.dataset.embedded) {
      return;
    }
    embed.dataset.embedded = "loading";
    queue = queue
      .then(loadBokehJS)
      .then(nextTask)
      .then(() => {
        const script = document.createElement("script");
        script.text = embed.text;
        embed.after(script);
        embed.dataset.embedded = "done";
      })
      .catch((error) => {
        embed.dataset.embedded = "failed";
        console.error(error);
      });
  }

  // The element to watch for one root: its parent, since the root <div> itself is
  // "display: contents" and so has no box of its own to intersect the viewport.
  function watchedElements(embed) {
    const ids = (embed.dataset.rootIds || "").split(/\s+/).filter(Boolean);
    const roots = ids.map((id) => document.querySelector(`[data-root-id="${CSS.escape(id)}"]`));
    if (roots.length === 0 || roots.some((root) => root === null || !root.parentElement)) {
      return null;
    }
    return roots.map((root) => root.parentElement);
  }

  function start() {
    const embedsOf = new Map();
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting || !embedsOf.has(entry.target)) {
            continue;
          }
          for (const embed of embedsOf.get(entry.target)) {
            run(embed);
          }
          embedsOf.delete(entry.target);
          observer.unobserve(entry.target);
        }
      },
      { rootMargin: AHEAD },
    );
    for (const embed of document.querySelectorAll(EMBED_SELECTOR)) {
      const elements = watchedElements(embed);
      if (elements === null) {
        // No root to watch (not a page this script knows): draw it now, as Bokeh would.
        run(embed);
        continue;
      }
      for (const element of elements) {
        if (!embedsOf.has(element)) {
          embedsOf.set(element, []);
          observer.observe(element);
        }
        embedsOf.get(element).push(embed);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
