// Renders the docs' ```mermaid blocks with the mermaid copy shipped next to this file
// (docs/assets/mermaid/mermaid.min.js, mermaid 11.17.2, MIT): no CDN, works offline.
// The blocks carry the class "diagram" (mkdocs.yml) rather than "mermaid", so that the
// theme does not fetch its own copy; the SVG is drawn inline in the page.
(function () {
  function render() {
    var blocks = document.querySelectorAll("pre.diagram:not([data-processed])");
    if (!blocks.length || typeof mermaid === "undefined") return;
    blocks.forEach(function (block) {
      block.textContent = block.textContent; // drop the <code> wrapper, keep the text
    });
    mermaid.initialize({ startOnLoad: false, theme: "neutral", securityLevel: "strict" });
    mermaid.run({ nodes: blocks });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
