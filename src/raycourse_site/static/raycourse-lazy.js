// Typesets a page's math and draws its Bokeh figures as they come near the viewport
// (raycourse_site.page_head writes this script into pages that have either).
//
// The page is shown first: nothing here starts before the browser's load event. Then
// each formula (class "math") and each figure that comes within a viewport's height of
// the visible part of the page is made: MathJax (data-mathjax) and the BokehJS bundles
// (data-bokehjs) are loaded the first time they are needed, once and in order. A
// figure's embed script arrives inert (type="text/x-raycourse-bokeh-embed", data-root-ids
// naming the <div> elements it draws into) and runs here. Math or a figure in a collapsed
// solution is made when the solution is opened. Each batch of formulas and each figure is
// a task of its own, so the page answers a reader's scroll or click between them.
"use strict";

(function raycourseLazy() {
  const loader = document.currentScript;
  const names = (attribute) => (attribute || "").split(/\s+/).filter(Boolean);
  const urls = (attribute) => names(attribute).map((name) => new URL(name, loader.src).href);
  const mathjaxUrls = urls(loader.dataset.mathjax);
  const bokehjsUrls = urls(loader.dataset.bokehjs);
  // Figures within a viewport's height of the visible part are drawn ahead of the reader.
  const AHEAD = "100% 0px 100% 0px";

  const pause = () => new Promise((resolve) => setTimeout(resolve, 0));
  // The figures are drawn one after another, each in a task of its own.
  let figures = Promise.resolve();

  const scripts = new Map();
  // The scripts in order, each once: a later bundle registers its models with the core.
  function load(list) {
    return list.reduce((ready, url) => {
      if (!scripts.has(url)) {
        scripts.set(url, ready.then(() => new Promise((resolve, reject) => {
          const script = document.createElement("script");
          script.src = url;
          script.onload = resolve;
          script.onerror = () => reject(new Error(`raycourse: could not load ${url}`));
          document.head.appendChild(script);
        })));
      }
      return scripts.get(url);
    }, Promise.resolve());
  }

  // The math is typeset as it comes near the viewport: each batch in a task of its own.
  let math = null;
  function typeset(elements) {
    if (math === null) {
      window.MathJax = window.MathJax || {};
      MathJax.startup = { ...MathJax.startup, typeset: false };
      math = load(mathjaxUrls).then(() => MathJax.startup.promise);
    }
    math = math
      .then(pause)
      .then(() => MathJax.typesetPromise(elements))
      .catch((error) => console.error(error));
  }

  function watch(elements, onNear) {
    const observer = new IntersectionObserver((entries) => {
      const near = entries.filter((entry) => entry.isIntersecting).map((entry) => entry.target);
      near.forEach((element) => observer.unobserve(element));
      if (near.length) {
        onNear(near);
      }
    }, { rootMargin: AHEAD });
    elements.forEach((element) => observer.observe(element));
  }

  function draw(embed) {
    if (embed.dataset.embedded) {
      return;
    }
    embed.dataset.embedded = "loading";
    figures = figures
      .then(() => load(bokehjsUrls))
      .then(pause)
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

  // The root <div> is "display: contents" (no box of its own): its parent is watched.
  function watched(embed) {
    const roots = names(embed.dataset.rootIds).map(
      (id) => document.querySelector(`[data-root-id="${CSS.escape(id)}"]`),
    );
    return roots.length && roots.every((root) => root && root.parentElement)
      ? roots.map((root) => root.parentElement)
      : null;
  }

  function drawFiguresInView() {
    const embedsOf = new Map();
    for (const embed of document.querySelectorAll('script[type="text/x-raycourse-bokeh-embed"]')) {
      const elements = watched(embed);
      if (elements === null) {
        draw(embed); // no root to watch: draw it now, as Bokeh would
        continue;
      }
      for (const element of elements) {
        embedsOf.set(element, [...(embedsOf.get(element) || []), embed]);
      }
    }
    watch([...embedsOf.keys()], (near) => near.forEach((element) => embedsOf.get(element).forEach(draw)));
  }

  function start() {
    if (mathjaxUrls.length) {
      watch([...document.querySelectorAll(".math")], typeset);
    }
    if (bokehjsUrls.length) {
      drawFiguresInView();
    }
  }

  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
