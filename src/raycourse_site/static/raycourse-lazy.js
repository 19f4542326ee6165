// Typesets a page's math and draws its Bokeh figures as they come near the viewport
// (raycourse_site.page_head writes this script into pages that have either).
//
// The page is shown first: nothing here starts before the browser's load event. Then
// each formula (class "math") and each figure that comes within a viewport's height of
// the visible part of the page is made: MathJax (data-mathjax, its startup.js, which
// loads the components in data-mathjax-components) and the BokehJS bundles
// (data-bokehjs) are loaded the first time they are needed, once and in order. A
// figure's embed script arrives inert (type="text/x-raycourse-bokeh-embed", data-root-ids
// naming the <div> elements it draws into) and runs here. Math or a figure in a collapsed
// solution is made when the solution is opened. Each batch of formulas and each figure is
// a task of its own, so the page answers a reader's scroll or click between them.
//
// A layout with a first frame (class "raycourse-first-frame", drawn at build time from the
// same document: the dart board before Play) is shown as that frame until the reader
// reaches for it: points at it, touches it, moves the focus into it or clicks it. Then it
// is drawn out of sight and put in the frame's place at once, the focus and any click on
// a frame's button passed on to the live button. Once BokehJS is loaded for another
// figure, a frame near the viewport is made live too.
"use strict";

(function raycourseLazy() {
  const loader = document.currentScript;
  const names = (attribute) => (attribute || "").split(/\s+/).filter(Boolean);
  const urls = (attribute) => names(attribute).map((name) => new URL(name, loader.src).href);
  const mathjaxUrls = urls(loader.dataset.mathjax);
  // MathJax's own loader fetches these components (from the folder of its startup.js).
  const mathjaxComponents = names(loader.dataset.mathjaxComponents);
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
      MathJax.loader = { ...MathJax.loader, load: mathjaxComponents };
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

  const FRAME = "raycourse-first-frame";
  let bokehjsLoaded = false;
  const nearFrames = new Set(); // embeds with first frames that are near the viewport
  const clicks = new Map(); // embed -> indices of the frame buttons clicked before it was live

  const rootsOf = (embed) => names(embed.dataset.rootIds).map(
    (id) => document.querySelector(`[data-root-id="${CSS.escape(id)}"]`),
  );
  const framesOf = (embed) => names(embed.dataset.rootIds)
    .map((id) => document.querySelector(`.${FRAME}[data-root-id-of="${CSS.escape(id)}"]`))
    .filter(Boolean);

  // The live buttons under an element, in order, through Bokeh's shadow roots.
  function liveButtons(element) {
    const found = [];
    (function walk(node) {
      for (const child of node.children) {
        if (child.tagName === "BUTTON") {
          found.push(child);
        }
        if (child.shadowRoot) {
          walk(child.shadowRoot);
        }
        walk(child);
      }
    })(element);
    return found;
  }

  // Resolves once BokehJS has drawn every root of the document holding these roots.
  function drawn(ids) {
    return new Promise((resolve) => {
      (function check() {
        const documents = (window.Bokeh && Bokeh.documents) || [];
        const doc = documents.find((d) => d.roots().some((root) => ids.includes(root.id)));
        if (doc && doc.is_idle) {
          resolve();
        } else {
          setTimeout(check, 20);
        }
      })();
    });
  }

  // The live layout takes the frame's place in one step: no shift, no blank in between.
  function replaceFrames(embed, frames, roots) {
    const frameButtons = frames.flatMap((frame) => [...frame.querySelectorAll("button")]);
    const focused = frameButtons.indexOf(document.activeElement);
    frames.forEach((frame) => frame.remove());
    roots.forEach((root) => root.style.cssText = "display: contents;");
    const buttons = roots.flatMap(liveButtons);
    if (focused >= 0 && buttons[focused]) {
      buttons[focused].focus();
    }
    (clicks.get(embed) || []).forEach((index) => buttons[index] && buttons[index].click());
  }

  function draw(embed) {
    if (embed.dataset.embedded) {
      return;
    }
    embed.dataset.embedded = "loading";
    const frames = framesOf(embed);
    const roots = rootsOf(embed);
    figures = figures
      .then(() => load(bokehjsUrls))
      .then(() => { bokehjsLoaded = true; })
      .then(pause)
      .then(() => {
        if (frames.length) {
          // Drawn out of sight over its frame, which keeps its place meanwhile.
          roots.forEach((root) => {
            root.style.cssText = "position: absolute; top: 0; left: 0; visibility: hidden;";
          });
        }
        const script = document.createElement("script");
        script.text = embed.text;
        embed.after(script);
        const done = () => { embed.dataset.embedded = "done"; };
        if (frames.length) {
          // The next figure need not wait: this one is "done" once it has replaced its frame.
          drawn(names(embed.dataset.rootIds))
            .then(() => replaceFrames(embed, frames, roots))
            .then(done);
        } else {
          done();
        }
        drawNearFrames();
      })
      .catch((error) => {
        embed.dataset.embedded = "failed";
        console.error(error);
      });
  }

  function drawNearFrames() {
    if (bokehjsLoaded) {
      nearFrames.forEach(draw);
    }
  }

  // A frame becomes live when the reader reaches for it, or near the viewport once
  // BokehJS is loaded anyway.
  function awaitReader(embed, frames) {
    const reach = () => draw(embed);
    for (const frame of frames) {
      for (const type of ["pointerover", "touchstart", "focusin"]) {
        frame.addEventListener(type, reach, { once: true, passive: true });
      }
      frame.addEventListener("click", (event) => {
        const button = event.target.closest("button");
        const index = [...frame.querySelectorAll("button")].indexOf(button);
        if (index >= 0) {
          clicks.set(embed, [...(clicks.get(embed) || []), index]);
        }
        reach();
      });
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        nearFrames.add(embed);
      } else {
        nearFrames.delete(embed);
      }
      drawNearFrames();
    }, { rootMargin: AHEAD });
    frames.forEach((frame) => observer.observe(frame));
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
      const frames = framesOf(embed);
      if (frames.length) {
        awaitReader(embed, frames);
        continue;
      }
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
