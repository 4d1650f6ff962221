// A light page's scripts once it is shown (the quick log, issue #15; docs/performance.md). Written
// into the page ({% inline_script %}, with the response's CSP nonce) so that the first paint waits
// for the HTML alone: on a weak link every request that ends before it delays it, by two round
// trips when it opens a connection. <meta name="sempre-script-after-paint" content="URL"> is
// loaded once the page is on screen: when the largest text or image painted after the load event
// is presented (its largest-contentful-paint entry), or, when nothing larger is painted after it,
// two frames and a tenth of a second after the load (a second at most; at once in a hidden tab).
// That script (sempre.js) loads the rest (sempre-after-load).
(() => {
  let waiting = true;
  const start = () => {
    if (!waiting) return;
    waiting = false;
    const script = document.createElement("script");
    script.src = document.querySelector("meta[name='sempre-script-after-paint']").content;
    document.head.append(script);
  };
  const afterLoad = () => {
    if (document.visibilityState === "hidden") return start();
    const loaded = performance.now();
    if (window.PerformanceObserver?.supportedEntryTypes?.includes("largest-contentful-paint")) {
      new PerformanceObserver((list) => list.getEntries().some((entry) => entry.startTime >= loaded) && start())
        .observe({ type: "largest-contentful-paint", buffered: true });
    }
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(start, 100)));
    setTimeout(start, 1000);
  };
  if (document.readyState === "complete") afterLoad();
  else addEventListener("load", afterLoad);
})();
