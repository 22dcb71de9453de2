// Present mode (lib/site/slides.tsx): starts reveal.js with the deck's configuration, draws each plotly figure at the
// size its slide leaves it when the slide is first shown (every figure at once for the ?print-pdf handout), and
// shrinks a table or formula wider than the slide instead of letting it scroll. Sets `data-drawn` on each drawn
// figure and `deckReady` on the window when the deck is ready, for the browser tests. The language switch
// (assets/lang.js, lib/site/bilingual.tsx) works here as on the pages; L steps through its choices.
(() => {
  "use strict";
  const { Reveal, RevealNotes } = globalThis;
  const config = JSON.parse(document.getElementById("deck-config").textContent);
  const printing = /print-pdf/i.test(globalThis.location.search);
  const lang = globalThis.PaperLang;

  function fitWidth(slide) {
    slide.querySelectorAll(".fit, .math-display").forEach((box) => {
      const inner = box.classList.contains("fit") ? box.firstElementChild : box.querySelector(".katex-display");
      if (!inner) return;
      inner.style.zoom = "";
      const wide = inner.scrollWidth;
      const room = box.clientWidth;
      if (room > 0 && wide > room + 1) inner.style.zoom = String(Math.floor((room / wide) * 1000) / 1000);
    });
  }

  function draw(slide) {
    if (!slide) return;
    fitWidth(slide);
    const Plotly = globalThis.Plotly;
    if (typeof Plotly === "undefined") {
      if (slide.querySelector(".deck-figure")) console.error("plotly.js did not load: assets/plotly.min.js is missing");
      return;
    }
    slide.querySelectorAll(".deck-figure").forEach((el) => {
      if (el.dataset.drawing) return;
      const width = el.clientWidth;
      const height = el.clientHeight;
      if (!width || !height) return; // not laid out yet: drawn when its slide shows
      el.dataset.drawing = "true";
      const spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
      const layout = Object.assign({}, spec.layout || {});
      // Sized to the slide, with type large enough for the back of the room.
      layout.width = width;
      layout.height = height;
      layout.autosize = false;
      layout.font = Object.assign({ size: 18 }, layout.font || {});
      if (layout.title && typeof layout.title === "object") {
        layout.title = Object.assign({}, layout.title, { font: Object.assign({ size: 22 }, layout.title.font || {}) });
      }
      const options = Object.assign({ responsive: false, displaylogo: false }, spec.config || {});
      // A bilingual title shows the reader's language (assets/lang.js) and follows the switch.
      const titles = lang ? lang.titlesOf(layout) : {};
      Plotly.newPlot(el, spec.data, layout, options).then(() => {
        if (Object.keys(titles).length) {
          el.paperTitles = titles;
          return Plotly.relayout(el, lang.localTitles(titles));
        }
      }).then(() => {
        if (spec.frames && spec.frames.length) return Plotly.addFrames(el, spec.frames);
      }).then(() => {
        el.dataset.drawn = "true";
      }, (e) => {
        console.error("plotly figure " + el.id + ": " + e);
      });
    });
  }

  function drawAround(slide) {
    draw(slide);
    // The next slide too, so that stepping onto a figure shows it at once.
    const next = slide && slide.nextElementSibling;
    if (next) draw(next);
  }

  Reveal.initialize(Object.assign({}, config, { plugins: [RevealNotes] })).then(() => {
    if (printing) return;
    drawAround(Reveal.getCurrentSlide());
    globalThis.deckReady = true;
  });
  Reveal.on("slidechanged", (event) => drawAround(event.currentSlide));

  // One language at a time: the switch at the bottom, or L to step 한국어 → English → both. Text hidden or shown
  // changes what fits, so the slide is laid out again and its figures' titles follow.
  if (lang) {
    lang.onChange(() => {
      document.querySelectorAll(".deck-figure[data-drawn]").forEach((el) => {
        if (el.paperTitles) globalThis.Plotly.relayout(el, lang.localTitles(el.paperTitles));
      });
      const slide = Reveal.isReady() ? Reveal.getCurrentSlide() : undefined;
      if (slide) {
        fitWidth(slide);
        Reveal.layout();
      }
    });
    const order = ["ko", "en", "both"];
    Reveal.addKeyBinding({ keyCode: 76, key: "L", description: "언어 / Language (한국어 → English → 둘 다)" }, () => {
      lang.set(order[(order.indexOf(lang.current()) + 1) % order.length]);
    });
  }
  Reveal.on("pdf-ready", () => {
    document.querySelectorAll(".reveal .slides section.slide").forEach(draw);
    globalThis.deckReady = true;
  });
})();
